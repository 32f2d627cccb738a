"""`GAN`: adversarial training through `fit()` on TensorFlow, JAX and PyTorch."""

import copy
import os

import keras
import numpy as np
from keras import ops

from keras_gan import backend
from keras_gan import losses as losses_lib
from keras_gan import penalties as penalties_lib
from keras_gan import validation
from keras_gan.distributed.noise import decorrelate_layer_noise
from keras_gan.distributed.noise import replica_normal
from keras_gan.gan_optimizer import GANOptimizer
from keras_gan.utils.atomic import atomic_path

_NORMALIZATION_LAYERS = ("BatchNormalization", "SyncBatchNormalization")


_UNEXPECTED_LABELS = (
    "This GAN is unconditional but the data also yields labels. Pass images "
    "only, or use keras_gan.ConditionalGAN for class-conditional training. "
    "Received: y with shape "
)


class _LazyState:
    """Python-side state of lazy-regularisation dispatch (not a Keras variable)."""

    def __init__(self):
        self.pattern = None
        self.counter = None


def _default_optimizer():
    return keras.optimizers.Adam(2e-4, beta_1=0.5)


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
class GAN(backend.GANTrainer, keras.Model):
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
        if (
            not isinstance(latent_dim, (int, np.integer))
            or isinstance(latent_dim, bool)
            or latent_dim < 1
        ):
            raise ValueError(
                "`latent_dim` must be a positive integer. "
                f"Received: latent_dim={latent_dim!r}"
            )
        if not isinstance(d_steps, (int, np.integer)) or d_steps < 1:
            raise ValueError(
                f"`d_steps` must be an integer >= 1. Received: d_steps={d_steps!r}"
            )
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

        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.d_real_tracker = keras.metrics.Mean(name="d_real")
        self.d_fake_tracker = keras.metrics.Mean(name="d_fake")
        self.penalty_tracker = (
            keras.metrics.Mean(name="penalty") if self.penalty else None
        )
        self._gan_compile_args = None
        self._fast_layers = []
        self._lazy = _LazyState()
        # G and D carry all the weights; the GAN itself has nothing to build.
        self.built = True

    # ------------------------------------------------------------------ checks
    @property
    def sample_shape(self):
        """Shape of one sample (without batch), from D's (first) input."""
        shapes = _input_shapes(self.discriminator)
        return None if shapes is None else shapes[0]

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
        d_in = self.sample_shape
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

    def _unpack(self, data):
        """(samples, labels) of a training batch, with static checks."""
        x, y, _ = keras.utils.unpack_x_y_sample_weight(data)
        if y is not None:
            raise ValueError(_UNEXPECTED_LABELS + f"{tuple(y.shape)}")
        return self._standardize_samples(x), None

    def _standardize_samples(self, x):
        dtype = keras.backend.standardize_dtype(x.dtype)
        if "float" not in dtype:
            raise ValueError(
                "Training samples must be floating point in [-1, 1]; convert "
                "uint8 images with keras_gan.data.to_gan_range(x). "
                f"Received: x.dtype={dtype}"
            )
        validation.check_shape(x.shape, self.sample_shape)
        return ops.cast(x, self.compute_dtype)

    def _check_fit_data(self, x, y):
        batch = validation.first_batch(x)
        if batch is None:
            return
        if y is not None:
            samples, labels = batch, validation.first_batch(y)
            if (isinstance(samples, np.ndarray) and isinstance(labels, np.ndarray)
                    and samples.ndim and labels.ndim and len(samples) != len(labels)):
                raise ValueError(
                    "Samples and labels differ in length. Received: "
                    f"x.shape={samples.shape}, y.shape={labels.shape}"
                )
        else:
            samples, labels = validation.split_batch(batch)
        self._check_numpy_batch(samples, labels)

    def _check_numpy_batch(self, samples, labels):
        if labels is not None:
            raise ValueError(_UNEXPECTED_LABELS + f"{np.shape(labels)}")
        validation.check_samples(samples, self.sample_shape, self.data_range)

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

    # --------------------------------------------------------------- training
    def _d_step(self, index, real, labels):
        batch = ops.shape(real)[0]
        z = replica_normal(
            (batch, self.latent_dim), dtype=self.compute_dtype, seed=self.seed_generator
        )
        # A constant to D's update; on torch, G's forward records no graph.
        fake = backend.without_gradient(lambda: self._generate(z, labels, training=True))
        penalty = self.penalty
        if penalty is None or penalty.interval == 1:
            self._d_update(real, fake, labels, penalty)
            return
        # Lazy regularisation: the penalised update runs on every
        # `interval`-th D step only, and the other steps skip its cost. When
        # `make_train_function` dispatches between step variants (the usual
        # case), which D steps are penalised is known while tracing; else a
        # backend conditional decides at run time.
        pattern = self._lazy.pattern
        if pattern is not None:
            self._d_update(real, fake, labels, penalty if pattern[index] else None)
            return
        d_step = self.discriminator_optimizer.iterations
        backend.cond(
            ops.equal(ops.mod(d_step, penalty.interval), 0),
            lambda: self._d_update(real, fake, labels, penalty),
            lambda: self._d_update(real, fake, labels, None),
        )

    def _d_update(self, real, fake, labels, penalty):
        """One D update; `penalty` is added with weight `penalty.scale()`."""

        def d_fn(x):
            return self._discriminate(x, labels, training=True)

        def loss_fn():
            real_logits = ops.cast(d_fn(real), "float32")
            fake_logits = ops.cast(d_fn(fake), "float32")
            d_loss = self.loss_fn.d_loss(real_logits, fake_logits)
            aux = (d_loss, ops.mean(real_logits), ops.mean(fake_logits))
            if penalty is None:
                return d_loss, aux + (ops.zeros((), "float32"),)
            value = ops.cast(
                penalty(d_fn, real, fake, seed=self.seed_generator), "float32"
            )
            return d_loss + penalty.scale() * value, aux + (value,)

        variables = self.discriminator.trainable_variables
        (_, aux), grads = backend.value_and_grad(loss_fn, variables)
        backend.apply_gradients(self.discriminator_optimizer, grads, variables)
        d_loss, d_real, d_fake, value = aux
        self.d_loss_tracker.update_state(d_loss)
        self.d_real_tracker.update_state(d_real)
        self.d_fake_tracker.update_state(d_fake)
        if penalty is not None:
            self.penalty_tracker.update_state(value)

    def _g_step(self, batch, labels):
        z = replica_normal(
            (batch, self.latent_dim), dtype=self.compute_dtype, seed=self.seed_generator
        )

        def loss_fn():
            fake = self._generate(z, labels, training=True)
            fake_logits = ops.cast(
                self._discriminate(fake, labels, training=True), "float32"
            )
            return self.loss_fn.g_loss(fake_logits), ()

        variables = self.generator.trainable_variables
        (g_loss, _), grads = backend.value_and_grad(loss_fn, variables)
        backend.apply_gradients(self.generator_optimizer, grads, variables)
        self.g_loss_tracker.update_state(g_loss)

    def _update_ema(self):
        if self.generator_ema is None:
            return
        decay = self.ema_decay
        if self.ema_warmup:
            t = ops.cast(self.optimizer.iterations, "float32")
            decay = ops.minimum(decay, (1.0 + t) / (10.0 + t))
        trainable = {id(v) for v in self.generator.trainable_variables}
        for ema_var, var in zip(self.generator_ema.weights, self.generator.weights):
            if id(var) in trainable:
                ema_var.assign(decay * ema_var + (1.0 - decay) * var)
            else:
                ema_var.assign(var)

    def _lazy_pattern(self, g_step):
        """Which of the D steps of GAN step `g_step` get the lazy penalty."""
        k, m = self.penalty.interval, self.d_steps
        return tuple((g_step * m + i) % k == 0 for i in range(m))

    def make_train_function(self, force=False):
        """Keras' train function; with lazy regularisation, one per step pattern.

        With `penalty.interval = k > 1` and `steps_per_execution == 1`, the
        returned function keeps a step counter and calls one of (at most k)
        compiled variants of the training step, each traced knowing which of
        its D steps are penalised. Steps without the penalty then cost what a
        plain step costs on every backend (a run-time conditional is slower;
        docs/design.md, "Lazy regularisation without a run-time branch").
        """
        lazy = (
            self.penalty is not None
            and self.penalty.interval > 1
            and self.steps_per_execution == 1
        )
        if not lazy:
            return super().make_train_function(force)
        if self.train_function is not None and not force:
            return self.train_function
        base = super(GAN, self).make_train_function
        method = type(self).train_step
        variants = {}
        state = self._lazy

        def build(pattern):
            # A distinct function object per variant: JAX's jit cache would
            # otherwise share one trace between `jit(self.train_step)` calls.
            def train_step(*args, **kwargs):
                previous, state.pattern = state.pattern, pattern
                try:
                    return method(self, *args, **kwargs)
                finally:
                    state.pattern = previous

            self.train_step = train_step
            try:
                base(force=True)  # sets self.train_function
            finally:
                del self.train_step
            return self.train_function

        def dispatch(*args, **kwargs):
            if state.counter is None:
                state.counter = int(ops.convert_to_numpy(self.optimizer.iterations))
            pattern = self._lazy_pattern(state.counter)
            if pattern not in variants:
                variants[pattern] = build(pattern)
                self.train_function = dispatch
            state.pattern = pattern
            try:
                logs = variants[pattern](*args, **kwargs)
            finally:
                state.pattern = None
            state.counter += 1
            return logs

        self.train_function = dispatch
        return dispatch

    def _gan_train_step(self, data):
        """One GAN step, backend-agnostic: `d_steps` D updates, one G update."""
        real, labels = self._unpack(data)
        for index in range(self.d_steps):
            self._d_step(index, real, labels)
        self._g_step(ops.shape(real)[0], labels)
        self._update_ema()
        self.optimizer.iterations.assign_add(1)
        return {m.name: m.result() for m in self.metrics}

    @property
    def metrics(self):
        trackers = [
            self.d_loss_tracker,
            self.g_loss_tracker,
            self.d_real_tracker,
            self.d_fake_tracker,
        ]
        if self.penalty_tracker is not None:
            trackers.insert(2, self.penalty_tracker)
        return trackers

    def _gan_test_step(self, data):
        """D and G losses and D's mean outputs on held-out real data and fresh fakes.

        Inference mode (`training=False`): no gradients, no weight,
        optimizer, batch-norm or EMA update. The fakes' noise comes from the
        GAN's SeedGenerator, whose state `evaluate` puts back afterwards.
        """
        real, labels = self._unpack(data)
        batch = ops.shape(real)[0]
        z = replica_normal(
            (batch, self.latent_dim), dtype=self.compute_dtype, seed=self.seed_generator
        )
        fake = self._generate(z, labels, training=False)
        real_logits = ops.cast(self._discriminate(real, labels, training=False), "float32")
        fake_logits = ops.cast(self._discriminate(fake, labels, training=False), "float32")
        self.d_loss_tracker.update_state(self.loss_fn.d_loss(real_logits, fake_logits))
        self.g_loss_tracker.update_state(self.loss_fn.g_loss(fake_logits))
        self.d_real_tracker.update_state(ops.mean(real_logits))
        self.d_fake_tracker.update_state(ops.mean(fake_logits))
        return {m.name: m.result() for m in (self.d_loss_tracker, self.g_loss_tracker,
                                             self.d_real_tracker, self.d_fake_tracker)}

    def evaluate(self, x=None, y=None, *args, **kwargs):
        """D and G losses and D's mean logits on held-out data (`keras.Model.evaluate`).

        For each batch of real samples `x` (with labels `y` for a
        `ConditionalGAN`), G draws as many fresh fakes (inference mode) and
        D scores both: the logs are `d_loss`, `g_loss`, `d_real` and
        `d_fake` (means of D's logits), averaged over the batches. Nothing
        changes: weights, optimizers, batch-norm statistics, the EMA and
        every RNG state (the SeedGenerators and torch's global generator are
        put back after the run), so evaluating between epochs does not
        change training. Sample quality is another question: see
        `keras_gan.evaluation.Evaluator` and `EvaluationCallback`, whose
        numbers can join these logs.

        Args:
            x: held-out real samples (arrays are checked like `fit`'s).
            y: their labels (`ConditionalGAN` only).
            *args: as `keras.Model.evaluate`.
            **kwargs: as `keras.Model.evaluate` (`batch_size`, `callbacks`,
                `return_dict`, ...).

        Returns:
            As `keras.Model.evaluate`: the logs (a list, or a dict with
            `return_dict=True`).

        Example:
            >>> gan.evaluate(x_test, batch_size=256, return_dict=True)
            {'d_loss': 1.31, 'g_loss': 0.79, 'd_real': 0.12, 'd_fake': -0.10}
        """
        if self._gan_compile_args is None:
            raise ValueError(
                "Call compile() before evaluate(): the losses need the GAN's compiled "
                "step. Received: an uncompiled GAN"
            )
        self._check_fit_data(x, y)
        generators = self._seed_generators_to_save()
        saved = [ops.convert_to_numpy(sg.state.value).copy() for sg in generators]
        global_rng = backend.get_global_rng_state()
        return_dict = kwargs.pop("return_dict", False)
        try:
            logs = super().evaluate(x, y, *args, return_dict=True, **kwargs)
        finally:
            for sg, state in zip(generators, saved):
                sg.state.assign(state)
            if global_rng is not None:
                backend.set_global_rng_state(global_rng)
        callbacks = kwargs.get("callbacks") or []
        if isinstance(callbacks, keras.callbacks.CallbackList):  # from fit's validation
            callbacks = callbacks.callbacks
        for callback in callbacks:
            logs.update(getattr(callback, "evaluate_logs", None) or {})
        return logs if return_dict else self._flatten_metrics_in_order(logs)

    # ------------------------------------------------------------ compile/fit
    @property
    def generator_optimizer(self):
        return self.optimizer.generator_optimizer

    @property
    def discriminator_optimizer(self):
        return self.optimizer.discriminator_optimizer

    def compile(
        self,
        g_optimizer=None,
        d_optimizer=None,
        jit_compile="auto",
        steps_per_execution=1,
        run_eagerly=False,
        fast_layers=True,
    ):
        """Sets the two optimizers and how the training step is compiled.

        Args:
            g_optimizer: generator optimizer or identifier (default
                `Adam(2e-4, beta_1=0.5)`, Radford et al., 2016).
            d_optimizer: discriminator optimizer or identifier (same default).
            jit_compile: `"auto"` (XLA on JAX, and on TensorFlow where Keras
                judges it faster), `True` or `False`. Ignored on torch, where
                `torch.compile` cannot double-backward.
            steps_per_execution: training steps per compiled call.
            run_eagerly: run the step eagerly (debugging).
            fast_layers: on torch, give covered layers of G and D faster
                calls with Keras' results (`Conv2D`, `Conv2DTranspose`,
                `BatchNormalization`, `Dropout`; see the design notes,
                "Faster layer calls, same results"). LoRA/DoRA-enabled,
                quantized, mixed-precision and subclassed layers, and Keras
                versions the calls were not tested with, keep Keras' call,
                with a warning that names the reason. The environment
                variable `KERAS_GAN_FAST_LAYERS` (0 or 1) overrides this
                argument. `gan.fast_layers` lists the layers that got a
                fast call. Configs and saved files are unchanged.

        Example:
            >>> gan.compile(keras.optimizers.Adam(2e-4, 0.5),
            ...             keras.optimizers.Adam(2e-4, 0.5), fast_layers=False)
        """
        g = _default_optimizer() if g_optimizer is None else g_optimizer
        d = _default_optimizer() if d_optimizer is None else d_optimizer
        backend.check_variables(
            self.generator.variables + self.discriminator.variables
        )
        self._fast_layers = []
        for network in (self.generator, self.discriminator):
            self._fast_layers += backend.accelerate_layers(network, enabled=fast_layers)
        optimizer = GANOptimizer(g, d)
        optimizer.build_pair(
            self.generator.trainable_variables,
            self.discriminator.trainable_variables,
        )
        self._gan_compile_args = {
            "jit_compile": jit_compile,
            "steps_per_execution": steps_per_execution,
            "run_eagerly": run_eagerly,
            "fast_layers": bool(fast_layers),
        }
        super().compile(
            optimizer=optimizer,
            jit_compile=backend.prepare_compile(jit_compile),
            steps_per_execution=steps_per_execution,
            run_eagerly=run_eagerly,
            auto_scale_loss=False,
        )

    @property
    def fast_layers(self):
        """Names of the layers of G and D that `compile` gave a fast call (torch)."""
        return list(self._fast_layers)

    def get_compile_config(self):
        if self._gan_compile_args is None:
            return None
        return {
            "g_optimizer": keras.optimizers.serialize(self.generator_optimizer),
            "d_optimizer": keras.optimizers.serialize(
                self.discriminator_optimizer
            ),
            **self._gan_compile_args,
        }

    def compile_from_config(self, config):
        config = dict(config)
        config["g_optimizer"] = keras.optimizers.deserialize(config["g_optimizer"])
        config["d_optimizer"] = keras.optimizers.deserialize(config["d_optimizer"])
        self.compile(**config)

    def fit(self, x=None, y=None, *args, **kwargs):
        """`keras.Model.fit`, after checking the data's shape, dtype and range.

        Accepts numpy arrays, backend tensors, `tf.data.Dataset`, torch
        `DataLoader`, `keras.utils.PyDataset` or Python generators yielding
        batches of samples (or `(samples, labels)` for `ConditionalGAN`).
        Arrays are checked in full before training starts; datasets by their
        first batch.

        Data-parallel training runs on each backend's own engine (see
        `keras_gan.distributed`): the global batch must split evenly over the
        replicas, and every variable must have been created under the
        distribution. In a `torch.distributed` group, `fit` first copies rank
        0's variables to every rank, and ranks other than 0 default to
        `verbose=0`.
        """
        if getattr(self, "optimizer", None) is None:
            raise ValueError(
                "Call gan.compile(g_optimizer=..., d_optimizer=...) before fit()."
            )
        self._check_fit_data(x, y)
        self._prepare_distributed(x, kwargs)
        self._lazy.counter = None  # re-read the step counter
        callbacks = kwargs.get("callbacks") or []
        from keras_gan.callbacks.checkpoint import Checkpoint
        from keras_gan.callbacks.divergence_guard import link

        link(callbacks)
        checkpoints = [c for c in callbacks if isinstance(c, Checkpoint)]
        if not checkpoints:
            return super().fit(x, y, *args, **kwargs)
        if len(checkpoints) > 1 or args:
            raise ValueError(
                "With a keras_gan Checkpoint, pass fit() arguments by keyword and "
                f"use one Checkpoint. Received: {len(checkpoints)} Checkpoints"
            )
        from keras_gan.training.resume import fit_with_checkpoint

        return fit_with_checkpoint(self, super().fit, checkpoints[0], x, y, **kwargs)

    def _prepare_distributed(self, x, kwargs):
        """Checks (and on torch synchronises) a data-parallel set-up."""
        from keras_gan.validation import check_global_batch
        from keras_gan.validation import num_samples
        from keras_gan.validation import static_batch_size

        facts = {
            "batch_size": static_batch_size(x, kwargs.get("batch_size")),
            "number_of_samples": num_samples(x),
            "steps_per_epoch": kwargs.get("steps_per_epoch"),
            "epochs": kwargs.get("epochs", 1),
        }
        count, what = backend.prepare_fit(self, facts)
        check_global_batch(x, kwargs.get("batch_size"), count, what)
        index, world = backend.replica_context()
        if count > 1 or world > 1:
            decorrelate_layer_noise(self, exclude=[self.seed_generator])
        if world > 1 and index != 0:
            kwargs.setdefault("verbose", 0)  # one progress bar, on rank 0

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
        from keras_gan.generator import Generator

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
            numpy array of samples, shape `(n, *sample_shape)`, in [-1, 1] for
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
        if use_ema is None:
            use_ema = self.generator_ema is not None
        model = self.generator_ema if use_ema else self.generator
        if use_ema and model is None:
            raise ValueError(
                "use_ema=True but this GAN keeps no EMA generator. "
                "Received: use_ema=True"
            )
        with atomic_path(filepath) as tmp:
            model.save(tmp)

    # ---------------------------------------------------------- serialization
    def _seed_generators_to_save(self):
        """Every SeedGenerator of the GAN (its own and e.g. Dropout's in D).

        Keras' weight files do not store RNG state; saving it makes a reloaded
        GAN continue with the same noise as an uninterrupted run.
        """
        found, seen = [], set()
        for layer in self._flatten_layers(include_self=True, recursive=True):
            for sg in getattr(layer, "_seed_generators", []):
                if id(sg) not in seen:
                    seen.add(id(sg))
                    found.append(sg)
        return found

    def save_own_variables(self, store):
        """Keras' variables, every SeedGenerator state and the framework's global RNG.

        The global RNG (torch's CPU generator, which Keras' torch backend
        uses for unseeded `Dropout`) is stored under `global_rng_<backend>`
        in single-process runs, so that `save_weights`/`load_weights` and
        Keras' `BackupAndRestore` resume exactly (docs/reliability.md).
        """
        super().save_own_variables(store)
        for i, sg in enumerate(self._seed_generators_to_save()):
            store[f"seed_state_{i}"] = ops.convert_to_numpy(sg.state.value)
        if backend.replica_context()[1] == 1:
            state = backend.get_global_rng_state()
            if state is not None:
                store[f"global_rng_{keras.backend.backend()}"] = state

    def load_own_variables(self, store):
        """Inverse of `save_own_variables`; loading sets the global RNG too (same backend)."""
        keys = list(store.keys())
        for i, sg in enumerate(self._seed_generators_to_save()):
            key = f"seed_state_{i}"
            if key in keys:
                state = np.asarray(store[key])
                sg.state.assign(state.astype(sg.state.dtype))
        rng_key = f"global_rng_{keras.backend.backend()}"
        if rng_key in keys and backend.replica_context()[1] == 1:
            backend.set_global_rng_state(np.asarray(store[rng_key]))
        rest = {k: store[k] for k in keys
                if not k.startswith("seed_state_") and not k.startswith("global_rng_")}
        super().load_own_variables(rest)

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
