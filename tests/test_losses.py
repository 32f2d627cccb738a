"""Adversarial losses: lookup by name and clear errors (values: tests/test_harness.py)."""

import pytest

from keras_gan import losses


# Each loss's values and gradients against NumPy, and its config round trip:
# tests/test_harness.py (keras_gan.testing.run_loss_test).

LOSS_NAMES = ["hinge", "least_squares", "minimax", "non_saturating", "wasserstein"]


def test_unknown_loss_lists_valid_names():
    with pytest.raises(ValueError) as e:
        losses.get("wasserstien")
    msg = str(e.value)
    assert "Did you mean 'wasserstein'" in msg
    for name in LOSS_NAMES:
        assert name in msg
    assert "Received: loss='wasserstien'" in msg


def test_bad_loss_type():
    with pytest.raises(ValueError, match="Received: loss=3"):
        losses.get(3)
