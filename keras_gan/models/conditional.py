"""Class-conditional DCGAN generator and projection discriminator."""

import numbers

import keras
from keras import layers

from keras_gan.validation import check_filters
from keras_gan.validation import check_image_shape
from keras_gan.validation import check_positive_int
from keras_gan.models.dcgan import conv_features
from keras_gan.models.dcgan import dcgan_trunk


def _labels_input():
    return keras.Input((), dtype="int32", name="label")


def class_batch_norm(label, num_classes):
    """Conditional batch normalization: a per-class gain and bias after batch norm.

    `y = gamma[label] * BN(x) + beta[label]`, with `BN` unscaled and
    uncentred and `gamma`, `beta` two `Embedding(num_classes, channels)`
    initialised to ones and zeros (de Vries et al., 2017, "Modulating early
    visual processing by language"; the generator of Miyato & Koyama, 2018).
    The label then shapes every layer of G, not only its input.

    Args:
        label: the `(batch,)` integer label tensor of a functional model.
        num_classes: number of classes.

    Returns:
        A function `norm(x)` for `dcgan_trunk`, for inputs `(batch, c)` or
        `(batch, h, w, c)`.

    Example:
        >>> label = keras.Input((), dtype="int32")
        >>> norm = class_batch_norm(label, 10)
    """

    def norm(x):
        channels = x.shape[-1]
        x = layers.BatchNormalization(center=False, scale=False)(x)
        gamma = layers.Embedding(num_classes, channels, embeddings_initializer="ones")(label)
        beta = layers.Embedding(num_classes, channels, embeddings_initializer="zeros")(label)
        if len(x.shape) > 2:
            shape = (1,) * (len(x.shape) - 2) + (channels,)
            gamma = layers.Reshape(shape)(gamma)
            beta = layers.Reshape(shape)(beta)
        return layers.Add()([layers.Multiply()([x, gamma]), beta])

    return norm


def conditional_dcgan_generator(latent_dim=100, num_classes=10, image_shape=(28, 28, 1),
                                embedding_dim=50, filters=(256, 128, 64), kernel_size=5,
                                class_norm=False, name="conditional_dcgan_generator"):
    """DCGAN generator conditioned on a class label.

    The label is embedded (`Embedding(num_classes, embedding_dim)`) and
    concatenated with the noise before the DCGAN trunk (Mirza & Osindero, 2014).
    With `class_norm=True` every batch normalization of the trunk also
    takes a per-class gain and bias (`class_batch_norm`).

    Args:
        latent_dim: noise size.
        num_classes: number of classes.
        image_shape: `(height, width, channels)`, height and width divisible by 4.
        embedding_dim: size of the label embedding.
        filters: see `dcgan_generator`.
        kernel_size: see `dcgan_generator`.
        class_norm: conditional batch normalization in every layer.
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
    if not isinstance(class_norm, bool):
        raise ValueError(f"class_norm must be True or False. Received: class_norm={class_norm!r}")
    z = keras.Input((latent_dim,), name="z")
    label = _labels_input()
    e = layers.Embedding(num_classes, embedding_dim)(label)
    h = layers.Concatenate()([z, e])
    norm = class_batch_norm(label, num_classes) if class_norm else None
    return keras.Model([z, label], dcgan_trunk(h, image_shape, filters, kernel_size, norm),
                       name=name)


def conditional_dcgan_discriminator(num_classes=10, image_shape=(28, 28, 1), filters=(64, 128),
                                    dropout=0.3, kernel_size=5, projection_weight=1.0,
                                    name="conditional_dcgan_discriminator"):
    """Projection discriminator (Miyato & Koyama, 2018) on DCGAN features.

    `D(x, y) = w . phi(x) + a * embed(y) . phi(x)`: the label's embedding is
    dotted with the image features, so D judges "is this a real image of
    class y". The weight `a` of the class term (default 1, the paper's)
    sets how hard D presses on class identity against realism; with Adam
    a smaller `a` makes the class term learn more slowly. No batch
    normalization: safe with every penalty.

    Args:
        num_classes: number of classes.
        image_shape: `(height, width, channels)`.
        filters: see `dcgan_discriminator`.
        dropout: see `dcgan_discriminator`.
        kernel_size: see `dcgan_discriminator`.
        projection_weight: the weight `a` of the class (projection) term,
            a number >= 0.
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
    if (isinstance(projection_weight, bool) or not isinstance(projection_weight, numbers.Real)
            or not projection_weight >= 0):
        raise ValueError("projection_weight must be a number >= 0. "
                         f"Received: projection_weight={projection_weight!r}")
    x = keras.Input(image_shape, name="image")
    label = _labels_input()
    h = conv_features(x, filters, dropout, kernel_size)
    features = h.shape[-1]
    e = layers.Embedding(num_classes, features)(label)
    projection = layers.Dot(axes=1)([h, e])
    if projection_weight != 1:
        projection = layers.Rescaling(float(projection_weight))(projection)
    logit = layers.Add(dtype="float32")([layers.Dense(1)(h), projection])
    return keras.Model([x, label], logit, name=name)
