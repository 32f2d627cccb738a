"""DCGAN generator and discriminator (tensorflow.org's MNIST DCGAN tutorial shape)."""

import keras
from keras import layers

from keras_gan.validation import check_filters
from keras_gan.validation import check_image_shape
from keras_gan.validation import check_positive_int


def dcgan_trunk(z, image_shape, filters=(256, 128, 64), kernel_size=5, norm=None):
    """The DCGAN generator body: dense projection, then transposed convolutions.

    `Dense(h/4 * w/4 * f0) -> BN -> LeakyReLU -> Reshape`, then one
    `ConvT(f, k) -> BN -> LeakyReLU` per further entry of `filters`, and a
    final `ConvT(c, k) -> tanh`. The last two transposed convolutions have
    stride 2 (the two upsamplings), the earlier ones stride 1. With the
    defaults this is `ConvT(128, 5, 1) -> ConvT(64, 5, 2) -> ConvT(c, 5, 2)`
    (Radford et al., 2016; the tensorflow.org DCGAN tutorial).

    `norm(x)` returns the normalized tensor in place of `BatchNormalization()(x)`
    (default); the conditional generator passes a class-conditional one.
    """
    if norm is None:
        def norm(x):
            return layers.BatchNormalization()(x)
    h, w, c = image_shape
    f0, hidden = filters[0], filters[1:]
    x = layers.Dense((h // 4) * (w // 4) * f0, use_bias=False)(z)
    x = norm(x)
    x = layers.LeakyReLU()(x)
    x = layers.Reshape((h // 4, w // 4, f0))(x)
    for i, f in enumerate(hidden):
        stride = 2 if i == len(hidden) - 1 else 1
        x = layers.Conv2DTranspose(f, kernel_size, strides=stride, padding="same",
                                   use_bias=False)(x)
        x = norm(x)
        x = layers.LeakyReLU()(x)
    return layers.Conv2DTranspose(
        c, kernel_size, strides=2, padding="same", use_bias=False, activation="tanh",
        dtype="float32",
    )(x)


def dcgan_generator(latent_dim=100, image_shape=(28, 28, 1), filters=(256, 128, 64),
                    kernel_size=5, name="dcgan_generator"):
    """DCGAN generator mapping `(batch, latent_dim)` noise to images in [-1, 1].

    With the defaults this is the generator of tensorflow.org's MNIST DCGAN
    tutorial (2.33 M parameters): 7x7x256 projection, a stride-1 and two
    stride-2 transposed convolutions. Shorter `filters` give leaner
    generators, e.g. `filters=(128, 64)`: two upsampling layers only.

    Args:
        latent_dim: noise size.
        image_shape: `(height, width, channels)`, height and width divisible
            by 4.
        filters: channels of the projection, then of each hidden transposed
            convolution (at least one); the last hidden one upsamples.
        kernel_size: kernel size of the transposed convolutions.
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
    filters = check_filters("filters", filters, 2)
    check_positive_int("kernel_size", kernel_size)
    z = keras.Input((latent_dim,), name="z")
    return keras.Model(z, dcgan_trunk(z, image_shape, filters, kernel_size), name=name)


def conv_features(x, filters=(64, 128), dropout=0.3, kernel_size=5):
    """Strided convolutions with LeakyReLU and dropout, flattened."""
    for f in filters:
        x = layers.Conv2D(f, kernel_size, strides=2, padding="same")(x)
        x = layers.LeakyReLU()(x)
        if dropout:
            x = layers.Dropout(dropout)(x)
    return layers.Flatten()(x)


def dcgan_discriminator(image_shape=(28, 28, 1), filters=(64, 128), dropout=0.3,
                        kernel_size=5, name="dcgan_discriminator"):
    """Convolutional discriminator returning one logit per image.

    `Conv(64, 5, 2) -> LeakyReLU -> Dropout -> Conv(128, 5, 2) -> LeakyReLU
    -> Dropout -> Flatten -> Dense(1)`: the tensorflow.org tutorial's
    discriminator (0.21 M parameters on MNIST). It has no batch normalization,
    so it works with every gradient penalty.

    Args:
        image_shape: `(height, width, channels)`.
        filters: channels of the strided convolutions (one per stride-2 layer).
        dropout: dropout rate after each convolution (0 to disable).
        kernel_size: kernel size of the convolutions.
        name: model name.

    Returns:
        A functional `keras.Model` with output shape `(batch, 1)`.

    Example:
        >>> D = dcgan_discriminator((28, 28, 1))
    """
    image_shape = check_image_shape(image_shape)
    filters = check_filters("filters", filters, 1)
    check_positive_int("kernel_size", kernel_size)
    if not 0.0 <= float(dropout) < 1.0:
        raise ValueError(f"`dropout` must be in [0, 1). Received: dropout={dropout!r}")
    x = keras.Input(image_shape, name="image")
    h = conv_features(x, filters, dropout, kernel_size)
    logit = layers.Dense(1, dtype="float32")(h)
    return keras.Model(x, logit, name=name)
