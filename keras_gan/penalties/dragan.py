"""The DRAGAN penalty (Kodali et al., 2017)."""

import keras
from keras import ops

from keras_gan import backend
from keras_gan.distributed.noise import replica_uniform
from keras_gan.penalties.penalty import Penalty
from keras_gan.penalties.penalty import batch_uniform
from keras_gan.penalties.penalty import norm_penalty
from keras_gan.penalties.penalty import register


def dragan_penalty(
    discriminator_fn, real, seed=None, c=0.5, target=1.0, epsilon=1e-12
):
    """`E[(||grad_x D(x_hat)|| - target)^2]` around the real data.

    `x_hat = x + a * delta`, `delta = c * std(x) * u`, `u ~ U(0, 1)` per
    element and `a ~ U(0, 1)` per sample: points in a neighbourhood of the
    data manifold (Kodali et al., 2017, sec. 5).

    Args:
        discriminator_fn: callable mapping a batch to D's outputs.
        real: real batch.
        seed: a `keras.random.SeedGenerator` (or int).
        c: noise scale relative to the batch's standard deviation.
        target: norm target.
        epsilon: keeps the norm differentiable at zero gradient.

    Returns:
        Scalar penalty (unweighted).
    """
    real = ops.stop_gradient(ops.convert_to_tensor(real))
    dtype = keras.backend.standardize_dtype(real.dtype)
    u = replica_uniform(ops.shape(real), dtype=dtype, seed=seed)
    a = batch_uniform(real, seed)
    # std over the global batch: with data parallelism, replica means of
    # E[x] and E[x^2] (equal shares) give the global moments.
    mean = backend.replica_mean(ops.mean(real))
    mean_sq = backend.replica_mean(ops.mean(ops.square(real)))
    std = ops.sqrt(ops.maximum(mean_sq - ops.square(mean), 0.0))
    x_hat = real + a * (c * std * u)
    grads = backend.input_gradient(discriminator_fn, x_hat)
    return norm_penalty(grads, target, False, epsilon)


@register("dragan")
class DRAGAN(Penalty):
    """DRAGAN: a gradient-norm penalty on perturbed real samples.

    Args:
        weight: lambda, 10 in the paper.
        c: perturbation scale (0.5 in the paper).
        target: norm target.
        epsilon: added under the square root of the norm.
        interval: lazy-regularisation interval.

    Example:
        >>> gan = keras_gan.GAN(G, D, 64, loss="non_saturating", penalty="dragan")
    """

    def __init__(self, weight=10.0, c=0.5, target=1.0, epsilon=1e-12, interval=1):
        super().__init__(weight=weight, interval=interval)
        self.c = float(c)
        self.target = float(target)
        self.epsilon = float(epsilon)

    def compute(self, discriminator_fn, real, fake, seed=None):
        return dragan_penalty(
            discriminator_fn,
            real,
            seed=seed,
            c=self.c,
            target=self.target,
            epsilon=self.epsilon,
        )

    def get_config(self):
        config = super().get_config()
        config.update(c=self.c, target=self.target, epsilon=self.epsilon)
        return config
