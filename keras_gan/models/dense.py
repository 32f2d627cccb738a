"""A fully connected generator for images (see docs/concepts.md)."""

import math

import keras
from keras import layers

from keras_gan.validation import check_image_shape
from keras_gan.validation import check_positive_int


def dense_generator(latent_dim=100, image_shape=(28, 28, 1), units=(256, 512, 1024), name="dense_generator"):
    """Generator of stacked Dense layers whose output is reshaped to an image.

    `z -> [Dense(u) -> LeakyReLU(0.2)] * len(units) -> Dense(h*w*c, tanh)
    -> Reshape(image_shape)`: the generator of Goodfellow et al. (2014),
    paired in our docs with `dcgan_discriminator`. The output shape is exactly
    `image_shape`, the discriminator's input shape.

    Args:
        latent_dim: noise size.
        image_shape: `(height, width, channels)` of the output images.
        units: widths of the hidden layers.
        name: model name.

    Returns:
        A functional `keras.Model`.

    Example:
        >>> G = dense_generator(64, (28, 28, 1))
        >>> D = dcgan_discriminator((28, 28, 1))
    """
    check_positive_int("latent_dim", latent_dim)
    image_shape = check_image_shape(image_shape)
    z = keras.Input((latent_dim,), name="z")
    x = z
    for u in units:
        x = layers.Dense(u)(x)
        x = layers.LeakyReLU(0.2)(x)
    x = layers.Dense(math.prod(image_shape), activation="tanh", dtype="float32")(x)
    x = layers.Reshape(image_shape)(x)
    return keras.Model(z, x, name=name)
