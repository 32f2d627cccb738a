"""Small MLP generator and discriminator for low-dimensional (toy) data."""

import keras
from keras import layers

from keras_gan.validation import check_positive_int


def mlp_generator(latent_dim=2, output_dim=2, units=(128, 128), name="mlp_generator"):
    """MLP generator with a linear output, for vectors (e.g. 2-D toy data).

    Args:
        latent_dim: noise size.
        output_dim: size of each generated vector.
        units: hidden widths (ReLU).
        name: model name.

    Returns:
        A functional `keras.Model` mapping `(batch, latent_dim)` to
        `(batch, output_dim)`.

    Example:
        >>> G = mlp_generator(2, 2)
    """
    check_positive_int("latent_dim", latent_dim)
    check_positive_int("output_dim", output_dim)
    z = keras.Input((latent_dim,), name="z")
    x = z
    for u in units:
        x = layers.Dense(u, activation="relu")(x)
    return keras.Model(z, layers.Dense(output_dim)(x), name=name)


def mlp_discriminator(input_dim=2, units=(128, 128), name="mlp_discriminator"):
    """MLP discriminator (LeakyReLU 0.2) returning one logit per vector.

    Args:
        input_dim: size of each input vector.
        units: hidden widths.
        name: model name.

    Returns:
        A functional `keras.Model` mapping `(batch, input_dim)` to `(batch, 1)`.

    Example:
        >>> D = mlp_discriminator(2)
    """
    check_positive_int("input_dim", input_dim)
    x_in = keras.Input((input_dim,), name="x")
    x = x_in
    for u in units:
        x = layers.Dense(u)(x)
        x = layers.LeakyReLU(0.2)(x)
    return keras.Model(x_in, layers.Dense(1)(x), name=name)


def conditional_mlp_generator(latent_dim=2, num_classes=8, output_dim=2, units=(128, 128), embedding_dim=16, name="conditional_mlp_generator"):
    """MLP generator conditioned on a class label (embedding concatenated to z).

    Args:
        latent_dim: noise size.
        num_classes: number of classes.
        output_dim: size of each generated vector.
        units: hidden widths (ReLU).
        embedding_dim: size of the label embedding.
        name: model name.

    Returns:
        A functional `keras.Model` with inputs `[z, label]`.

    Example:
        >>> G = conditional_mlp_generator(2, 8, 2)
    """
    check_positive_int("latent_dim", latent_dim)
    check_positive_int("num_classes", num_classes)
    z = keras.Input((latent_dim,), name="z")
    label = keras.Input((), dtype="int32", name="label")
    x = layers.Concatenate()([z, layers.Embedding(num_classes, embedding_dim)(label)])
    for u in units:
        x = layers.Dense(u, activation="relu")(x)
    return keras.Model([z, label], layers.Dense(output_dim)(x), name=name)


def conditional_mlp_discriminator(num_classes=8, input_dim=2, units=(128, 128), name="conditional_mlp_discriminator"):
    """Projection MLP discriminator (Miyato & Koyama, 2018) for vectors.

    Args:
        num_classes: number of classes.
        input_dim: size of each input vector.
        units: hidden widths (LeakyReLU 0.2).
        name: model name.

    Returns:
        A functional `keras.Model` with inputs `[x, label]`, output `(batch, 1)`.

    Example:
        >>> D = conditional_mlp_discriminator(8, 2)
    """
    check_positive_int("num_classes", num_classes)
    x_in = keras.Input((input_dim,), name="x")
    label = keras.Input((), dtype="int32", name="label")
    h = x_in
    for u in units:
        h = layers.Dense(u)(h)
        h = layers.LeakyReLU(0.2)(h)
    projection = layers.Dot(axes=1)([h, layers.Embedding(num_classes, h.shape[-1])(label)])
    return keras.Model([x_in, label], layers.Add()([layers.Dense(1)(h), projection]), name=name)
