"""`Generator`: a trained generator network, ready to sample, save and share."""

import copy

import keras
import numpy as np
from keras import ops

from keras_gan import validation
from keras_gan.models._checks import check_positive_int


@keras.saving.register_keras_serializable(package="keras_gan")
class Generator(keras.Model):
    """A standalone generator: the network plus what is needed to sample from it.

    It wraps the generator network of a trained GAN (usually its EMA copy)
    together with its latent size and, for class-conditional models, the
    number of classes. Calling it runs the network (`G(z)` or `G([z, labels])`);
    `generate` draws the noise too. The noise of `generate(n, seed=s)` comes
    from NumPy (`np.random.default_rng(s).standard_normal`), so a seed gives
    the same samples on TensorFlow, JAX and PyTorch. This is the object
    `keras_gan.zoo.load` returns.

    Args:
        network: the generator `keras.Model`, inputs `z` (unconditional)
            or `[z, labels]` (conditional).
        latent_dim: size of the noise vector.
        num_classes: number of classes of a conditional generator, else
            `None`.
        data_range: `(low, high)` range of the outputs, `(-1, 1)` for the
            bundled generators (tanh).
        **kwargs: `keras.Model` arguments (e.g. `name`).

    Example:
        >>> G = keras_gan.Generator.from_gan(gan)          # EMA copy if any
        >>> images = G.generate(16, seed=0)                # numpy, in [-1, 1]
        >>> sevens = G.generate(labels=[7] * 8, seed=0)    # conditional models
    """

    def __init__(self, network, latent_dim, num_classes=None, data_range=(-1.0, 1.0), **kwargs):
        super().__init__(**kwargs)
        if not isinstance(network, keras.Model):
            raise TypeError(
                "`network` must be a keras.Model. "
                f"Received: network={type(network).__name__}"
            )
        check_positive_int("latent_dim", int(latent_dim) if isinstance(latent_dim, np.integer) else latent_dim)
        if num_classes is not None:
            if isinstance(num_classes, bool) or not isinstance(num_classes, (int, np.integer)) or num_classes < 2:
                raise ValueError(
                    "`num_classes` must be an integer >= 2 or None. "
                    f"Received: num_classes={num_classes!r}"
                )
            num_classes = int(num_classes)
        self.network = network
        self.latent_dim = int(latent_dim)
        self.num_classes = num_classes
        self.data_range = None if data_range is None else tuple(float(v) for v in data_range)
        self.built = network.built

    @property
    def conditional(self):
        """Whether the generator takes class labels."""
        return self.num_classes is not None

    @property
    def image_shape(self):
        """Shape of one sample, e.g. `(28, 28, 1)`."""
        return tuple(self.network.outputs[0].shape[1:])

    @classmethod
    def from_gan(cls, gan, use_ema=None, name=None):
        """The generator of a trained `GAN` or `ConditionalGAN`.

        Args:
            gan: a `keras_gan.GAN`.
            use_ema: take the EMA generator (default: when the GAN has one).
            name: model name (default: the network's).

        Returns:
            A `Generator` sharing the GAN's network weights.
        """
        if use_ema is None:
            use_ema = gan.generator_ema is not None
        network = gan.generator_ema if use_ema else gan.generator
        if network is None:
            raise ValueError(
                "use_ema=True but this GAN keeps no EMA generator. Received: use_ema=True"
            )
        return cls(
            network,
            latent_dim=gan.latent_dim,
            num_classes=getattr(gan, "num_classes", None),
            data_range=gan.data_range,
            name=name or network.name,
        )

    def call(self, inputs, training=False):
        return self.network(inputs, training=training)

    def _labels(self, labels, n):
        if not self.conditional:
            if labels is not None:
                raise ValueError(
                    "This generator is unconditional: generate() takes no labels. "
                    f"Received: labels={labels!r}"
                )
            return None
        if labels is None:
            raise ValueError(
                f"This generator is class-conditional ({self.num_classes} classes): "
                "pass labels=[...], one integer per sample. Received: labels=None"
            )
        return validation.per_sample_labels(labels, n, self.num_classes)

    def generate(self, n_or_z=None, labels=None, seed=None, batch_size=256):
        """Draws samples.

        Args:
            n_or_z: number of samples, or a `(n, latent_dim)` noise array.
                Defaults to one sample per label for conditional generators.
            labels: conditional generators only: one integer class per
                sample, or one class for all.
            seed: seed of the NumPy noise (same seed, same samples on every
                backend); `None` draws fresh noise.
            batch_size: generator batch size.

        Returns:
            numpy array `(n, *image_shape)` in `data_range`.
        """
        if n_or_z is None:
            if labels is None or np.ndim(labels) == 0:
                raise ValueError(
                    "Pass the number of samples (or one label per sample). "
                    f"Received: n_or_z=None, labels={labels!r}"
                )
            n_or_z = len(labels)
        if isinstance(n_or_z, (int, np.integer)) and not isinstance(n_or_z, bool):
            if n_or_z < 1:
                raise ValueError(f"Number of samples must be >= 1. Received: n={n_or_z}")
            z = np.random.default_rng(seed).standard_normal((int(n_or_z), self.latent_dim))
        else:
            z = np.asarray(ops.convert_to_numpy(n_or_z))
            if z.ndim != 2 or z.shape[1] != self.latent_dim:
                raise ValueError(
                    f"Noise must have shape (n, {self.latent_dim}). "
                    f"Received: z.shape={tuple(z.shape)}"
                )
        z = z.astype("float32")
        n = z.shape[0]
        labels = self._labels(labels, n)
        check_positive_int("batch_size", batch_size)
        out = []
        for start in range(0, n, batch_size):
            zb = z[start:start + batch_size]
            inputs = zb if labels is None else [zb, labels[start:start + batch_size]]
            out.append(ops.convert_to_numpy(self.network(inputs, training=False)))
        return np.concatenate(out, axis=0)

    def get_config(self):
        return {
            "name": self.name,
            "network": keras.saving.serialize_keras_object(self.network),
            "latent_dim": self.latent_dim,
            "num_classes": self.num_classes,
            "data_range": None if self.data_range is None else list(self.data_range),
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = copy.deepcopy(config)  # Keras' deserialisation consumes the nested dicts
        config["network"] = keras.saving.deserialize_keras_object(
            config["network"], custom_objects=custom_objects
        )
        return cls(**config)
