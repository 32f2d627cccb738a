"""The GAN training step, checked value by value through fit() on each backend.

A linear discriminator D(x) = w.x + b and a generator whose output is a
constant c make every gradient of the D step analytic:
  d/dw wasserstein d_loss = c - mean(real)
  d/dw (||w|| - 1)^2      = 2 (||w|| - 1) w / ||w||       (WGAN-GP)
so one SGD step of D must move w by exactly -lr * (sum of both). If the
penalty's second-order gradient were lost (torch without create_graph), the
second term would be missing.
"""

import keras
import numpy as np
import pytest

import keras_gan

DIM = 3
W0 = np.array([0.6, 1.2, -0.4], "float32")
C = np.array([0.5, -1.0, 0.25], "float32")
LR = 0.1


def constant_generator(latent_dim=4):
    G = keras.Sequential(
        [
            keras.Input((latent_dim,)),
            keras.layers.Dense(
                DIM,
                kernel_initializer="zeros",
                bias_initializer=keras.initializers.Constant(C),
            ),
        ]
    )
    G.layers[0].kernel.trainable = False  # output stays exactly the bias c
    return G


def linear_discriminator(bias=0.0):
    D = keras.Sequential([keras.Input((DIM,)), keras.layers.Dense(1)])
    D.layers[0].set_weights([W0.reshape(DIM, 1), np.full(1, bias, "float32")])
    return D


def real_batch(n=32):
    return np.random.default_rng(0).normal(size=(n, DIM)).astype("float32")


def make_gan(penalty, d_steps=1, loss="wasserstein", discriminator=None, **kwargs):
    gan = keras_gan.GAN(
        constant_generator(),
        linear_discriminator() if discriminator is None else discriminator,
        latent_dim=4,
        loss=loss,
        penalty=penalty,
        d_steps=d_steps,
        data_range=None,
        seed=0,
        **kwargs,
    )
    gan.compile(keras.optimizers.SGD(LR), keras.optimizers.SGD(LR))
    return gan


def gp_grad(w):
    n = np.linalg.norm(w)
    return 2 * (n - 1) * w / n


def d_kernel(gan):
    return keras.ops.convert_to_numpy(gan.discriminator.layers[0].kernel).ravel()


def test_d_step_includes_wgan_gp_gradient():
    real = real_batch()
    gan = make_gan(keras_gan.penalties.WGANGP(weight=10.0))
    history = gan.fit(real, batch_size=len(real), epochs=1, verbose=0, shuffle=False)
    expected = W0 - LR * ((C - real.mean(0)) + 10.0 * gp_grad(W0))
    np.testing.assert_allclose(d_kernel(gan), expected, rtol=1e-4, atol=1e-5)
    logs = {k: v[-1] for k, v in history.history.items()}
    np.testing.assert_allclose(logs["penalty"], (np.linalg.norm(W0) - 1) ** 2, rtol=1e-4)
    np.testing.assert_allclose(logs["d_loss"], C @ W0 - real.mean(0) @ W0, rtol=1e-4)
    np.testing.assert_allclose(logs["d_real"], real.mean(0) @ W0, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(logs["d_fake"], C @ W0, rtol=1e-4)


def test_without_penalty_only_loss_gradient():
    real = real_batch()
    gan = make_gan(None)
    history = gan.fit(real, batch_size=len(real), epochs=1, verbose=0, shuffle=False)
    np.testing.assert_allclose(d_kernel(gan), W0 - LR * (C - real.mean(0)), rtol=1e-4, atol=1e-5)
    assert "penalty" not in history.history


def test_r1_gradient_reaches_d_weights():
    real = real_batch()
    gan = make_gan(keras_gan.penalties.R1(gamma=2.0))  # weight 1: grad 2w
    gan.fit(real, batch_size=len(real), epochs=1, verbose=0, shuffle=False)
    expected = W0 - LR * ((C - real.mean(0)) + 1.0 * 2 * W0)
    np.testing.assert_allclose(d_kernel(gan), expected, rtol=1e-4, atol=1e-5)


def test_lazy_regularisation_every_other_d_step():
    """interval=2, d_steps=2: penalty (x2) on the first D step only."""
    real = real_batch()
    gan = make_gan(keras_gan.penalties.WGANGP(weight=10.0, interval=2), d_steps=2)
    gan.fit(real, batch_size=len(real), epochs=1, verbose=0, shuffle=False)
    w1 = W0 - LR * ((C - real.mean(0)) + 2 * 10.0 * gp_grad(W0))
    w2 = w1 - LR * (C - real.mean(0))
    np.testing.assert_allclose(d_kernel(gan), w2, rtol=1e-4, atol=1e-5)
    assert int(gan.discriminator_optimizer.iterations) == 2
    assert int(gan.generator_optimizer.iterations) == 1
    assert int(gan.optimizer.iterations) == 1


def test_lazy_regularisation_across_steps():
    """interval=3, d_steps=1: D steps 0 and 3 are penalised (x3), 1 and 2 are
    not, and the schedule carries on across fit() calls."""
    real = real_batch()
    gan = make_gan(keras_gan.penalties.WGANGP(weight=1.0, interval=3))
    gan.fit(real, batch_size=len(real), epochs=1, verbose=0, shuffle=False)
    gan.fit(real, batch_size=len(real), epochs=1, verbose=0, shuffle=False)
    gan.fit(real, batch_size=len(real) // 2, epochs=1, verbose=0, shuffle=False)
    w, c = W0.copy(), C.copy()
    batches = [real, real, real[:16], real[16:]]
    for step, batch in enumerate(batches):
        scale = 3.0 if step % 3 == 0 else 0.0
        w = w - LR * ((c - batch.mean(0)) + scale * gp_grad(w))
        c = c + LR * w  # G's step: the constant output follows the critic
    np.testing.assert_allclose(d_kernel(gan), w, rtol=1e-4, atol=1e-5)
    assert int(gan.discriminator_optimizer.iterations) == 4


def test_generator_step_follows_critic():
    """G's bias c moves by -lr * d(-mean(D(c)))/dc = +lr * w (after D's step)."""
    real = real_batch()
    gan = make_gan(None)
    gan.fit(real, batch_size=len(real), epochs=1, verbose=0, shuffle=False)
    w1 = W0 - LR * (C - real.mean(0))
    bias = keras.ops.convert_to_numpy(gan.generator.layers[0].bias)
    np.testing.assert_allclose(bias, C + LR * w1, rtol=1e-4, atol=1e-5)


def test_ema_generator_average():
    real = real_batch()
    gan = make_gan(None, ema_decay=0.75, ema_warmup=False)
    gan.fit(real, batch_size=len(real), epochs=1, verbose=0, shuffle=False)
    bias = keras.ops.convert_to_numpy(gan.generator.layers[0].bias)
    ema_bias = keras.ops.convert_to_numpy(gan.generator_ema.layers[0].bias)
    np.testing.assert_allclose(ema_bias, 0.75 * C + 0.25 * bias, rtol=1e-5)
    # generate() uses the EMA copy by default.
    z = np.zeros((2, 4), "float32")
    np.testing.assert_allclose(gan.generate(z), np.tile(ema_bias, (2, 1)), rtol=1e-5)
    np.testing.assert_allclose(gan.generate(z, use_ema=False), np.tile(bias, (2, 1)), rtol=1e-5)


def test_ema_warmup():
    """At step t=0 the warm-up decay is min(0.999, 1/10) = 0.1."""
    real = real_batch()
    gan = make_gan(None, ema_decay=0.999)
    gan.fit(real, batch_size=len(real), epochs=1, verbose=0, shuffle=False)
    bias = keras.ops.convert_to_numpy(gan.generator.layers[0].bias)
    ema_bias = keras.ops.convert_to_numpy(gan.generator_ema.layers[0].bias)
    np.testing.assert_allclose(ema_bias, 0.1 * C + 0.9 * bias, rtol=1e-5)


def test_noise_differs_between_steps_and_generate_is_seeded():
    gan = keras_gan.GAN(
        keras_gan.models.mlp_generator(4, DIM),
        keras_gan.models.mlp_discriminator(DIM),
        latent_dim=4,
        data_range=None,
        seed=0,
    )
    np.testing.assert_array_equal(gan.generate(8, seed=5), gan.generate(8, seed=5))
    assert not np.allclose(gan.generate(8, seed=5), gan.generate(8, seed=6))
    gan.compile()
    state0 = keras.ops.convert_to_numpy(gan.seed_generator.state.value).copy()
    gan.fit(real_batch(64), batch_size=32, epochs=1, verbose=0)
    state1 = keras.ops.convert_to_numpy(gan.seed_generator.state.value)
    assert not np.array_equal(state0, state1)  # the training RNG advances


def test_d_steps_counts():
    gan = keras_gan.GAN(
        keras_gan.models.mlp_generator(4, DIM),
        keras_gan.models.mlp_discriminator(DIM),
        latent_dim=4,
        loss="hinge",
        penalty="r1",
        d_steps=3,
        data_range=None,
    )
    gan.compile()
    history = gan.fit(real_batch(64), batch_size=16, epochs=2, verbose=0)
    assert int(gan.optimizer.iterations) == 8
    assert int(gan.generator_optimizer.iterations) == 8
    assert int(gan.discriminator_optimizer.iterations) == 24
    for key in ("d_loss", "g_loss", "penalty", "d_real", "d_fake"):
        assert np.all(np.isfinite(history.history[key])), key


def softplus(x):
    return np.logaddexp(0.0, x)


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


# For each loss: (d_loss(r, f), dd_loss/dr_i, dd_loss/df_j, g_loss(f), dg_loss/df_j)
# over n real logits r and n fake logits f; written from the papers' formulas,
# not from keras_gan.losses. Each derivative is per sample (the means' 1/n in).
LOSS_REFERENCES = {
    "minimax": (
        lambda r, f: softplus(-r).mean() + softplus(f).mean(),
        lambda r, f: -sigmoid(-r) / len(r),
        lambda r, f: sigmoid(f) / len(f),
        lambda f: -softplus(f).mean(),
        lambda f: -sigmoid(f) / len(f),
    ),
    "non_saturating": (
        lambda r, f: softplus(-r).mean() + softplus(f).mean(),
        lambda r, f: -sigmoid(-r) / len(r),
        lambda r, f: sigmoid(f) / len(f),
        lambda f: softplus(-f).mean(),
        lambda f: -sigmoid(-f) / len(f),
    ),
    "wasserstein": (
        lambda r, f: f.mean() - r.mean(),
        lambda r, f: -np.ones_like(r) / len(r),
        lambda r, f: np.ones_like(f) / len(f),
        lambda f: -f.mean(),
        lambda f: -np.ones_like(f) / len(f),
    ),
    "hinge": (
        lambda r, f: np.maximum(0, 1 - r).mean() + np.maximum(0, 1 + f).mean(),
        lambda r, f: -(r < 1).astype(float) / len(r),
        lambda r, f: (f > -1).astype(float) / len(f),
        lambda f: -f.mean(),
        lambda f: -np.ones_like(f) / len(f),
    ),
    "least_squares": (
        lambda r, f: 0.5 * ((r - 1) ** 2).mean() + 0.5 * (f**2).mean(),
        lambda r, f: (r - 1) / len(r),
        lambda r, f: f / len(f),
        lambda f: 0.5 * ((f - 1) ** 2).mean(),
        lambda f: (f - 1) / len(f),
    ),
}


def penalty_reference(name, w):
    """(value, d value / dw) for a linear D, with the registered defaults'
    weight: WGAN-GP and DRAGAN lambda = 10 (||grad D|| = ||w|| everywhere),
    R1 and R2 gamma = 10, so weight gamma / 2 = 5 (||grad D||^2 = ||w||^2)."""
    n = np.linalg.norm(w)
    if name in ("wgan_gp", "dragan"):
        return (n - 1) ** 2, 10.0 * 2 * (n - 1) * w / n
    if name in ("r1", "r2"):
        return n**2, 5.0 * 2 * w
    assert name is None
    return None, np.zeros_like(w)


D_BIAS = 0.1  # fakes' logit c.w + b = -0.9: off the hinge's kink at -1


def test_loss_references_are_the_registered_losses():
    """The table above has one entry per registered loss (a new loss must be added)."""
    assert sorted(LOSS_REFERENCES) == sorted(keras_gan.losses.available())


@pytest.mark.parametrize("loss", keras_gan.losses.available())
@pytest.mark.parametrize("penalty", [None, "wgan_gp", "r1", "r2", "dragan"])
def test_every_loss_and_penalty_trains(loss, penalty):
    """One GAN step of every registered loss x penalty, value by value.

    Linear D (w, b), constant G (output c): D's SGD step moves w by
    -lr * (sum_i dL/dr_i x_i + sum_j dL/df_j c + penalty gradient) and b by
    -lr * (sum_i dL/dr_i + sum_j dL/df_j); then G's bias c moves by
    -lr * sum_j dL_G/df_j * w' with D's new weights. A wrong loss sign, a
    dropped or mis-weighted penalty, or a G step against the old D fails.
    """
    d_loss_fn, d_dr, d_df, g_loss_fn, g_df = LOSS_REFERENCES[loss]
    real = real_batch().astype("float64")
    n = len(real)
    gan = make_gan(penalty, loss=loss, discriminator=linear_discriminator(D_BIAS))
    history = gan.fit(real.astype("float32"), batch_size=n, epochs=1, verbose=0, shuffle=False)
    w, b, c = W0.astype("float64"), D_BIAS, C.astype("float64")
    r, f = real @ w + b, np.full(n, c @ w + b)
    dr, df = d_dr(r, f), d_df(r, f)
    value, penalty_grad = penalty_reference(penalty, w)
    w1 = w - LR * (real.T @ dr + c * df.sum() + penalty_grad)
    b1 = b - LR * (dr.sum() + df.sum())
    f1 = np.full(n, c @ w1 + b1)
    c1 = c - LR * g_df(f1).sum() * w1

    kernel, bias = gan.discriminator.get_weights()
    np.testing.assert_allclose(kernel.ravel(), w1, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(bias, [b1], rtol=1e-4, atol=1e-5)
    g_bias = keras.ops.convert_to_numpy(gan.generator.layers[0].bias)
    np.testing.assert_allclose(g_bias, c1, rtol=1e-4, atol=1e-5)
    logs = {k: v[-1] for k, v in history.history.items()}
    np.testing.assert_allclose(logs["d_loss"], d_loss_fn(r, f), rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(logs["g_loss"], g_loss_fn(f1), rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(logs["d_real"], r.mean(), rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(logs["d_fake"], f.mean(), rtol=1e-4, atol=1e-6)
    if penalty is None:
        assert "penalty" not in logs
    else:
        np.testing.assert_allclose(logs["penalty"], value, rtol=1e-4)
    # The step moved both networks (the oracle is not a no-op).
    assert np.abs(w1 - W0).max() > 1e-3 and np.abs(c1 - C).max() > 1e-3


# A small nonlinear D on DIM inputs: D(x) = v . tanh(A x + a), whose input
# gradient A^T (v * (1 - tanh^2)) depends on x, unlike the linear D above.
TANH_A = np.array([[1.2, -0.7, 0.4], [-0.5, 0.9, 1.1], [0.6, 0.3, -1.0]], "float32")
TANH_BIAS = np.array([0.1, -0.2, 0.3], "float32")
TANH_V = np.array([0.8, -0.6, 0.7], "float32")


def tanh_discriminator():
    D = keras.Sequential([
        keras.Input((DIM,)),
        keras.layers.Dense(3, activation="tanh"),
        keras.layers.Dense(1, use_bias=False),
    ])
    D.layers[0].set_weights([TANH_A.T, TANH_BIAS])
    D.layers[1].set_weights([TANH_V.reshape(3, 1)])
    return D


def tanh_input_gradient_norms(x):
    t = np.tanh(x.astype("float64") @ TANH_A.T + TANH_BIAS)
    return np.linalg.norm(((1 - t**2) * TANH_V) @ TANH_A, axis=1)


@pytest.mark.parametrize("penalty", ["r1", "r2", "wgan_gp"])
def test_step_takes_each_penalty_at_its_points(penalty):
    """Through fit(), with a tanh D and constant fakes c != real: the logged
    penalty is R1 at the real batch, R2 at the fakes, and WGAN-GP at
    e * real + (1 - e) * c, with e the GAN RNG's draw after the step's noise
    (the order the step draws them in). A step handing the penalty the wrong
    batch fails here (the linear-D tests above cannot see it)."""
    real = real_batch() + 1.0  # away from the fakes
    # Target 0.5: the interpolates' penalty (0.6 to 0.84 over 20 draws of e)
    # is far from the one at real (0.39) or at c (0.41).
    penalty_obj = keras_gan.penalties.WGANGP(target=0.5) if penalty == "wgan_gp" else penalty
    gan = make_gan(penalty_obj, loss="non_saturating", discriminator=tanh_discriminator())
    history = gan.fit(real, batch_size=len(real), epochs=1, verbose=0, shuffle=False)
    logged = history.history["penalty"][-1]
    at_real = (tanh_input_gradient_norms(real) ** 2).mean()
    at_fake = (tanh_input_gradient_norms(C[None]) ** 2).mean()
    if penalty == "wgan_gp":
        rng = keras.random.SeedGenerator(0)  # the GAN's seed=0
        keras.random.normal((len(real), 4), seed=rng)  # G's noise for the D step
        e = keras.ops.convert_to_numpy(keras.random.uniform((len(real), 1), seed=rng))
        x_hat = e * real + (1 - e) * C
        expected = ((tanh_input_gradient_norms(x_hat) - 0.5) ** 2).mean()
        wrong = [((tanh_input_gradient_norms(x) - 0.5) ** 2).mean() for x in (real, C[None])]
    else:
        expected, other = (at_real, at_fake) if penalty == "r1" else (at_fake, at_real)
        wrong = [other]
    np.testing.assert_allclose(logged, expected, rtol=1e-4)
    for value in wrong:
        assert abs(value - expected) > 0.1 * expected, (value, expected)


@pytest.mark.parametrize(
    "compile_kwargs",
    [{"steps_per_execution": 2}, {"run_eagerly": True}, {"jit_compile": False}],
)
def test_compile_options(compile_kwargs):
    """Other step compilations give the same D update as the default one."""
    if "steps_per_execution" in compile_kwargs and keras.backend.backend() == "torch":
        pytest.skip("Keras' torch trainer only supports steps_per_execution=1")
    real = real_batch()
    results = []
    for kwargs in ({}, compile_kwargs):
        gan = make_gan(keras_gan.penalties.WGANGP(weight=1.0, interval=2))
        gan.compile(keras.optimizers.SGD(LR), keras.optimizers.SGD(LR), **kwargs)
        gan.fit(real, batch_size=8, epochs=1, verbose=0, shuffle=False)
        assert int(gan.discriminator_optimizer.iterations) == 4
        results.append(d_kernel(gan))
    np.testing.assert_allclose(results[0], results[1], rtol=1e-5, atol=1e-6)
