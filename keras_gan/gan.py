"""`GAN`: adversarial training through `fit()` on TensorFlow, JAX and PyTorch.

This file is the model: construction and its checks, the network calls,
config, saving, sampling and export. The step math is the
`AdversarialStep` mixin (keras_gan/training/adversarial_step.py), the
Keras-trainer glue (`compile`, `fit`, `evaluate`, `make_train_function`,
RNG state) the `Trainer` mixin (keras_gan/training/trainer.py), and the
backend's step signature `keras_gan.backend.GANTrainer`.
"""

import copy
import os

import keras

from keras_gan import backend
from keras_gan import losses as losses_lib
from keras_gan import penalties as penalties_lib
from keras_gan import validation
from keras_gan.generator import Generator
from keras_gan.training.adversarial_step import AdversarialStep
from keras_gan.training.trainer import Trainer
from keras_gan.utils.atomic import atomic_path
from keras_gan.validation import check_positive_int

_NORMALIZATION_LAYERS = ("BatchNormalization", "SyncBatchNormalization")


def _input_shapes(model):
    """Per-input sample shapes of a built functional model, or None."""
    inputs = getattr(model, "inputs", None)
    if not inputs:
        return None
    return [tuple(t.shape[1:]) for t in inputs]


def _output_shape(model):
    outputs = getattr(model, "outputs", None)
    if not outputs or len(outputs) != 1:
        return None
    return tuple(outputs[0].shape[1:])


@keras.saving.register_keras_serializable(package="keras_gan")
class GAN(Trainer, AdversarialStep, backend.GANTrainer, keras.Model):
    """A generative adversarial network trained with `fit()`.

    Each training step makes `d_steps` discriminator updates, then one
    generator update (Goodfellow et al., 2014, Algorithm 1):

        D: minimise  loss.d_loss(D(x), D(G(z))) + scale * penalty(D, x, G(z))
        G: minimise  loss.g_loss(D(G(z)))

    with `z ~ N(0, I)`. The math is written once in `keras.ops`; only the
    gradients and the train-step contract come from `keras_gan.backend`.
    Logs `d_loss` (without the penalty), `g_loss`, `penalty` (unweighted,
    when a penalty is set), `d_real` and `d_fake` (D's mean outputs).

    Args:
        generator: a `keras.Model` mapping `(batch, latent_dim)` noise to
            samples shaped like the discriminator's input.
        discriminator: a `keras.Model` mapping samples to `(batch, 1)` logits.
        latent_dim: size of the noise vector.
        loss: adversarial loss: a name from `keras_gan.losses.available()`
            (`"minimax"`, `"non_saturating"`, `"wasserstein"`, `"hinge"`,
            `"least_squares"`) or a `keras_gan.losses.GANLoss`.
        penalty: `None`, a name from `keras_gan.penalties.available()`
            (`"wgan_gp"`, `"r1"`, `"r2"`, `"dragan"`) or a
            `keras_gan.penalties.Penalty` (weight, lazy interval, ...).
        d_steps: discriminator updates per generator update (each with fresh
            noise, on the same real batch).
        ema_decay: if set (e.g. 0.999), keeps `generator_ema`, an exponential
            moving average of G's weights, used by `generate()`.
        ema_warmup: ramp the EMA decay up as `min(ema_decay, (1 + t) / (10 + t))`
            at GAN step `t`, so that early averages are not dominated by the
            random initial weights.
        data_range: `(low, high)` range checked on training data before
            `fit` (default `(-1, 1)`, the range of a tanh generator); `None`
            disables the range check (non-image data).
        seed: integer seed of the training noise (`None`: random).
        **kwargs: `keras.Model` arguments (`name`, ...).

    Example:
        >>> G = keras_gan.models.dcgan_generator(100, (28, 28, 1))
        >>> D = keras_gan.models.dcgan_discriminator((28, 28, 1))
        >>> gan = keras_gan.GAN(G, D, latent_dim=100, loss="wasserstein",
        ...                     penalty="wgan_gp")
        >>> gan.compile()
        >>> gan.fit(images, epochs=5, batch_size=128)
        >>> samples = gan.generate(16, seed=0)   # numpy, values in [-1, 1]
    """

    conditional = False

    def __init__(
        self,
        generator,
        discriminator,
        latent_dim,
        loss="non_saturating",
        penalty=None,
        d_steps=1,
        ema_decay=None,
        ema_warmup=True,
        data_range=(-1.0, 1.0),
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        for name, model in (("generator", generator), ("discriminator", discriminator)):
            if not isinstance(model, keras.layers.Layer):
                raise ValueError(
                    f"`{name}` must be a keras.Model. Received: "
                    f"{name}={model!r}"
                )
        latent_dim = check_positive_int("latent_dim", latent_dim)
        d_steps = check_positive_int("d_steps", d_steps)
        if ema_decay is not None and not (0.0 < float(ema_decay) < 1.0):
            raise ValueError(
                "`ema_decay` must be None or in (0, 1), e.g. 0.999. "
                f"Received: ema_decay={ema_decay!r}"
            )
        if data_range is not None:
            data_range = tuple(float(v) for v in data_range)
            if len(data_range) != 2 or data_range[0] >= data_range[1]:
                raise ValueError(
                    "`data_range` must be None or (low, high) with low < high. "
                    f"Received: data_range={data_range!r}"
                )
        self.generator = generator
        self.discriminator = discriminator
        self.latent_dim = int(latent_dim)
        self.loss_fn = losses_lib.get(loss)
        self.penalty = penalties_lib.get(penalty)
        self.d_steps = int(d_steps)
        self.ema_decay = None if ema_decay is None else float(ema_decay)
        self.ema_warmup = bool(ema_warmup)
        self.data_range = data_range
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed, name="gan_seed")

        self._check_models()

        self.generator_ema = None
        if self.ema_decay is not None:
            self.generator_ema = keras.models.clone_model(generator)
            self.generator_ema.set_weights(generator.get_weights())
            self.generator_ema.trainable = False

        self._build_trackers()
        self._gan_compile_args = None
        self._fast_layers = []
        # G and D carry all the weights; the GAN itself has nothing to build.
        self.built = True

    # ------------------------------------------------------------------ checks
    @property
    def image_shape(self):
        """Shape of one sample (without batch), from D's (first) input.

        The name of `Generator.image_shape` and of the model builders'
        argument; formerly `sample_shape`.
        """
        shapes = _input_shapes(self.discriminator)
        return None if shapes is None else shapes[0]

    @property
    def sample_shape(self):
        """Deprecated name of `image_shape`."""
        import sys
        import warnings

        # Keras' saving walks every attribute of the model: only users are warned.
        if not sys._getframe(1).f_globals.get("__name__", "").startswith("keras."):
            warnings.warn("GAN.sample_shape is deprecated; use `image_shape` instead.",
                          DeprecationWarning, stacklevel=2)
        return self.image_shape

    def _check_models(self):
        g_inputs = _input_shapes(self.generator)
        if g_inputs is not None:
            z_shape = g_inputs[0]
            if len(z_shape) != 1 or (
                z_shape[0] is not None and z_shape[0] != self.latent_dim
            ):
                raise ValueError(
                    f"The generator's noise input has shape {z_shape}, but "
                    f"latent_dim={self.latent_dim}: expected ({self.latent_dim},)."
                    f" Received: latent_dim={self.latent_dim}"
                )
        g_out = _output_shape(self.generator)
        d_in = self.image_shape
        if g_out is not None and d_in is not None and g_out != d_in:
            raise ValueError(
                "The generator's output shape must equal the discriminator's "
                f"input shape. Received: generator output {g_out}, "
                f"discriminator input {d_in}"
            )
        n_inputs = len(_input_shapes(self.discriminator) or [None])
        wants = 2 if self.conditional else 1
        if _input_shapes(self.discriminator) is not None and n_inputs != wants:
            kind = "conditional (samples, labels)" if self.conditional else (
                "unconditional (samples only)"
            )
            raise ValueError(
                f"{type(self).__name__} needs a {kind} discriminator; the "
                f"given one takes {n_inputs} input(s). Received: "
                f"discriminator={self.discriminator.name!r}"
            )
        if self.penalty is not None:
            norms = validation.count_layers(
                self.discriminator, _NORMALIZATION_LAYERS
            )
            if norms:
                raise ValueError(
                    f"penalty={self.penalty.registry_name!r} cannot be used "
                    "with BatchNormalization in the discriminator (layers: "
                    f"{', '.join(norms)}). A gradient penalty needs each "
                    "sample's gradient on its own, but batch normalization "
                    "mixes the samples of a batch (and breaks the second-order "
                    "gradient on JAX). Use LayerNormalization, "
                    "GroupNormalization or no normalization in D instead "
                    "(keras_gan.models discriminators have none)."
                )

    # ------------------------------------------------------------ the network
    def _generator_inputs(self, z, labels):
        return z

    def _discriminator_inputs(self, x, labels):
        return x

    def _generate(self, z, labels, training):
        return self.generator(self._generator_inputs(z, labels), training=training)

    def _discriminate(self, x, labels, training):
        return self.discriminator(
            self._discriminator_inputs(x, labels), training=training
        )

    def call(self, inputs, training=False):
        """Runs the generator on noise (and labels, for conditional models)."""
        return self.generator(inputs, training=training)

    # ----------------------------------------------------------------- saving
    def save(self, filepath, overwrite=True, **kwargs):
        """`keras.Model.save`, written atomically (temporary file, then rename).

        A crash during the save leaves the previous file intact.
        """
        path = os.fspath(filepath) if isinstance(filepath, (str, os.PathLike)) else None
        if path is None or "://" in path or (not overwrite and os.path.exists(path)):
            return super().save(filepath, overwrite=overwrite, **kwargs)
        with atomic_path(path) as tmp:
            super().save(tmp, overwrite=True, **kwargs)

    def save_weights(self, filepath, overwrite=True, **kwargs):
        """`keras.Model.save_weights`, written atomically."""
        path = os.fspath(filepath) if isinstance(filepath, (str, os.PathLike)) else None
        if path is None or "://" in path or (not overwrite and os.path.exists(path)):
            return super().save_weights(filepath, overwrite=overwrite, **kwargs)
        with atomic_path(path) as tmp:
            super().save_weights(tmp, overwrite=True, **kwargs)

    # --------------------------------------------------------------- sampling
    def as_generator(self, use_ema=None):
        """This GAN's generator as a `keras_gan.Generator` (shares the weights).

        Args:
            use_ema: take the EMA generator (default: when there is one).

        Returns:
            A `keras_gan.Generator`.
        """
        return Generator.from_gan(self, use_ema=use_ema)

    def generate(self, n_or_z=None, labels=None, seed=None, use_ema=None, batch_size=256,
                 verbose=0):
        """Samples from the generator (the EMA copy when there is one).

        Delegates to `keras_gan.Generator.generate`: the noise of
        `generate(n, seed=s)` comes from NumPy, so a seed gives the same
        samples on every backend, and the same as
        `keras_gan.Generator.from_gan(gan).generate(n, seed=s)`.

        Args:
            n_or_z: number of samples, or a `(n, latent_dim)` array of noise
                (conditional GANs: default one sample per label).
            labels: class labels (`ConditionalGAN` only): one integer per
                sample, or one class for all.
            seed: integer seed of the (NumPy) noise when `n_or_z` is a
                number.
            use_ema: use `generator_ema` (default: when `ema_decay` is set).
            batch_size: generator batch size.
            verbose: 1 shows a progress bar.

        Returns:
            numpy array of samples, shape `(n, *image_shape)`, in [-1, 1] for
            the bundled generators.

        Example:
            >>> images = gan.generate(64, seed=0)
        """
        return self.as_generator(use_ema).generate(
            n_or_z, labels=labels, seed=seed, batch_size=batch_size, verbose=verbose
        )

    def export_generator(self, filepath, use_ema=None):
        """Saves the generator alone as a standalone `.keras` model.

        Args:
            filepath: path ending in `.keras`.
            use_ema: export the EMA generator (default: when there is one).
        """
        model = self.as_generator(use_ema).network
        with atomic_path(filepath) as tmp:
            model.save(tmp)

    # ---------------------------------------------------------- serialization
    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "generator": keras.saving.serialize_keras_object(self.generator),
                "discriminator": keras.saving.serialize_keras_object(
                    self.discriminator
                ),
                "latent_dim": self.latent_dim,
                "loss": keras.saving.serialize_keras_object(self.loss_fn),
                "penalty": None
                if self.penalty is None
                else keras.saving.serialize_keras_object(self.penalty),
                "d_steps": self.d_steps,
                "ema_decay": self.ema_decay,
                "ema_warmup": self.ema_warmup,
                "data_range": None
                if self.data_range is None
                else list(self.data_range),
                "seed": self.seed,
            }
        )
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = copy.deepcopy(config)  # Keras' deserialisation consumes nested dicts
        for key in ("generator", "discriminator"):
            config[key] = keras.saving.deserialize_keras_object(
                config[key], custom_objects=custom_objects
            )
        config["loss"] = losses_lib.get(config["loss"])
        config["penalty"] = penalties_lib.get(config.get("penalty"))
        return cls(**config)
