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


def linear_discriminator():
    D = keras.Sequential([keras.Input((DIM,)), keras.layers.Dense(1)])
    D.layers[0].set_weights([W0.reshape(DIM, 1), np.zeros(1, "float32")])
    return D


def real_batch(n=32):
    return np.random.default_rng(0).normal(size=(n, DIM)).astype("float32")


def make_gan(penalty, d_steps=1, **kwargs):
    gan = keras_gan.GAN(
        constant_generator(),
        linear_discriminator(),
        latent_dim=4,
        loss="wasserstein",
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


@pytest.mark.parametrize("loss", keras_gan.losses.available())
@pytest.mark.parametrize("penalty", [None, "wgan_gp", "r1", "r2", "dragan"])
def test_every_loss_and_penalty_trains(loss, penalty):
    gan = keras_gan.GAN(
        keras_gan.models.mlp_generator(4, DIM, units=(16,)),
        keras_gan.models.mlp_discriminator(DIM, units=(16,)),
        latent_dim=4,
        loss=loss,
        penalty=penalty,
        data_range=None,
    )
    gan.compile()
    before = [w.copy() for w in gan.discriminator.get_weights()]
    history = gan.fit(real_batch(32), batch_size=16, epochs=1, verbose=0)
    after = gan.discriminator.get_weights()
    assert any(not np.allclose(a, b) for a, b in zip(before, after))
    assert all(np.isfinite(v[-1]) for v in history.history.values())


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
