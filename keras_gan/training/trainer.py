"""`Trainer`: the Keras-trainer glue of `keras_gan.GAN`.

`compile` (two optimizers in one `GANOptimizer`), `make_train_function`
(one compiled step variant per lazy-penalty pattern), `fit` and `evaluate`
(data checks, data-parallel preparation, checkpoint-aware resume), and the
RNG state that saving adds to Keras' variables. The step math is in
`keras_gan/training/adversarial_step.py`; the backend-specific step
signature in `keras_gan/backend/<name>.py` (`GANTrainer`).
"""

import keras
import numpy as np
from keras import ops

from keras_gan import backend
from keras_gan import validation
from keras_gan.distributed.noise import decorrelate_layer_noise
from keras_gan.gan_optimizer import GANOptimizer
from keras_gan.training.adversarial_step import UNEXPECTED_LABELS
from keras_gan.training.epoch_batches import EpochBatches


def _default_optimizer():
    return keras.optimizers.Adam(2e-4, beta_1=0.5)


class Trainer:
    """Mixin of `keras_gan.GAN`: how Keras' `compile`/`fit`/`evaluate` drive the step.

    The host class is a `keras.Model` that also mixes in
    `keras_gan.training.adversarial_step.AdversarialStep` and the backend's
    `GANTrainer`; it sets `self._gan_compile_args = None`,
    `self._fast_layers = []` and the step's trackers in its constructor.
    """

    # -------------------------------------------------------------- compile
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

    # ---------------------------------------------------------------- fit
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
            if isinstance(x, EpochBatches):
                # Its batch order is its own, by (seed, epoch) (image_folder):
                # Keras must not shuffle the batch indices on top.
                kwargs["shuffle"] = False
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
        facts = {
            "batch_size": validation.static_batch_size(x, kwargs.get("batch_size")),
            "number_of_samples": validation.num_samples(x),
            "steps_per_epoch": kwargs.get("steps_per_epoch"),
            "epochs": kwargs.get("epochs", 1),
        }
        count, what = backend.prepare_fit(self, facts)
        validation.check_global_batch(x, kwargs.get("batch_size"), count, what)
        index, world = backend.replica_context()
        if count > 1 or world > 1:
            decorrelate_layer_noise(self, exclude=[self.seed_generator])
        if world > 1 and index != 0:
            kwargs.setdefault("verbose", 0)  # one progress bar, on rank 0

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
        base = super(Trainer, self).make_train_function
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
            raise ValueError(UNEXPECTED_LABELS + f"{np.shape(labels)}")
        validation.check_samples(samples, self.image_shape, self.data_range)

    # ----------------------------------------------------------- evaluate
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

    # ------------------------------------------------------------ RNG state
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
