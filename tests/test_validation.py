"""keras_gan.validation: the one home of argument checks (backend-independent)."""

import numpy as np
import pytest

from keras_gan import validation

pytestmark = pytest.mark.once


@pytest.mark.parametrize("value", [1, 7, np.int32(7), np.int64(3), np.uint8(2)])
def test_positive_int_accepts_python_and_numpy_integers(value):
    out = validation.check_positive_int("steps", value)
    assert out == int(value) and type(out) is int


@pytest.mark.parametrize("value", [0, -1, 1.0, 2.5, True, np.bool_(True), "3", None, np.float32(2)])
def test_positive_int_rejects_with_the_value_named(value):
    with pytest.raises(ValueError, match=r"`steps` must be a positive integer\. Received: steps="):
        validation.check_positive_int("steps", value)


def test_minimum_is_named():
    assert validation.check_positive_int("k", 2, minimum=2) == 2
    with pytest.raises(ValueError, match=r"`k` must be an integer >= 2\. Received: k=1"):
        validation.check_positive_int("k", 1, minimum=2)


def test_filters_accept_numpy_integers_and_name_bad_lists():
    assert validation.check_filters("filters", np.array([128, 64]), 2) == (128, 64)
    for bad in ([128], [128, 0], [128, 6.5], None, 5):
        with pytest.raises(ValueError, match=r"Received: filters="):
            validation.check_filters("filters", bad, 2)


def test_image_shape():
    assert validation.check_image_shape([28, 28, 1], multiple=4) == (28, 28, 1)
    with pytest.raises(ValueError, match=r"divisible by 4.*image_shape=\(30, 28, 1\)"):
        validation.check_image_shape((30, 28, 1), multiple=4)
    with pytest.raises(ValueError, match=r"Received: image_shape=\(28, 28\)"):
        validation.check_image_shape((28, 28))
