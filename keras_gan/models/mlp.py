"""Small MLP generator and discriminator for low-dimensional (toy) data."""

import keras
from keras import layers

from keras_gan.models._checks import check_positive_int


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
