"""`Generator`: a trained generator network, ready to sample, save and share."""

import copy
import weakref

import keras
import numpy as np
from keras import ops

from keras_gan import validation
from keras_gan.validation import check_positive_int

# Noise vectors `Generator.recalibrate_batch_norm` measures on by default: the
# zoo cards, the demo and the benchmarks all use this many.
RECALIBRATION_SAMPLES = 8192


def _zoo():
    """`keras_gan.zoo`, imported on first use.

    The zoo builds on `Generator` (it loads, saves and publishes them), so
    this module never imports it at load time: this is the one place the
    preset methods reach it.
    """
    import importlib

    return importlib.import_module("keras_gan.zoo")


# network -> compiled model that returns each batch norm's batch moments
# (`_batch_moments`), built once per network.
_MOMENT_PROBES = weakref.WeakKeyDictionary()


class _BatchMoments(keras.Model):
    """Per batch: the batch mean and variance at each tapped layer's input.

    Runs `tapped` (a model whose outputs are the inputs of the batch-norm
    layers) in training mode, so each batch norm normalises with its batch
    statistics, as in a training step, whatever mode `predict` asks for.
    Each moment comes back with a leading axis of 1, so that `predict`
    stacks them into one row per batch.
    """

    def __init__(self, tapped, axes, **kwargs):
        super().__init__(**kwargs)
        self.tapped = tapped
        self.axes = axes

    def call(self, inputs, training=False):
        taps = self.tapped(inputs, training=True)
        if not isinstance(taps, (list, tuple)):
            taps = [taps]
        out = []
        for h, axis in zip(taps, self.axes, strict=True):
            h = ops.cast(h, "float32")
            keep = [a % len(h.shape) for a in axis]
            reduce = [a for a in range(len(h.shape)) if a not in keep]
            mean, variance = ops.moments(h, axes=reduce)
            out += [ops.expand_dims(mean, 0), ops.expand_dims(variance, 0)]
        return out


def _batch_moments(network, layers, inputs, batch_size):
    """[(mean, variance)] per layer of `layers`: the mean over batches of the batch moments.

    For a functional (or Sequential) network whose batch-norm layers are
    each called once in its graph, one compiled `predict` pass computes
    them; otherwise (a subclassed network, a nested or shared batch norm)
    the network is called eagerly batch by batch, and each layer's own
    moving-average update, with momentum i / (i + 1) after batch i, keeps
    the same running mean.
    """
    probe = _MOMENT_PROBES.get(network)
    if probe is None:
        try:
            tapped = keras.Model(network.inputs, [layer.input for layer in layers])
        except (AttributeError, ValueError, TypeError):
            tapped = None
        if tapped is not None:
            axes = [layer.axis if isinstance(layer.axis, (list, tuple)) else [layer.axis]
                    for layer in layers]
            probe = _BatchMoments(tapped, axes, name="batch_moments")
            _MOMENT_PROBES[network] = probe
    if probe is not None:
        rows = probe.predict(inputs, batch_size=batch_size, verbose=0)
        return [(np.mean(rows[2 * i], axis=0), np.mean(rows[2 * i + 1], axis=0))
                for i in range(len(layers))]
    momenta = [layer.momentum for layer in layers]
    n_samples = len(inputs[0] if isinstance(inputs, list) else inputs)
    try:
        for i, start in enumerate(range(0, n_samples, batch_size)):
            # moving = m * moving + (1 - m) * batch with m = i / (i + 1):
            # after batch i, the running mean of the i + 1 batch moments.
            for layer in layers:
                layer.momentum = i / (i + 1.0)
            if isinstance(inputs, list):
                network([x[start:start + batch_size] for x in inputs], training=True)
            else:
                network(inputs[start:start + batch_size], training=True)
    finally:
        for layer, momentum in zip(layers, momenta, strict=True):
            layer.momentum = momentum
    return [(layer.moving_mean, layer.moving_variance) for layer in layers]


def _embedding_classes(model):
    """`input_dim` of the first `Embedding` layer in `model` (its classes), or None."""
    for layer in model._flatten_layers(include_self=False):
        if isinstance(layer, keras.layers.Embedding):
            return int(layer.input_dim)
    return None


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
        check_positive_int("latent_dim", latent_dim)
        if num_classes is not None:
            num_classes = check_positive_int("num_classes", num_classes, minimum=2)
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
    def from_gan(cls, gan, use_ema=None, name=None, labels=None):
        """A `Generator` from a trained GAN, a generator model or a `Generator`.

        The one conversion keras_gan uses wherever a generator is expected
        (`GAN.generate`, the evaluator, the zoo, the CLI).

        Args:
            gan: a `keras_gan.GAN` / `ConditionalGAN` (its EMA generator by
                default), a `Generator` (returned as it is), or a plain
                generator `keras.Model` taking noise `(N, latent_dim)` or
                `[noise, labels]` (its latent size is read from its input; the
                number of classes from its `Embedding` layer, else from
                `labels`).
            use_ema: GANs only: take the EMA generator (default: when the
                GAN has one).
            name: model name (default: the network's).
            labels: plain conditional models without an `Embedding` layer:
                the labels that will be asked for, to size `num_classes`.

        Returns:
            A `Generator` sharing the network's weights.

        Example:
            >>> G = keras_gan.Generator.from_gan(gan)      # EMA copy if any
            >>> G = keras_gan.Generator.from_gan(gan, use_ema=False)
        """
        if isinstance(gan, Generator):
            if use_ema:
                raise ValueError(
                    "use_ema applies to keras_gan.GAN objects, not to a Generator. "
                    "Received: use_ema=True"
                )
            return gan
        if hasattr(gan, "generator_ema") and hasattr(gan, "latent_dim"):  # a keras_gan.GAN
            if use_ema is None:
                use_ema = gan.generator_ema is not None
            network = gan.generator_ema if use_ema else gan.generator
            if network is None:
                raise ValueError(
                    "use_ema=True but this GAN keeps no EMA generator; construct it with "
                    "ema_decay=0.999. Received: use_ema=True"
                )
            return cls(
                network,
                latent_dim=gan.latent_dim,
                num_classes=getattr(gan, "num_classes", None),
                data_range=gan.data_range,
                name=name or network.name,
            )
        if not isinstance(gan, keras.Model):
            raise TypeError(
                "Expected a keras_gan.GAN, a keras_gan.Generator or a generator "
                f"keras.Model. Received: {type(gan).__name__}"
            )
        if use_ema:
            raise ValueError(
                "use_ema applies to keras_gan.GAN objects only. Received: use_ema=True"
            )
        num_classes = None
        if len(gan.inputs) == 2:
            num_classes = _embedding_classes(gan)
            if num_classes is None and labels is None:
                raise ValueError(
                    "This generator takes labels; pass labels=... (one class per "
                    "sample). Received: labels=None"
                )
            if num_classes is None:
                num_classes = max(2, int(np.max(labels)) + 1)
        return cls(gan, latent_dim=int(gan.inputs[0].shape[-1]), num_classes=num_classes,
                   name=name or gan.name)

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

    def generate(self, n_or_z=None, labels=None, seed=None, batch_size=256, verbose=0):
        """Draws samples.

        Args:
            n_or_z: number of samples, or a `(n, latent_dim)` noise array.
                Defaults to one sample per label for conditional generators.
            labels: conditional generators only: one integer class per
                sample, or one class for all.
            seed: seed of the NumPy noise (same seed, same samples on every
                backend); `None` draws fresh noise.
            batch_size: generator batch size.
            verbose: 1 shows a progress bar (Keras' `Progbar`, on stdout).

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
        bar = keras.utils.Progbar(n, unit_name="sample") if verbose else None
        out = []
        for start in range(0, n, batch_size):
            zb = z[start:start + batch_size]
            inputs = zb if labels is None else [zb, labels[start:start + batch_size]]
            out.append(ops.convert_to_numpy(self.network(inputs, training=False)))
            if bar is not None:
                bar.update(min(start + batch_size, n))
        return np.concatenate(out, axis=0)

    def recalibrate_batch_norm(self, n_samples=RECALIBRATION_SAMPLES, batch_size=256, seed=0):
        """Recomputes the batch-norm statistics of the network from its own outputs.

        An EMA generator averages G's weights but keeps the moving mean and
        variance of the online G, which were measured with other weights.
        This replaces them by the statistics the network itself produces on
        `n_samples` noise vectors (and uniform random labels): for each
        `BatchNormalization` layer, the mean over batches of the batch mean
        and of the batch variance (the "standing statistics" of Brock et
        al., 2019, "Large Scale GAN Training", appendix C.1). With one
        batch (`batch_size >= n_samples`) inference on that noise then
        reproduces the training-mode output exactly.

        The network is modified in place: a `Generator` from
        `from_gan(gan)` shares its network with the GAN, whose next training
        step copies G's statistics back. Layers keep their `trainable` and
        `momentum` settings.

        Args:
            n_samples: noise vectors to measure on.
            batch_size: samples per batch.
            seed: seed of the NumPy noise and labels.

        Returns:
            The number of `BatchNormalization` layers updated (0: nothing
            to do).

        Example:
            >>> G = keras_gan.Generator.from_gan(gan)   # the EMA copy
            >>> G.recalibrate_batch_norm()   # 8,192 samples
            2
        """
        n_samples = check_positive_int("n_samples", n_samples)
        batch_size = check_positive_int("batch_size", batch_size)
        layers = [layer for layer in self.network._flatten_layers(include_self=False)
                  if isinstance(layer, keras.layers.BatchNormalization)]
        if not layers:
            return 0
        saved = [(layer, layer.trainable) for layer in layers]
        rng = np.random.default_rng(seed)
        # Noise (and labels) drawn batch by batch, in this order: the draws the
        # published zoo cards were recalibrated with.
        zs, labels = [], []
        for start in range(0, n_samples, batch_size):
            n = min(batch_size, n_samples - start)
            zs.append(rng.standard_normal((n, self.latent_dim)).astype("float32"))
            if self.conditional:
                labels.append(rng.integers(0, self.num_classes, n).astype("int32"))
        inputs = np.concatenate(zs)
        if self.conditional:
            inputs = [inputs, np.concatenate(labels)]
        try:
            # A frozen BatchNormalization runs in inference mode even with
            # training=True: unfreeze it for the measurement.
            for layer in layers:
                layer.trainable = True
            moments = _batch_moments(self.network, layers, inputs, batch_size)
        finally:
            for layer, trainable in saved:
                layer.trainable = trainable
        for layer, (mean, variance) in zip(layers, moments, strict=True):
            layer.moving_mean.assign(ops.cast(mean, layer.moving_mean.dtype))
            layer.moving_variance.assign(ops.cast(variance, layer.moving_variance.dtype))
        return len(layers)

    # ------------------------------------------------------------ presets (keras-hub style)
    @classmethod
    def from_preset(cls, preset, revision=None, **kwargs):
        """A pretrained generator from a zoo name, an `hf://` handle or a folder.

        keras-hub's `from_preset` convention on top of `keras_gan.zoo.load`:
        pinned, digest-checked downloads through huggingface_hub's cache.

        Args:
            preset: a zoo name (`"mnist-dcgan"`), `"hf://owner/repo[@rev]"`,
                or a folder written by `save_to_preset`.
            revision: Hub branch, tag or commit.
            **kwargs: `cache_dir`, `force_download`, `local_files_only`
                (see `keras_gan.zoo.load`).

        Returns:
            A `keras_gan.Generator`.

        Example:
            >>> G = keras_gan.Generator.from_preset("mnist-dcgan")
            >>> G = keras_gan.Generator.from_preset("hf://me/my-gan@v1")
        """
        return _zoo().load(preset, revision=revision, **kwargs)

    def save_to_preset(self, folder, card=None, grid=True):
        """Writes this generator as a preset folder (what a Hub repo of it holds).

        `config.json`, `model.weights.h5`, `metadata.json` (with the weights'
        sha256), `README.md` (model card) and `samples.png`;
        `from_preset(folder)` loads it back.

        Args:
            folder: destination folder.
            card: model card text (default: a minimal card).
            grid: also write `samples.png`.

        Returns:
            `folder`.

        Example:
            >>> G.save_to_preset("my-gan")
            >>> keras_gan.Generator.from_preset("my-gan")
        """
        _zoo().save_folder(self, folder, card=card, grid=grid)
        return folder

    def push_to_hub(self, repo_id, token=None, private=False, commit_message=None, card=None,
                    endpoint=None):
        """Uploads this generator to a Hugging Face Hub repo (one commit).

        Args:
            repo_id: `"owner/name"` or `"hf://owner/name"`.
            token: Hub token (default: huggingface_hub's login / `HF_TOKEN`).
            private: create the repo as private.
            commit_message: commit message.
            card: model card text (default: a minimal card).
            endpoint: Hub URL (default: `HF_ENDPOINT` or huggingface.co).

        Returns:
            `"hf://owner/name@<commit>"`: the pinned handle, for `from_preset`.

        Example:
            >>> handle = G.push_to_hub("me/my-mnist-gan")
        """
        handle, _ = _zoo().publish(self, repo_id, token=token, private=private,
                                   commit_message=commit_message, card=card, endpoint=endpoint)
        return handle

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
