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


@pytest.mark.parametrize("shape", [(32, 32, 3), (16, 24, 2), (28, 28, 1)])
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
    ],
)
def test_bad_builder_arguments(build, match):
    with pytest.raises(ValueError, match=match):
        build()
