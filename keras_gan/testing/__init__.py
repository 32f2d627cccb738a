"""Test harness for losses, penalties and serializable objects (keras' `run_layer_test` idea).

Each `run_*_test` checks one object against what every object of its kind
must satisfy, with values compared to an independent reference the caller
supplies. keras_gan's own suite runs every registered loss, penalty and
metric through these (tests/test_harness.py); use them to test your own:

    from keras_gan.testing import run_penalty_test
    run_penalty_test(MyPenalty(weight=2.0), closed_form=lambda norm: (norm - 1) ** 2)
"""

import inspect

import keras
import numpy as np
from keras import ops

__all__ = ["run_loss_test", "run_penalty_test", "run_serialization_test"]


def run_serialization_test(obj, get=None):
    """Config round trip: every constructor argument is stored and comes back.

    Checks that `get_config()` returns each argument of `__init__` (other
    than `*args`/`**kwargs`), that `type(obj)(**config)` has the same
    config, and, with `get` (a registry's `get`), that the object survives
    `keras.saving.serialize_keras_object` -> `get`.

    Args:
        obj: the object (loss, penalty, metric, schedule...).
        get: function turning a serialized dict back into an object.

    Returns:
        The config.

    Example:
        >>> run_serialization_test(keras_gan.penalties.R1(gamma=3.0), keras_gan.penalties.get)
    """
    config = obj.get_config()
    params = [
        p.name for p in inspect.signature(type(obj).__init__).parameters.values()
        if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]
    missing = [p for p in params if p not in config]
    assert not missing, (
        f"{type(obj).__name__}.get_config() misses constructor arguments {missing}: "
        f"got {sorted(config)}"
    )
    again = type(obj)(**config)
    assert again.get_config() == config, (again.get_config(), config)
    if get is not None:
        restored = get(keras.saving.serialize_keras_object(obj))
        assert type(restored) is type(obj), (type(restored), type(obj))
        assert restored.get_config() == config, (restored.get_config(), config)
    return config


def _logits(n, seed):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(n, 1)) * 3).astype("float32")


def run_loss_test(loss, d_reference, g_reference, get=None, rtol=1e-5):
    """A `GANLoss` against NumPy references of its two functions.

    Checks `d_loss(real, fake)` and `g_loss(fake)` on random logits
    (including large ones) against `d_reference(real, fake)` and
    `g_reference(fake)` (float64 NumPy), that both are finite scalars, that
    their gradients w.r.t. the logits match central finite differences of
    the references, and the config round trip.

    Args:
        loss: the `GANLoss`.
        d_reference: NumPy `(real, fake) -> float`.
        g_reference: NumPy `fake -> float`.
        get: the registry's `get` (for the serialization check).
        rtol: relative tolerance of the values.
    """
    from keras_gan import backend

    real, fake = _logits(32, 0), _logits(32, 1)
    real[0], fake[0] = 40.0, -40.0  # saturated logits stay finite
    d = float(ops.convert_to_numpy(loss.d_loss(ops.array(real), ops.array(fake))))
    g = float(ops.convert_to_numpy(loss.g_loss(ops.array(fake))))
    assert np.isfinite(d) and np.isfinite(g), (d, g)
    np.testing.assert_allclose(d, d_reference(real.astype(float), fake.astype(float)),
                               rtol=rtol, atol=1e-6)
    np.testing.assert_allclose(g, g_reference(fake.astype(float)), rtol=rtol, atol=1e-6)

    # Gradients w.r.t. the logits, against finite differences of the reference.
    r_var = keras.Variable(real[1:9])
    f_var = keras.Variable(fake[1:9])
    (_, _), grads = backend.value_and_grad(
        lambda: (loss.d_loss(r_var, f_var) + loss.g_loss(f_var), ()), [r_var, f_var])

    def total(r, f):
        return d_reference(r, f) + g_reference(f)

    r0, f0, eps = real[1:9].astype(float), fake[1:9].astype(float), 1e-4
    for which, base, grad in (("real", r0, grads[0]), ("fake", f0, grads[1])):
        numeric = np.zeros_like(base)
        for i in range(len(base)):
            up, down = base.copy(), base.copy()
            up[i] += eps
            down[i] -= eps
            args_up = (up, f0) if which == "real" else (r0, up)
            args_down = (down, f0) if which == "real" else (r0, down)
            numeric[i] = (total(*args_up) - total(*args_down)) / (2 * eps)
        np.testing.assert_allclose(ops.convert_to_numpy(grad), numeric, rtol=1e-3, atol=1e-5,
                                   err_msg=f"gradient w.r.t. the {which} logits")
    run_serialization_test(loss, get)


def _linear_d(w):
    inputs = keras.Input((len(w),))
    model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
    model.layers[-1].set_weights([np.asarray(w, "float32").reshape(-1, 1),
                                  np.zeros(1, "float32")])
    return model


def run_penalty_test(penalty, closed_form, get=None, interval=3):
    """A `Penalty` against its closed form for a linear discriminator.

    For `D(x) = w.x + b` the input gradient is `w` at every point, so the
    unweighted penalty is a function of `||w||` alone. Checks:

    - the value against `closed_form(norm)` for two weight vectors;
    - the penalty's gradient w.r.t. `w` (a second-order gradient through
      the input gradient) against the derivative of `closed_form`
      (`closed_form'(||w||) * w / ||w||`): the penalty reaches D's weights
      on the active backend (torch: `create_graph=True`);
    - lazy regularisation: with `interval=k` the GAN computes it on every
      k-th D step only, and `scale()` is `weight * k`;
    - the config round trip.

    Args:
        penalty: the `Penalty` (its `interval` is ignored; see `interval`).
        closed_form: NumPy `norm -> unweighted penalty` for a linear D.
        get: the registry's `get` (for the serialization check).
        interval: the lazy interval checked.
    """
    from keras_gan import backend

    rng = np.random.default_rng(0)
    real = rng.normal(size=(16, 3)).astype("float32")
    fake = rng.normal(size=(16, 3)).astype("float32")
    for w in (np.array([0.6, 1.2, -0.4]), np.array([0.1, -0.2, 0.15])):
        D = _linear_d(w)
        kernel = D.layers[-1].kernel
        seed = keras.random.SeedGenerator(0)
        try:
            (value, _), grads = backend.value_and_grad(
                lambda: (penalty.compute(D, real, fake, seed=seed), ()), [kernel])
        except RuntimeError as e:  # torch: the output does not depend on the weights
            raise AssertionError(f"penalty gradient w.r.t. D's weights: {e}") from e
        assert grads[0] is not None, "penalty gradient w.r.t. D's weights: None"
        norm = float(np.linalg.norm(w))
        np.testing.assert_allclose(float(ops.convert_to_numpy(value)), closed_form(norm),
                                   rtol=1e-5, atol=1e-7)
        eps = 1e-5
        slope = (closed_form(norm + eps) - closed_form(norm - eps)) / (2 * eps)
        expected = (slope * w / norm).reshape(-1, 1)
        np.testing.assert_allclose(ops.convert_to_numpy(grads[0]), expected, rtol=1e-3,
                                   atol=1e-6, err_msg="penalty gradient w.r.t. D's weights")
    _check_lazy_interval(penalty, interval)
    run_serialization_test(penalty, get)


def _check_lazy_interval(penalty, interval):
    import keras_gan

    config = dict(penalty.get_config(), interval=interval)
    lazy = type(penalty)(**config)
    assert lazy.interval == interval
    np.testing.assert_allclose(lazy.scale(), lazy.weight * interval)
    calls = []
    compute = lazy.compute

    def counting(*args, **kwargs):
        calls.append(1)
        return compute(*args, **kwargs)

    lazy.compute = counting
    G = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3)])
    D = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation="tanh"),
                          keras.layers.Dense(1)])
    gan = keras_gan.GAN(G, D, latent_dim=2, loss="wasserstein", penalty=lazy, seed=0,
                        data_range=None)
    gan.compile(run_eagerly=True)
    steps = 2 * interval
    x = np.random.default_rng(0).normal(size=(4 * steps, 3)).astype("float32")
    gan.fit(x, batch_size=4, epochs=1, shuffle=False, verbose=0)
    assert len(calls) == 2, (
        f"with interval={interval}, {steps} D steps should compute the penalty twice "
        f"(steps 0 and {interval}); it was computed {len(calls)} times")
