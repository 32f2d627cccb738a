"""A fused TensorFlow call for Keras' BatchNormalization, with the same results.

Keras' TensorFlow `BatchNormalization` computes `tf.nn.moments` and
`tf.nn.batch_normalization`: several element-wise kernels forward and
backward. TensorFlow's `FusedBatchNormV3` does the same in one kernel each
way: 1.7x to 2.1x faster for the DCGAN generator's three layers on the
2-core CPU (forward + backward in a `tf.function`; see the docs' Benchmarks
page).

`accelerate(model)` replaces the `call` of each exact `BatchNormalization`
*instance* whose configuration the fused kernel covers (inputs of rank 2 or
4 normalised over the last axis, float32, not synchronized, no renorm);
masked or non-float32 calls, and calls under a `tf.distribute` strategy,
still go to Keras' code. The moving statistics
are updated exactly as Keras does (biased batch variance, Keras' momentum).
Classes, configs and saved files stay Keras' own (tests/test_fast_layers.py
compares outputs, gradients and moving statistics with Keras' call).
`KERAS_GAN_FAST_LAYERS=0` keeps Keras' calls.
"""

import tensorflow as tf

from keras_gan.backend import fast_layers


def _batch_norm_call(self, inputs, training=None, mask=None):
    if mask is not None or inputs.dtype != tf.float32 or tf.distribute.has_strategy():
        # Under a `tf.distribute` strategy, the fused kernel in concurrent
        # replica threads crashed the process (SIGSEGV) in 1 of 3 runs of
        # tests/distributed_worker.py; Keras' call never did (5 of 5).
        return type(self).call(self, inputs, training=training, mask=mask)
    channels = inputs.shape[-1]
    x = inputs if inputs.shape.rank == 4 else tf.reshape(inputs, (-1, 1, 1, channels))
    scale = self.gamma.value if self.scale else tf.ones((channels,))
    offset = self.beta.value if self.center else tf.zeros((channels,))
    if training and self.trainable:
        y, mean, unbiased, _, _, _ = tf.raw_ops.FusedBatchNormV3(
            x=x, scale=scale, offset=offset, mean=tf.zeros((0,)), variance=tf.zeros((0,)),
            epsilon=self.epsilon, exponential_avg_factor=1.0, data_format="NHWC",
            is_training=True,
        )
        # The kernel returns the Bessel-corrected variance; Keras keeps the
        # biased one (and a single value per channel has variance 0).
        n = tf.cast(tf.size(inputs) // channels, tf.float32)
        variance = tf.where(n > 1.0, unbiased * ((n - 1.0) / tf.maximum(n, 1.0)), 0.0)
        mean, variance = tf.stop_gradient(mean), tf.stop_gradient(variance)
        m = self.momentum
        self.moving_mean.assign(self.moving_mean * m + mean * (1.0 - m))
        self.moving_variance.assign(self.moving_variance * m + variance * (1.0 - m))
    else:
        y, _, _, _, _, _ = tf.raw_ops.FusedBatchNormV3(
            x=x, scale=scale, offset=offset, mean=self.moving_mean.value,
            variance=self.moving_variance.value, epsilon=self.epsilon,
            data_format="NHWC", is_training=False,
        )
    return y if inputs.shape.rank == 4 else tf.reshape(y, tf.shape(inputs))


def _fast_call(layer):
    if fast_layers.batch_norm_covered(layer):
        return _batch_norm_call
    return None


def accelerate(model):
    """Gives every covered layer in `model` its fast call (see the module doc).

    Returns:
        The names of the layers whose `call` was replaced (empty when
        `KERAS_GAN_FAST_LAYERS=0`).
    """
    return fast_layers.patch(model, _fast_call)
