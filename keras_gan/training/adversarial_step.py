"""`AdversarialStep`: the GAN's training-step math, written once in `keras.ops`."""

import keras
from keras import ops

from keras_gan import backend
from keras_gan import validation
from keras_gan.distributed.noise import replica_normal

UNEXPECTED_LABELS = (
    "This GAN is unconditional but the data also yields labels. Pass images "
    "only, or use keras_gan.ConditionalGAN for class-conditional training. "
    "Received: y with shape "
)


class LazyState:
    """Python-side state of lazy-regularisation dispatch (not a Keras variable).

    `pattern`: which D steps of the step being traced are penalised (set by
    `Trainer.make_train_function`), or None for a run-time conditional.
    `counter`: the GAN step the next call runs (None: read it from the
    optimizer).
    """

    def __init__(self):
        self.pattern = None
        self.counter = None


class AdversarialStep:
    """Mixin of `keras_gan.GAN`: one adversarial step, backend-agnostic.

    Each step makes `d_steps` discriminator updates, then one generator
    update, then the EMA update (Goodfellow et al., 2014, Algorithm 1):

        D: minimise  loss.d_loss(D(x), D(G(z))) + scale * penalty(D, x, G(z))
        G: minimise  loss.g_loss(D(G(z)))

    Gradients and the optimizer update come from `keras_gan.backend`; the
    backend's `GANTrainer` calls `_gan_train_step` / `_gan_test_step` with
    the signature its Keras trainer expects. The host class provides
    `generator`, `discriminator`, `latent_dim`, `loss_fn`, `penalty`,
    `d_steps`, `generator_ema`, `ema_decay`, `ema_warmup`, `seed_generator`,
    `optimizer` (a `GANOptimizer`), `image_shape` and the network calls
    `_generate(z, labels, training)` / `_discriminate(x, labels, training)`.
    """

    def _build_trackers(self):
        """The loss trackers `metrics` reports (called by the constructor)."""
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.d_real_tracker = keras.metrics.Mean(name="d_real")
        self.d_fake_tracker = keras.metrics.Mean(name="d_fake")
        self.penalty_tracker = (
            keras.metrics.Mean(name="penalty") if self.penalty else None
        )
        self._lazy = LazyState()

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

    # ----------------------------------------------------------------- inputs
    def _unpack(self, data):
        """(samples, labels) of a training batch, with static checks."""
        x, y, _ = keras.utils.unpack_x_y_sample_weight(data)
        if y is not None:
            raise ValueError(UNEXPECTED_LABELS + f"{tuple(y.shape)}")
        return self._standardize_samples(x), None

    def _standardize_samples(self, x):
        dtype = keras.backend.standardize_dtype(x.dtype)
        if "float" not in dtype:
            raise ValueError(
                "Training samples must be floating point in [-1, 1]; convert "
                "uint8 images with keras_gan.data.to_gan_range(x). "
                f"Received: x.dtype={dtype}"
            )
        validation.check_shape(x.shape, self.image_shape)
        return ops.cast(x, self.compute_dtype)

    def _noise(self, batch):
        return replica_normal(
            (batch, self.latent_dim), dtype=self.compute_dtype, seed=self.seed_generator
        )

    # ---------------------------------------------------------------- D and G
    def _d_step(self, index, real, labels):
        z = self._noise(ops.shape(real)[0])
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
        z = self._noise(batch)

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
        """`ema = decay * ema + (1 - decay) * G` for G's trainable weights.

        With `ema_warmup`, `decay = min(ema_decay, (1 + t) / (10 + t))` at GAN
        step `t`; non-trainable weights (batch-norm statistics) are copied.
        """
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

    # ------------------------------------------------------------ whole steps
    def _gan_train_step(self, data):
        """One GAN step, backend-agnostic: `d_steps` D updates, one G update."""
        real, labels = self._unpack(data)
        for index in range(self.d_steps):
            self._d_step(index, real, labels)
        self._g_step(ops.shape(real)[0], labels)
        self._update_ema()
        self.optimizer.iterations.assign_add(1)
        return {m.name: m.result() for m in self.metrics}

    def _gan_test_step(self, data):
        """D and G losses and D's mean outputs on held-out real data and fresh fakes.

        Inference mode (`training=False`): no gradients, no weight,
        optimizer, batch-norm or EMA update. The fakes' noise comes from the
        GAN's SeedGenerator, whose state `evaluate` puts back afterwards.
        """
        real, labels = self._unpack(data)
        fake = self._generate(self._noise(ops.shape(real)[0]), labels, training=False)
        real_logits = ops.cast(self._discriminate(real, labels, training=False), "float32")
        fake_logits = ops.cast(self._discriminate(fake, labels, training=False), "float32")
        self.d_loss_tracker.update_state(self.loss_fn.d_loss(real_logits, fake_logits))
        self.g_loss_tracker.update_state(self.loss_fn.g_loss(fake_logits))
        self.d_real_tracker.update_state(ops.mean(real_logits))
        self.d_fake_tracker.update_state(ops.mean(fake_logits))
        return {m.name: m.result() for m in (self.d_loss_tracker, self.g_loss_tracker,
                                             self.d_real_tracker, self.d_fake_tracker)}
