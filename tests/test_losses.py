"""Adversarial losses against NumPy references, on the active backend."""

import keras
import numpy as np
import pytest
from keras import ops

from keras_gan import losses


def softplus(x):
    return np.logaddexp(0.0, x)


REFERENCES = {
    "minimax": (
        lambda r, f: softplus(-r).mean() + softplus(f).mean(),
        lambda f: np.log1p(-1.0 / (1.0 + np.exp(-f))).mean(),
    ),
    "non_saturating": (
        lambda r, f: -np.log(1.0 / (1.0 + np.exp(-r))).mean()
        - np.log(1.0 - 1.0 / (1.0 + np.exp(-f))).mean(),
        lambda f: -np.log(1.0 / (1.0 + np.exp(-f))).mean(),
    ),
    "wasserstein": (lambda r, f: f.mean() - r.mean(), lambda f: -f.mean()),
    "hinge": (
        lambda r, f: np.maximum(0, 1 - r).mean() + np.maximum(0, 1 + f).mean(),
        lambda f: -f.mean(),
    ),
    "least_squares": (
        lambda r, f: 0.5 * ((r - 1) ** 2).mean() + 0.5 * (f**2).mean(),
        lambda f: 0.5 * ((f - 1) ** 2).mean(),
    ),
}


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_loss_matches_numpy(name):
    rng = np.random.default_rng(0)
    real = rng.normal(size=(64, 1)).astype("float32") * 3
    fake = rng.normal(size=(64, 1)).astype("float32") * 3
    loss = losses.get(name)
    d_ref, g_ref = REFERENCES[name]
    d = ops.convert_to_numpy(loss.d_loss(ops.array(real), ops.array(fake)))
    g = ops.convert_to_numpy(loss.g_loss(ops.array(fake)))
    np.testing.assert_allclose(d, d_ref(real.astype(float), fake.astype(float)), rtol=1e-5)
    np.testing.assert_allclose(g, g_ref(fake.astype(float)), rtol=1e-5)


def test_registry_lists_all_losses():
    assert losses.available() == sorted(REFERENCES)


def test_unknown_loss_lists_valid_names():
    with pytest.raises(ValueError) as e:
        losses.get("wasserstien")
    msg = str(e.value)
    assert "Did you mean 'wasserstein'" in msg
    for name in REFERENCES:
        assert name in msg
    assert "Received: loss='wasserstien'" in msg


def test_bad_loss_type():
    with pytest.raises(ValueError, match="Received: loss=3"):
        losses.get(3)


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_loss_serialization_round_trip(name):
    loss = losses.get(name)
    config = keras.saving.serialize_keras_object(loss)
    restored = losses.get(config)
    assert type(restored) is type(loss)
    assert restored.get_config() == loss.get_config()
