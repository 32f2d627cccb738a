"""Real MNIST: a smoke test on a slice of ../shared/data/mnist.npz and the loader."""

import numpy as np
import pytest

import keras_gan
from keras_gan.data import load_mnist
from keras_gan.data import to_gan_range


def test_dcgan_on_real_mnist_slice(mnist_path):
    x, y, source = load_mnist(mnist_path)
    assert x.shape == (60000, 28, 28) and x.dtype == np.uint8 and source == mnist_path
    images = to_gan_range(x[:256])
    G = keras_gan.models.dcgan_generator(32, (28, 28, 1), filters=(32, 16, 8))
    D = keras_gan.models.dcgan_discriminator((28, 28, 1), filters=(16, 32))
    gan = keras_gan.GAN(G, D, 32, loss="non_saturating", penalty=keras_gan.penalties.R1(gamma=1.0))
    gan.compile()
    before = [w.copy() for w in G.get_weights()]
    history = gan.fit(images, batch_size=64, epochs=2, verbose=0)
    for key, values in history.history.items():
        assert np.all(np.isfinite(values)), key
    # D learns something about real digits after 8 steps.
    assert history.history["d_real"][-1] > history.history["d_fake"][-1]
    assert any(not np.allclose(a, b) for a, b in zip(before, G.get_weights(), strict=True))
    samples = gan.generate(16, seed=0)
    assert samples.shape == (16, 28, 28, 1)
    assert samples.min() >= -1.0 and samples.max() <= 1.0


def test_conditional_on_real_mnist_slice(mnist_path):
    x, y, _ = load_mnist(mnist_path, split="test")
    G = keras_gan.models.conditional_dcgan_generator(16, 10, (28, 28, 1), filters=(16, 8, 8))
    D = keras_gan.models.conditional_dcgan_discriminator(10, (28, 28, 1), filters=(8, 16))
    gan = keras_gan.ConditionalGAN(G, D, 16, num_classes=10, loss="hinge")
    gan.compile()
    history = gan.fit(to_gan_range(x[:128]), y[:128].astype("int32"), batch_size=64, epochs=1, verbose=0)
    assert np.isfinite(history.history["g_loss"][-1])
    assert gan.generate(labels=list(range(10)), seed=0).shape == (10, 28, 28, 1)


def test_bundled_sample_fallback(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))  # empty cache
    import pytest

    with pytest.warns(UserWarning, match="bundled"):
        x, y, source = load_mnist(download=False)
    assert source == "bundled-sample"
    assert x.shape == (2000, 28, 28) and x.dtype == np.uint8
    assert np.bincount(y, minlength=10).tolist() == [200] * 10
    xt, yt, _ = load_mnist(download=False, split="test")
    assert xt.shape == (500, 28, 28)
    # Real digits: mean intensity of MNIST is about 33/255.
    assert 25 < x.mean() < 40


@pytest.mark.once
def test_bundled_sample_is_real_mnist(mnist_path):
    full = np.load(mnist_path)
    sample = np.load(keras_gan.data.mnist.SAMPLE_PATH)
    hashes = {row.tobytes() for row in full["x_train"].reshape(60000, -1)}
    assert all(row.tobytes() in hashes for row in sample["x_train"].reshape(2000, -1)[:200])


@pytest.mark.once
def test_loader_errors(tmp_path):
    import pytest

    with pytest.raises(FileNotFoundError, match="Received: path="):
        load_mnist(str(tmp_path / "missing.npz"))
    with pytest.raises(ValueError, match="split='val'"):
        load_mnist(split="val")


def test_to_gan_range():
    out = to_gan_range(np.array([[[0, 255]]], np.uint8))
    np.testing.assert_array_equal(out[..., 0], [[[-1.0, 1.0]]])
    assert out.shape == (1, 1, 2, 1)
    np.testing.assert_array_equal(keras_gan.data.to_uint8(out), [[[[0], [255]]]])
