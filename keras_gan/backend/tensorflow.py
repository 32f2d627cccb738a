"""TensorFlow implementation of the keras_gan backend surface."""

import tensorflow as tf


def value_and_grad(fn, variables):
    """Returns `(loss, aux), grads` of `fn()` w.r.t. `variables` (GradientTape)."""
    variables = list(variables)
    with tf.GradientTape() as tape:
        loss, aux = fn()
    grads = tape.gradient(
        loss,
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
