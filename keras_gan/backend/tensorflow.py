"""TensorFlow implementation of the keras_gan backend surface."""

import functools

import tensorflow as tf



def _replicas():
    ctx = tf.distribute.get_replica_context()
    return 1 if ctx is None else ctx.num_replicas_in_sync


def value_and_grad(fn, variables):
    """Returns `(loss, aux), grads` of `fn()` w.r.t. `variables` (GradientTape).

    Under a `tf.distribute` strategy with N replicas, each replica's loss is
    the mean over its share of the batch, and Keras' optimizers *sum* the
    replicas' gradients. The gradients returned here are those of `loss / N`,
    so that the sum is the gradient of the mean over the global batch (what
    Keras' own train step does with `scale_loss_for_distribution`).
    """
    variables = list(variables)
    with tf.GradientTape() as tape:
        loss, aux = fn()
        n = _replicas()
        scaled = loss if n == 1 else loss * tf.cast(1.0 / n, loss.dtype)
    grads = tape.gradient(
        scaled,
        [v.value for v in variables],
        unconnected_gradients=tf.UnconnectedGradients.ZERO,
    )
    return (loss, aux), grads


def input_gradient(fn, x):
    """Gradient of `sum(fn(x))` w.r.t. `x`, recorded by any enclosing tape.

    The inner tape runs inside the outer tape of `value_and_grad`, so the
    outer tape records the gradient computation itself: the penalty built
    from this gradient is differentiable w.r.t. the discriminator's weights.
    """
    x = tf.convert_to_tensor(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = fn(x)
    return tape.gradient(y, x)


def without_gradient(fn):
    """`fn()` with every output behind `tf.stop_gradient`."""
    return tf.nest.map_structure(tf.stop_gradient, fn())


def apply_gradients(optimizer, grads, variables):
    optimizer.apply(grads, variables)


def prepare_compile(jit_compile):
    # Keras' "auto" already means: XLA where it is known to help (GPU/TPU),
    # a plain `tf.function` graph on CPU, where XLA's convolutions are slow.
    return jit_compile


class GANTrainer:
    """`train_step(data)` as `keras.src.backend.tensorflow.TensorFlowTrainer` calls it."""

    def train_step(self, data):
        return self._gan_train_step(data)

    def test_step(self, data):
        return self._gan_test_step(data)


def cond(pred, true_fn, false_fn):
    """`tf.cond` over two functions that only update variables."""

    def wrap(fn):
        def branch():
            fn()
            return tf.constant(0)

        return branch

    tf.cond(tf.convert_to_tensor(pred), wrap(true_fn), wrap(false_fn))


def get_global_rng_state():
    """None: all randomness of a Keras model here lives in SeedGenerator states."""
    return None


def set_global_rng_state(state):
    del state


def replica_context():
    """`(replica index, number of replicas)` of the current `tf.distribute` replica."""
    ctx = tf.distribute.get_replica_context()
    if ctx is None or ctx.num_replicas_in_sync == 1:
        return 0, 1
    return ctx.replica_id_in_sync_group, ctx.num_replicas_in_sync


def replica_mean(x):
    """Mean of `x` over the replicas (all-reduce); `x` itself with one replica."""
    ctx = tf.distribute.get_replica_context()
    if ctx is None or ctx.num_replicas_in_sync == 1:
        return x
    return ctx.all_reduce(tf.distribute.ReduceOp.MEAN, x)


def check_variables(variables, strategy=None):
    """Raises if a `tf.distribute` strategy with several replicas is in use
    (`strategy`, else the one in scope) but some `variables` were created
    outside its scope: every replica would update them in turn."""
    strategy = strategy or tf.distribute.get_strategy()
    count = strategy.num_replicas_in_sync
    if count == 1:
        return
    outside = [
        v.path for v in variables
        if not isinstance(v.value, tf.distribute.DistributedValues)
    ]
    if outside:
        raise ValueError(
            f"The GAN runs under a {type(strategy).__name__} with {count} "
            "replicas, but some of its variables were created outside "
            "`strategy.scope()`. Build the generator, the discriminator and "
            "the GAN, and call gan.compile(), inside `with strategy.scope():`. "
            f"Received: {len(outside)} variables outside the scope, e.g. "
            f"{', '.join(outside[:3])}"
        )


# glibc's mallopt parameters (malloc.h).
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3


@functools.cache
def keep_freed_memory():
    """Undoes TensorFlow's `M_TRIM_THRESHOLD=128 kb` memory patch; once per process.

    The first generator-backed `tf.data` pipeline (Keras' input for a
    `PyDataset`, such as `keras_gan.training.EpochBatches`) sets glibc's trim
    threshold to 128 KB, which also freezes glibc's mmap threshold where it
    stands: 128 KB unless a larger mapped block was freed before. Every
    tensor buffer above it is then mmapped and unmapped anew and its
    pages faulted in again at every step; on a 2-core VM that was half the
    CPU time (docs/design.md, "TensorFlow's malloc patch"). This triggers the
    patch, then sets the thresholds to 64 MB (mmap) and 256 MB (trim), so
    freed buffers are reused. glibc only; `KERAS_GAN_KEEP_FREED_MEMORY=0`
    leaves TensorFlow's setting. Returns whether the thresholds were set.
    """
    import ctypes
    import os

    if os.environ.get("KERAS_GAN_KEEP_FREED_MEMORY", "1") == "0":
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc
        return False
    patch = tf.data.Dataset.from_generator(
        lambda: iter([0]), output_signature=tf.TensorSpec((), tf.int32))
    for _ in patch:  # TensorFlow applies its patch here, once per process
        pass
    return mallopt(_M_MMAP_THRESHOLD, 64 << 20) == 1 and mallopt(_M_TRIM_THRESHOLD, 256 << 20) == 1


def prepare_fit(gan, facts):
    """Checks a `tf.distribute` set-up; returns `(replicas, what they are called)`.

    Every variable (G, D, the EMA copy, both optimizers, RNG state, metrics)
    must have been created under the strategy `fit` runs in. Also keeps
    freed memory for reuse (`keep_freed_memory`).
    """
    del facts
    keep_freed_memory()
    strategy = gan.distribute_strategy
    variables = list(gan.variables) + list(gan.optimizer.variables)
    check_variables(variables, strategy)
    if strategy.num_replicas_in_sync == 1 and not tf.distribute.has_strategy():
        inner = [v for v in variables
                 if isinstance(v.value, tf.distribute.DistributedValues)]
        if inner:
            raise ValueError(
                "Some of the GAN's variables were created inside a "
                "`tf.distribute` strategy scope but the GAN itself was not. "
                "Create the GAN inside the same `strategy.scope()` as its "
                f"networks. Received: variable {inner[0].path!r} is distributed"
            )
    return strategy.num_replicas_in_sync, (
        f"replicas of the {type(strategy).__name__}"
    )


def accelerate_layers(model, enabled=True):
    """Nothing to do: Keras' own calls inside TF's compiled step.

    A fused batch-norm call was tried and withdrawn: it stalled the first
    step of every epoch after the first (docs/design.md).
    """
    del model, enabled
    return []
