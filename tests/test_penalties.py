"""Gradient penalties against analytic references, on the active backend.

For a linear discriminator D(x) = w.x + b the input gradient is w for every
sample, so every penalty has a closed form, and so does its gradient w.r.t.
w: this checks both the value and that the penalty's (second-order) gradient
reaches D's weights on TensorFlow, JAX and PyTorch.
"""

import keras
import numpy as np
import pytest
from keras import ops

from keras_gan import backend
from keras_gan import penalties

W = np.array([[0.6], [1.2], [-0.4]], "float32")  # ||w|| = 1.4
NORM = float(np.linalg.norm(W))


def linear_d(w=W, shape=(3,)):
    inputs = keras.Input(shape)
    x = keras.layers.Flatten()(inputs) if len(shape) > 1 else inputs
    model = keras.Model(inputs, keras.layers.Dense(1)(x))
    model.layers[-1].set_weights([w.reshape(-1, 1), np.zeros(1, "float32")])
    return model


def value_and_weight_grad(penalty_fn, D):
    """Penalty value and its gradient w.r.t. D's kernel, via the backend."""

    def fn():
        return penalty_fn(), ()

    kernel = D.layers[-1].kernel
    (value, _), grads = backend.value_and_grad(fn, [kernel])
    return float(ops.convert_to_numpy(value)), ops.convert_to_numpy(grads[0])


def batches(shape=(3,), n=16):
    rng = np.random.default_rng(0)
    real = rng.normal(size=(n,) + shape).astype("float32")
    fake = rng.normal(size=(n,) + shape).astype("float32")
    return real, fake


CASES = {
    # name: (penalty, expected value, expected d value / d w)
    "wgan_gp": (
        lambda D, r, f, s: penalties.wgan_gp_penalty(D, r, f, seed=s),
        (NORM - 1) ** 2,
        2 * (NORM - 1) * W / NORM,
    ),
    "wgan_gp_one_sided": (
        lambda D, r, f, s: penalties.wgan_gp_penalty(D, r, f, seed=s, one_sided=True),
        (NORM - 1) ** 2,
        2 * (NORM - 1) * W / NORM,
    ),
    "r1": (lambda D, r, f, s: penalties.r1_penalty(D, r), NORM**2, 2 * W),
    "r2": (lambda D, r, f, s: penalties.r2_penalty(D, f), NORM**2, 2 * W),
    "dragan": (
        lambda D, r, f, s: penalties.dragan_penalty(D, r, seed=s),
        (NORM - 1) ** 2,
        2 * (NORM - 1) * W / NORM,
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_penalty_value_and_weight_gradient_linear_d(name):
    fn, expected, expected_grad = CASES[name]
    D = linear_d()
    real, fake = batches()
    seed = keras.random.SeedGenerator(0)
    value, grad = value_and_weight_grad(lambda: fn(D, real, fake, seed), D)
    np.testing.assert_allclose(value, expected, rtol=1e-5)
    # Second-order gradient must reach the weights (torch: create_graph=True).
    np.testing.assert_allclose(grad, expected_grad, rtol=1e-4, atol=1e-6)


def test_one_sided_ignores_small_norms():
    w = W / (2 * NORM)  # ||w|| = 0.5
    D = linear_d(w)
    real, fake = batches()
    two = penalties.wgan_gp_penalty(D, real, fake, seed=0)
    one = penalties.wgan_gp_penalty(D, real, fake, seed=0, one_sided=True)
    np.testing.assert_allclose(float(ops.convert_to_numpy(two)), 0.25, rtol=1e-5)
    assert float(ops.convert_to_numpy(one)) == 0.0


def test_penalties_on_images_quadratic_d():
    """D(x) = 0.5 * sum(x^2) has per-sample input gradient x (rank-4 inputs)."""
    real, _ = batches(shape=(4, 4, 2), n=8)

    def D(x):
        return 0.5 * ops.sum(ops.square(x), axis=(1, 2, 3))

    ref_sq = (real.reshape(8, -1) ** 2).sum(1)
    r1 = float(ops.convert_to_numpy(penalties.r1_penalty(D, real)))
    np.testing.assert_allclose(r1, ref_sq.mean(), rtol=1e-5)
    # real == fake: every interpolate is the real sample itself.
    gp = float(ops.convert_to_numpy(penalties.wgan_gp_penalty(D, real, real, seed=1)))
    np.testing.assert_allclose(gp, ((np.sqrt(ref_sq) - 1) ** 2).mean(), rtol=1e-5)


def test_dragan_perturbs_real_data_quadratic_d():
    """D(x) = 0.5 * sum(x^2): the input gradient is x_hat itself, so the
    penalty sees the perturbation `x_hat = x + a * c * std(x) * u`.

    The same draws (u per element, then a per sample, from the same seed)
    give the reference; `x_hat = real` would give the c = 0 value instead.
    """
    from keras_gan.penalties.penalty import batch_uniform
    from keras_gan.penalties.penalty import replica_uniform

    real, _ = batches(shape=(4, 4, 2), n=8)
    real = real * 0.3  # ||x|| near 1, where (||x_hat|| - 1)^2 moves with x_hat

    def D(x):
        return 0.5 * ops.sum(ops.square(x), axis=(1, 2, 3))

    def reference(c, seed):
        gen = keras.random.SeedGenerator(seed)
        u = ops.convert_to_numpy(replica_uniform(real.shape, dtype="float32", seed=gen))
        a = ops.convert_to_numpy(batch_uniform(ops.convert_to_tensor(real), gen))
        assert u.shape == real.shape and a.shape == (8, 1, 1, 1)
        assert 0 <= u.min() and u.max() <= 1 and len(np.unique(u)) > 100
        x_hat = real + a * c * real.std() * u
        norms = np.sqrt((x_hat.reshape(8, -1).astype("float64") ** 2).sum(1))
        return ((norms - 1) ** 2).mean()

    for c in (0.5, 2.0):
        value = float(ops.convert_to_numpy(
            penalties.dragan_penalty(D, real, seed=keras.random.SeedGenerator(5), c=c)))
        expected = reference(c, 5)
        np.testing.assert_allclose(value, expected, rtol=1e-4)
        unperturbed = reference(0.0, 5)
        assert abs(expected - unperturbed) > 0.05 * unperturbed, (expected, unperturbed)


def test_wgan_gp_interpolation_is_per_sample():
    """One e ~ U(0, 1) per sample, shared by all of its coordinates."""
    real, _ = batches(shape=(4, 4, 3), n=512)
    fake = np.zeros_like(real)
    x_hat = ops.convert_to_numpy(penalties.interpolate(real, fake, seed=3))
    ratio = (x_hat / real).reshape(512, -1)  # = e_i in every coordinate
    np.testing.assert_allclose(ratio, np.repeat(ratio[:, :1], 48, axis=1), rtol=1e-4)
    e = ratio[:, 0]
    assert 0.0 <= e.min() and e.max() <= 1.0
    assert abs(e.mean() - 0.5) < 0.05 and abs(e.std() - 12 ** -0.5) < 0.03


def test_zero_gradient_gives_finite_penalty_gradient():
    D = linear_d(np.zeros((3, 1), "float32"))
    real, fake = batches()
    for fn in (
        lambda: penalties.wgan_gp_penalty(D, real, fake, seed=0),
        lambda: penalties.dragan_penalty(D, real, seed=0),
        lambda: penalties.r1_penalty(D, real),
    ):
        value, grad = value_and_weight_grad(fn, D)
        assert np.isfinite(value) and np.all(np.isfinite(grad))


def test_lazy_scale():
    assert penalties.R1(gamma=10.0, interval=4).scale() == 20.0
    assert penalties.WGANGP(weight=3.0).scale() == 3.0


@pytest.mark.parametrize(
    "penalty",
    [
        penalties.WGANGP(weight=2.0, target=0.5, one_sided=True, epsilon=1e-8, interval=2),
        penalties.R1(gamma=0.5, interval=16),
        penalties.R2(gamma=3.0),
        penalties.DRAGAN(weight=5.0, c=0.25, target=2.0, interval=3),
    ],
)
def test_penalty_config_round_trip(penalty):
    restored = penalties.get(keras.saving.serialize_keras_object(penalty))
    assert type(restored) is type(penalty)
    assert restored.get_config() == penalty.get_config()
    assert type(penalty)(**penalty.get_config()).get_config() == penalty.get_config()


def test_unknown_penalty_lists_valid_names():
    with pytest.raises(ValueError) as e:
        penalties.get("gp")
    for name in ("dragan", "r1", "r2", "wgan_gp"):
        assert name in str(e.value)
    assert "Received: penalty='gp'" in str(e.value)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"weight": -1.0}, "weight=-1.0"),
        ({"interval": 0}, "interval=0"),
        ({"interval": 1.5}, "interval=1.5"),
    ],
)
def test_bad_penalty_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        penalties.WGANGP(**kwargs)


# --- A nonlinear D, where the input gradient depends on where it is taken ---
#
# D(x) = v . tanh(W x + b): grad_x D = W^T (v * (1 - tanh(W x + b)^2)), which
# differs from sample to sample, so a penalty taken at the wrong points (real
# instead of x_hat, fake instead of real) gives a different number. Weights
# are fixed; the NumPy reference below is computed in float64.
TANH_W = np.array(
    [[1.5, -0.8, 0.3, 0.9], [-0.6, 1.1, 1.4, -0.2], [0.7, 0.4, -1.3, 1.2]], "float32"
)  # (in=4, hidden=3) once transposed: h = x @ TANH_W.T + TANH_B
TANH_B = np.array([0.2, -0.3, 0.1], "float32")
TANH_V = np.array([0.52, -0.36, 0.44], "float32")


def tanh_d():
    """keras.Model computing D(x) = v . tanh(W x + b) on inputs of shape (2, 2)."""
    inputs = keras.Input((2, 2))
    x = keras.layers.Flatten()(inputs)
    h = keras.layers.Dense(3, activation="tanh")(x)
    model = keras.Model(inputs, keras.layers.Dense(1, use_bias=False)(h))
    model.layers[2].set_weights([TANH_W.T, TANH_B])
    model.layers[3].set_weights([TANH_V.reshape(3, 1)])
    return model


def tanh_input_gradients(x):
    """grad_x D(x) per sample, (n, 4), and the tanh derivatives s, (n, 3)."""
    x = x.reshape(len(x), -1).astype("float64")
    t = np.tanh(x @ TANH_W.T.astype("float64") + TANH_B)
    s = 1.0 - t**2
    return (s * TANH_V) @ TANH_W.astype("float64"), s


def gp_reference(x, target=1.0):
    """E[(||grad D(x)|| - target)^2] and its gradient w.r.t. v."""
    g, s = tanh_input_gradients(x)
    norms = np.linalg.norm(g, axis=1)
    value = ((norms - target) ** 2).mean()
    # d||g_i|| / dv = s_i * (W g_i) / ||g_i||  (g_i = W^T (s_i * v)).
    dv = (2 * (norms - target)[:, None] * s * (g @ TANH_W.T) / norms[:, None]).mean(0)
    return value, dv


def squared_norm_reference(x):
    """E[||grad D(x)||^2] and its gradient w.r.t. v."""
    g, s = tanh_input_gradients(x)
    return (g**2).sum(1).mean(), (2 * s * (g @ TANH_W.T)).mean(0)


def tanh_batches(n=64):
    rng = np.random.default_rng(7)
    # Real samples sit where tanh saturates (small input gradients), fakes
    # near the origin (large ones).
    real = rng.normal(1.0, 0.5, size=(n, 2, 2)).astype("float32")
    fake = rng.normal(-0.2, 0.3, size=(n, 2, 2)).astype("float32")
    return real, fake


def value_and_v_grad(penalty_fn, D):
    """Penalty value and its gradient w.r.t. D's last kernel v."""

    def fn():
        return penalty_fn(), ()

    kernel = D.layers[3].kernel
    (value, _), grads = backend.value_and_grad(fn, [kernel])
    return float(ops.convert_to_numpy(value)), ops.convert_to_numpy(grads[0]).ravel()


def test_tanh_d_reference_matches_the_model():
    """The NumPy input gradient is the model's (checked by finite differences)."""
    real, _ = tanh_batches()
    D = tanh_d()
    out = ops.convert_to_numpy(D(real)).ravel()
    x = real.reshape(len(real), -1).astype("float64")
    np.testing.assert_allclose(out, np.tanh(x @ TANH_W.T + TANH_B) @ TANH_V, rtol=1e-5)
    g, _ = tanh_input_gradients(real)
    f = lambda x: np.tanh(x @ TANH_W.T.astype("float64") + TANH_B) @ TANH_V  # noqa: E731
    h = 1e-6
    numeric = np.stack([(f(x + h * e) - f(x - h * e)) / (2 * h) for e in np.eye(4)], 1)
    np.testing.assert_allclose(g, numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("one_sided, target", [(False, 0.5), (True, 1.0)])
def test_wgan_gp_is_taken_at_interpolates_nonlinear_d(one_sided, target):
    """fake != real and a tanh D: the penalty (value and gradient w.r.t. D's
    weights) is the one at x_hat = e * real + (1 - e) * fake, with e drawn as
    the code draws it (keras.random.uniform((n, 1, 1)) from the same seed).
    The same penalty at real or at fake is far from it, so a penalty taken at
    the wrong points fails here."""
    real, fake = tanh_batches()
    D = tanh_d()
    # The interpolates' gradient norms run from about 0.4 to 2: the one-sided
    # penalty's target 1 sits among them, so it differs from the other one.
    e = ops.convert_to_numpy(
        keras.random.uniform((64, 1, 1), dtype="float32", seed=keras.random.SeedGenerator(11))
    )
    assert e.min() < 0.2 and e.max() > 0.8  # a real mix of real and fake
    x_hat = e * real + (1 - e) * fake

    def reference(x):
        g, s = tanh_input_gradients(x)
        norms = np.linalg.norm(g, axis=1)
        gap = norms - target
        if one_sided:
            gap = np.maximum(gap, 0.0)
        dv = (2 * gap[:, None] * s * (g @ TANH_W.T) / norms[:, None]).mean(0)
        return (gap**2).mean(), dv

    penalty = penalties.WGANGP(target=target, one_sided=one_sided)
    value, dv = value_and_v_grad(
        lambda: penalty(D, real, fake, seed=keras.random.SeedGenerator(11)), D
    )
    expected, expected_dv = reference(x_hat)
    np.testing.assert_allclose(value, expected, rtol=1e-4)
    np.testing.assert_allclose(dv, expected_dv, rtol=1e-3, atol=1e-6)
    # The functional form draws the same e from the same seed.
    direct = penalties.wgan_gp_penalty(
        D, real, fake, seed=keras.random.SeedGenerator(11), target=target, one_sided=one_sided
    )
    np.testing.assert_allclose(float(ops.convert_to_numpy(direct)), expected, rtol=1e-4)
    # This test can fail: the penalty at real or at fake is another number.
    # Measured (x_hat / real / fake; e differs by backend): two-sided
    # 0.74-0.84 / 0.13 / 1.10, one-sided 0.21-0.25 / 0.014 / 0.33.
    for wrong in (real, fake):
        other = reference(wrong)[0]
        assert abs(other - expected) > 0.2 * expected, (other, expected)
    if one_sided:
        norms = np.linalg.norm(tanh_input_gradients(x_hat)[0], axis=1)
        assert (norms < target).any() and (norms > target).any()


def test_r1_on_real_and_r2_on_fake_nonlinear_d():
    """R1 is E||grad D||^2 at the real batch and R2 at the fake one: with a
    tanh D and fake != real the two differ, so swapping them fails."""
    real, fake = tanh_batches()
    D = tanh_d()
    r1_expected, r1_dv = squared_norm_reference(real)
    r2_expected, r2_dv = squared_norm_reference(fake)
    assert abs(r1_expected - r2_expected) > 0.3 * r1_expected, (r1_expected, r2_expected)
    # The classes, as the training step calls them: penalty(D, real, fake, seed).
    for penalty, expected, expected_dv in (
        (penalties.R1(gamma=4.0), r1_expected, r1_dv),
        (penalties.R2(gamma=4.0), r2_expected, r2_dv),
    ):
        value, dv = value_and_v_grad(lambda: penalty(D, real, fake, seed=0), D)
        np.testing.assert_allclose(value, expected, rtol=1e-4, err_msg=type(penalty).__name__)
        np.testing.assert_allclose(dv, expected_dv, rtol=1e-3, atol=1e-6)
        assert penalty.scale() == 2.0  # gamma / 2
    r1 = float(ops.convert_to_numpy(penalties.r1_penalty(D, real)))
    r2 = float(ops.convert_to_numpy(penalties.r2_penalty(D, fake)))
    np.testing.assert_allclose([r1, r2], [r1_expected, r2_expected], rtol=1e-4)


def test_dragan_on_perturbed_real_nonlinear_d():
    """DRAGAN with a tanh D: the penalty is at x + a * c * std(x) * u (u per
    element, then a per sample, from one seed), around real and not fake."""
    real, fake = tanh_batches()
    D = tanh_d()
    gen = keras.random.SeedGenerator(4)
    u = ops.convert_to_numpy(keras.random.uniform(real.shape, dtype="float32", seed=gen))
    a = ops.convert_to_numpy(keras.random.uniform((64, 1, 1), dtype="float32", seed=gen))
    x_hat = real + a * 0.5 * real.astype("float64").std() * u
    expected, expected_dv = gp_reference(x_hat)
    penalty = penalties.DRAGAN(weight=1.0)
    value, dv = value_and_v_grad(
        lambda: penalty(D, real, fake, seed=keras.random.SeedGenerator(4)), D
    )
    np.testing.assert_allclose(value, expected, rtol=1e-4)
    np.testing.assert_allclose(dv, expected_dv, rtol=1e-3, atol=1e-6)
    for wrong in (real, fake):
        other = gp_reference(wrong)[0]
        assert abs(other - expected) > 0.05 * expected, (other, expected)
