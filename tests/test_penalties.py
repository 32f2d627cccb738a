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
