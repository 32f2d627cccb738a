"""DCGAN generator and discriminator (tensorflow.org's MNIST DCGAN tutorial shape)."""

import keras
from keras import layers

from keras_gan.models._checks import check_image_shape
from keras_gan.models._checks import check_positive_int


def dcgan_trunk(z, image_shape, filters=(256, 128, 64)):
    """The DCGAN generator body: dense projection, then transposed convolutions.

    `Dense(h/4 * w/4 * f0) -> BN -> LeakyReLU -> Reshape -> ConvT(f1, 5, 1)
    -> BN -> LeakyReLU -> ConvT(f2, 5, 2) -> BN -> LeakyReLU -> ConvT(c, 5, 2)
    -> tanh` (Radford et al., 2016; the tensorflow.org DCGAN tutorial).
    """
    h, w, c = image_shape
    f0, f1, f2 = filters
    x = layers.Dense((h // 4) * (w // 4) * f0, use_bias=False)(z)
    x = layers.BatchNormalization()(x)
    x = layers.LeakyReLU()(x)
    x = layers.Reshape((h // 4, w // 4, f0))(x)
    x = layers.Conv2DTranspose(f1, 5, strides=1, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.LeakyReLU()(x)
    x = layers.Conv2DTranspose(f2, 5, strides=2, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.LeakyReLU()(x)
    return layers.Conv2DTranspose(
        c, 5, strides=2, padding="same", use_bias=False, activation="tanh",
        dtype="float32",
    )(x)


def dcgan_generator(latent_dim=100, image_shape=(28, 28, 1), filters=(256, 128, 64), name="dcgan_generator"):
    """DCGAN generator mapping `(batch, latent_dim)` noise to images in [-1, 1].

    With the defaults this is the generator of tensorflow.org's MNIST DCGAN
    tutorial (2.33 M parameters): 7x7x256 projection, two upsampling steps.

    Args:
        latent_dim: noise size.
        image_shape: `(height, width, channels)`, height and width divisible
            by 4.
        filters: channels of the projection and the two hidden
            transposed convolutions.
        name: model name.

    Returns:
        A functional `keras.Model`.

    Example:
        >>> G = dcgan_generator(100, (28, 28, 1))
        >>> G.output_shape
        (None, 28, 28, 1)
    """
    check_positive_int("latent_dim", latent_dim)
    image_shape = check_image_shape(image_shape, multiple=4)
    z = keras.Input((latent_dim,), name="z")
    return keras.Model(z, dcgan_trunk(z, image_shape, filters), name=name)


def conv_features(x, filters=(64, 128), dropout=0.3):
    """Strided 5x5 convolutions with LeakyReLU and dropout, flattened."""
    for f in filters:
        x = layers.Conv2D(f, 5, strides=2, padding="same")(x)
        x = layers.LeakyReLU()(x)
        if dropout:
            x = layers.Dropout(dropout)(x)
    return layers.Flatten()(x)


def dcgan_discriminator(image_shape=(28, 28, 1), filters=(64, 128), dropout=0.3, name="dcgan_discriminator"):
    """Convolutional discriminator returning one logit per image.

    `Conv(64, 5, 2) -> LeakyReLU -> Dropout -> Conv(128, 5, 2) -> LeakyReLU
    -> Dropout -> Flatten -> Dense(1)`: the tensorflow.org tutorial's
    discriminator (0.21 M parameters on MNIST). It has no batch normalization,
    so it works with every gradient penalty.

    Args:
        image_shape: `(height, width, channels)`.
        filters: channels of the strided convolutions.
        dropout: dropout rate after each convolution (0 to disable).
        name: model name.

    Returns:
        A functional `keras.Model` with output shape `(batch, 1)`.

    Example:
        >>> D = dcgan_discriminator((28, 28, 1))
    """
    image_shape = check_image_shape(image_shape)
    x = keras.Input(image_shape, name="image")
    h = conv_features(x, filters, dropout)
    logit = layers.Dense(1, dtype="float32")(h)
    return keras.Model(x, logit, name=name)
