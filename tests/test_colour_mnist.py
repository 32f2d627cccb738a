"""Colour MNIST 32: deterministic colour pairs, the blend formula, and its folder round trip."""

import numpy as np
import pytest
from PIL import Image

import keras_gan
from keras_gan.data import PAIRS
from keras_gan.data import PALETTE

pytestmark = pytest.mark.once  # NumPy and PIL only


@pytest.fixture(scope="module")
def digits():
    x, y, _ = keras_gan.data.load_mnist(keras_gan.data.mnist.SAMPLE_PATH, split="test")
    return x[:40], y[:40]


def test_each_pixel_blends_the_pair_by_the_digit(digits):
    x, y = digits
    out = keras_gan.data.colour_mnist(x, y, image_size=32, seed=3)
    assert out["images"].shape == (40, 32, 32, 3) and out["images"].dtype == np.uint8
    np.testing.assert_array_equal(out["digits"], y)
    again = keras_gan.data.colour_mnist(x, y, image_size=32, seed=3)
    np.testing.assert_array_equal(out["images"], again["images"])
    other = keras_gan.data.colour_mnist(x, y, image_size=32, seed=4)
    assert (other["pairs"] != out["pairs"]).any()
    for i in (0, 7, 31):
        fg, bg = (np.array(PALETTE[c], "float64") for c in PAIRS[out["pairs"][i]])
        a = np.asarray(Image.fromarray(x[i]).resize((32, 32), Image.Resampling.BICUBIC),
                       "float64") / 255.0
        expected = np.rint(np.clip(a, 0, 1)[..., None] * fg + (1 - np.clip(a, 0, 1)[..., None]) * bg)
        np.testing.assert_allclose(out["images"][i], expected, atol=1)
        # The corners are background, the brightest stroke pixel is foreground.
        np.testing.assert_allclose(out["images"][i][0, 0], bg, atol=1)
    with pytest.raises(ValueError, match=r"images.dtype=float32"):
        keras_gan.data.colour_mnist(x.astype("float32"))


def test_a_written_folder_reads_back_as_the_same_images(digits, tmp_path):
    x, y = digits
    out = keras_gan.data.colour_mnist(x, y, seed=0)
    paths = keras_gan.data.save_image_folder(out["images"], str(tmp_path / "cm"), labels=y)
    assert len(paths) == 40 and paths[0].endswith("00.png")
    data = keras_gan.data.image_folder(str(tmp_path / "cm"), 32, batch_size=40, shuffle=False,
                                       verbose=0)
    images, labels = data[0]
    order = np.argsort(np.array([int(p.split("/")[-2]) * 100 + int(p[-6:-4]) for p in paths]),
                       kind="stable")
    # Classes are the sorted folder names (a digit missing here shifts the numbers).
    assert [data.class_names[i] for i in labels] == [str(d) for d in y[order]]
    np.testing.assert_allclose(images, out["images"][order] / 127.5 - 1.0, atol=1e-6)
