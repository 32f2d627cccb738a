"""Architectures: shapes, parameter counts, no BatchNormalization in D."""

import keras
import numpy as np
import pytest

import keras_gan
from keras_gan import models


def test_dcgan_pair_matches_tensorflow_tutorial():
    G = models.dcgan_generator(100, (28, 28, 1))
    D = models.dcgan_discriminator((28, 28, 1))
    # tensorflow.org/tutorials/generative/dcgan: 2,330,944 and 212,865.
    assert G.count_params() == 2_330_944
    assert D.count_params() == 212_865
    assert G.output_shape == (None, 28, 28, 1)
    assert D.output_shape == (None, 1)


@pytest.mark.parametrize("shape", [(32, 32, 3), (64, 64, 3), (16, 24, 2), (28, 28, 1)])
def test_image_size_and_channels(shape):
    for G in (models.dcgan_generator(16, shape, filters=(8, 8, 4)), models.dense_generator(16, shape, units=(8,))):
        assert G.output_shape[1:] == shape
        z = np.random.default_rng(0).normal(size=(3, 16)).astype("float32")
        out = keras.ops.convert_to_numpy(G(z))
        assert out.shape == (3,) + shape
        assert np.all(np.abs(out) <= 1.0)
    D = models.dcgan_discriminator(shape, filters=(4, 8))
    assert D.output_shape == (None, 1)
    keras_gan.GAN(models.dense_generator(16, shape, units=(8,)), D, 16)  # shapes agree
    # The colour builders round-trip through their config with the same outputs.
    G = models.dcgan_generator(16, shape, filters=(8, 8, 4))
    clone = keras.Model.from_config(G.get_config())
    clone.set_weights(G.get_weights())
    z = np.random.default_rng(1).normal(size=(2, 16)).astype("float32")
    np.testing.assert_allclose(keras.ops.convert_to_numpy(clone(z)),
                               keras.ops.convert_to_numpy(G(z)), atol=1e-6)
    assert clone.get_config() == G.get_config()


def test_conditional_models():
    G = models.conditional_dcgan_generator(16, 10, (28, 28, 1), filters=(8, 8, 4))
    D = models.conditional_dcgan_discriminator(10, (28, 28, 1), filters=(4, 8))
    z = keras.ops.zeros((4, 16), "float32")
    y = keras.ops.convert_to_tensor(np.array([0, 3, 9, 1], "int32"))
    images = G([z, y])
    assert tuple(images.shape) == (4, 28, 28, 1)
    assert tuple(D([images, y]).shape) == (4, 1)
    # The label changes the output (the conditioning is wired in).
    a = keras.ops.convert_to_numpy(G([z, keras.ops.zeros((4,), "int32")]))
    b = keras.ops.convert_to_numpy(G([z, keras.ops.full((4,), 5, "int32")]))
    assert not np.allclose(a, b)
    keras_gan.ConditionalGAN(G, D, 16, num_classes=10)


def test_projection_weight():
    """D(x, y) = w.phi(x) + a * embed(y).phi(x): linear in a, the same weights."""
    rng = np.random.default_rng(1)
    x = rng.uniform(-1, 1, size=(6, 28, 28, 1)).astype("float32")
    y = np.array([0, 1, 2, 7, 8, 9], "int32")
    outs = {}
    base = models.conditional_dcgan_discriminator(10, (28, 28, 1), filters=(4, 8), dropout=0.0)
    for embedding in [l for l in base._flatten_layers() if isinstance(l, keras.layers.Embedding)]:
        embedding.embeddings.assign(rng.normal(size=embedding.embeddings.shape).astype("float32"))
    for a in (0.0, 0.5, 1.0):
        D = models.conditional_dcgan_discriminator(10, (28, 28, 1), filters=(4, 8), dropout=0.0,
                                                   projection_weight=a)
        D.set_weights(base.get_weights())
        outs[a] = keras.ops.convert_to_numpy(D([x, y]))
    np.testing.assert_allclose(outs[1.0], keras.ops.convert_to_numpy(base([x, y])), atol=1e-6)
    np.testing.assert_allclose(outs[0.5], (outs[0.0] + outs[1.0]) / 2, rtol=1e-4, atol=1e-5)
    assert np.abs(outs[1.0] - outs[0.0]).max() > 1e-3  # the class term is not nil


def test_class_norm_generator(tmp_path):
    """Conditional batch norm: gamma[label] * BN(x) + beta[label] in every layer."""
    G = models.conditional_dcgan_generator(16, 10, (28, 28, 1), filters=(8, 8, 4),
                                           kernel_size=4, class_norm=True)
    plain = models.conditional_dcgan_generator(16, 10, (28, 28, 1), filters=(8, 8, 4),
                                               kernel_size=4)
    # Three normalizations (Dense, two ConvT) of 392, 8 and 4 channels: a gain
    # and a bias per class and channel on top of the plain model.
    assert G.count_params() - plain.count_params() == 2 * 10 * (392 + 8 + 4) - 2 * (392 + 8 + 4)
    bns = [l for l in G._flatten_layers() if isinstance(l, keras.layers.BatchNormalization)]
    assert len(bns) == 3 and not any(l.center or l.scale for l in bns)
    rng = np.random.default_rng(0)
    # Give every class its own gain and bias, then check the affine step by hand.
    embeddings = [l for l in G._flatten_layers() if isinstance(l, keras.layers.Embedding)]
    for layer in embeddings[1:]:
        layer.embeddings.assign(rng.normal(size=layer.embeddings.shape).astype("float32"))
    adds = [l for l in G._flatten_layers() if isinstance(l, keras.layers.Add)]
    probe = keras.Model(G.inputs, [bns[1].output, adds[1].output])
    gamma, beta = (keras.ops.convert_to_numpy(e.embeddings) for e in embeddings[3:5])
    z = rng.normal(size=(5, 16)).astype("float32")
    y = np.array([0, 3, 9, 3, 7], "int32")
    normed, out = (keras.ops.convert_to_numpy(t) for t in probe([z, y], training=True))
    want = normed * gamma[y][:, None, None, :] + beta[y][:, None, None, :]
    np.testing.assert_allclose(out, want, rtol=1e-5, atol=1e-5)
    # Saved and loaded as .keras, it draws the same images.
    path = str(tmp_path / "g.keras")
    G.save(path)
    again = keras.models.load_model(path)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(again([z, y])),
                               keras.ops.convert_to_numpy(G([z, y])), atol=1e-6)
    # The EMA generator's recalibration finds all three.
    assert keras_gan.Generator(G, 16, num_classes=10).recalibrate_batch_norm(64, 32) == 3


def test_discriminators_have_no_batchnorm():
    for D in (
        models.dcgan_discriminator(),
        models.conditional_dcgan_discriminator(),
        models.mlp_discriminator(),
        models.conditional_mlp_discriminator(),
    ):
        names = [type(l).__name__ for l in D._flatten_layers()]
        assert "BatchNormalization" not in names


@pytest.mark.parametrize(
    "build, match",
    [
        (lambda: models.dcgan_generator(100, (30, 30, 1)), r"divisible by 4.*\(30, 30, 1\)"),
        (lambda: models.dcgan_generator(0), "latent_dim=0"),
        (lambda: models.dcgan_discriminator((28, 28)), r"image_shape=\(28, 28\)"),
        (lambda: models.dense_generator(10, "28x28"), "image_shape='28x28'"),
        (lambda: models.conditional_dcgan_generator(10, 0), "num_classes=0"),
        (lambda: models.conditional_dcgan_generator(10, 10, class_norm="yes"),
         "class_norm='yes'"),
        (lambda: models.conditional_dcgan_discriminator(10, projection_weight=-1.0),
         "projection_weight=-1.0"),
    ],
)
def test_bad_builder_arguments(build, match):
    with pytest.raises(ValueError, match=match):
        build()
