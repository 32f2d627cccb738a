"""Class-conditional DCGAN generator and projection discriminator."""

import keras
from keras import layers

from keras_gan.validation import check_filters
from keras_gan.validation import check_image_shape
from keras_gan.validation import check_positive_int
from keras_gan.models.dcgan import conv_features
from keras_gan.models.dcgan import dcgan_trunk


def _labels_input():
    return keras.Input((), dtype="int32", name="label")


def conditional_dcgan_generator(latent_dim=100, num_classes=10, image_shape=(28, 28, 1),
                                embedding_dim=50, filters=(256, 128, 64), kernel_size=5,
                                name="conditional_dcgan_generator"):
    """DCGAN generator conditioned on a class label.

    The label is embedded (`Embedding(num_classes, embedding_dim)`) and
    concatenated with the noise before the DCGAN trunk (Mirza & Osindero, 2014).

    Args:
        latent_dim: noise size.
        num_classes: number of classes.
        image_shape: `(height, width, channels)`, height and width divisible by 4.
        embedding_dim: size of the label embedding.
        filters: see `dcgan_generator`.
        kernel_size: see `dcgan_generator`.
        name: model name.

    Returns:
        A functional `keras.Model` with inputs `[z, label]`.

    Example:
        >>> G = conditional_dcgan_generator(100, 10, (28, 28, 1))
    """
    check_positive_int("latent_dim", latent_dim)
    check_positive_int("num_classes", num_classes)
    image_shape = check_image_shape(image_shape, multiple=4)
    filters = check_filters("filters", filters, 2)
    check_positive_int("kernel_size", kernel_size)
    z = keras.Input((latent_dim,), name="z")
    label = _labels_input()
    e = layers.Embedding(num_classes, embedding_dim)(label)
    h = layers.Concatenate()([z, e])
    return keras.Model([z, label], dcgan_trunk(h, image_shape, filters, kernel_size), name=name)


def conditional_dcgan_discriminator(num_classes=10, image_shape=(28, 28, 1), filters=(64, 128),
                                    dropout=0.3, kernel_size=5,
                                    name="conditional_dcgan_discriminator"):
    """Projection discriminator (Miyato & Koyama, 2018) on DCGAN features.

    `D(x, y) = w . phi(x) + embed(y) . phi(x)`: the label's embedding is
    dotted with the image features, so D judges "is this a real image of
    class y". No batch normalization: safe with every penalty.

    Args:
        num_classes: number of classes.
        image_shape: `(height, width, channels)`.
        filters: see `dcgan_discriminator`.
        dropout: see `dcgan_discriminator`.
        kernel_size: see `dcgan_discriminator`.
        name: model name.

    Returns:
        A functional `keras.Model` with inputs `[image, label]`, output
        `(batch, 1)`.

    Example:
        >>> D = conditional_dcgan_discriminator(10, (28, 28, 1))
    """
    check_positive_int("num_classes", num_classes)
    image_shape = check_image_shape(image_shape)
    filters = check_filters("filters", filters, 1)
    check_positive_int("kernel_size", kernel_size)
    x = keras.Input(image_shape, name="image")
    label = _labels_input()
    h = conv_features(x, filters, dropout, kernel_size)
    features = h.shape[-1]
    e = layers.Embedding(num_classes, features)(label)
    projection = layers.Dot(axes=1)([h, e])
    logit = layers.Add(dtype="float32")([layers.Dense(1)(h), projection])
    return keras.Model([x, label], logit, name=name)
