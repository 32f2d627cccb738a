"""`TensorBoardLogger`: event files with the GAN's scalars and sample grids (every backend)."""

import glob
import io

import numpy as np
import pytest

import keras_gan

from helpers import mnist_gan



def read_events(log_dir):
    # Imported here, not at collection: every test worker collects this file,
    # and TensorFlow's import costs ~5 s on the JAX and torch backends.
    tf = pytest.importorskip("tensorflow")
    scalars, images = {}, {}
    for path in glob.glob(f"{log_dir}/events.out.tfevents.*"):
        for raw in tf.data.TFRecordDataset(path):
            event = tf.compat.v1.Event.FromString(raw.numpy())
            for value in event.summary.value:
                tensor = tf.make_ndarray(value.tensor)
                if value.metadata.plugin_data.plugin_name == "images":
                    images.setdefault(value.tag, []).append((event.step, tensor))
                else:
                    scalars.setdefault(value.tag, []).append((event.step, float(tensor)))
    return scalars, images


@pytest.mark.parametrize("conditional", [False, True])
def test_scalars_and_grid_images_are_logged(tmp_path, conditional):
    gan = mnist_gan(conditional=conditional, train=False)
    x = np.random.default_rng(0).uniform(-1, 1, (64, 28, 28, 1)).astype("float32")
    y = (np.arange(64) % 10).astype("int32") if conditional else None
    logger = keras_gan.callbacks.TensorBoardLogger(tmp_path, update_freq=1, n_samples=20)
    history = gan.fit(x, y, epochs=2, batch_size=32, verbose=0, callbacks=[logger])
    scalars, images = read_events(tmp_path)
    for name in ("d_loss", "g_loss", "d_real", "d_fake"):
        assert [s for s, _ in scalars[f"epoch/{name}"]] == [1, 2]
        np.testing.assert_allclose([v for _, v in scalars[f"epoch/{name}"]],
                                   history.history[name], rtol=1e-5)
        assert [s for s, _ in scalars[f"batch/{name}"]] == [1, 2, 3, 4]
    steps = [s for s, _ in images["samples"]]
    assert steps == [1, 2]
    encoded = images["samples"][-1][1]  # [width, height, png bytes]
    width, height = int(encoded[0]), int(encoded[1])
    expected = logger._grid.grid()  # the weights have not changed since the last epoch
    assert (height, width) == expected.shape[:2]
    from PIL import Image

    decoded = np.atleast_3d(np.array(Image.open(io.BytesIO(encoded[2]))))  # (H, W, C)
    np.testing.assert_array_equal(decoded[..., 0], expected if expected.ndim == 2 else expected[..., 0])
    if conditional:  # one row per class: 10 rows of 2
        assert height > width


def test_bad_arguments():
    with pytest.raises(ValueError, match="update_freq=0"):
        keras_gan.callbacks.TensorBoardLogger("x", update_freq=0)
    with pytest.raises(ValueError, match="image_freq=-1"):
        keras_gan.callbacks.TensorBoardLogger("x", image_freq=-1)
