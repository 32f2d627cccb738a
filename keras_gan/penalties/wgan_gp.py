"""The WGAN-GP gradient penalty (Gulrajani et al., 2017)."""

from keras import ops

from keras_gan import backend
from keras_gan.penalties.penalty import Penalty
from keras_gan.penalties.penalty import batch_uniform
from keras_gan.penalties.penalty import norm_penalty
from keras_gan.penalties.penalty import register


def interpolate(real, fake, seed=None):
    """`e * real + (1 - e) * fake` with one `e ~ U(0, 1)` per sample.

    Args:
        real: real batch.
        fake: generated batch of the same shape.
        seed: a `keras.random.SeedGenerator` (or int).

    Returns:
        The interpolates, shaped like `real`.
    """
    real = ops.convert_to_tensor(real)
    fake = ops.convert_to_tensor(fake, dtype=real.dtype)
    e = batch_uniform(real, seed)
    return e * real + (1.0 - e) * fake


def wgan_gp_penalty(
    discriminator_fn,
    real,
    fake,
    seed=None,
    target=1.0,
    one_sided=False,
    epsilon=1e-12,
):
    """`E[(||grad_x D(x_hat)|| - target)^2]` on random interpolates.

    `x_hat = e * x_real + (1 - e) * x_fake` with one `e ~ U(0, 1)` per sample
    (Gulrajani et al., 2017, Algorithm 1).

    Args:
        discriminator_fn: callable mapping a batch of inputs to D's outputs.
        real: real batch.
        fake: generated batch of the same shape.
        seed: a `keras.random.SeedGenerator` (or int) for the interpolation.
        target: norm target (1 = 1-Lipschitz).
        one_sided: penalise only norms above `target`.
        epsilon: keeps the norm differentiable at zero gradient.

    Returns:
        Scalar penalty (unweighted).
    """
    x_hat = ops.stop_gradient(interpolate(real, fake, seed))
    grads = backend.input_gradient(discriminator_fn, x_hat)
    return norm_penalty(grads, target, one_sided, epsilon)


@register("wgan_gp")
class WGANGP(Penalty):
    """WGAN-GP: pull D's input-gradient norm towards 1 between real and fake.

    Args:
        weight: lambda, 10 in the paper.
        target: the norm target.
        one_sided: penalise only norms above `target` (WGAN-LP style).
        epsilon: added under the square root of the norm.
        interval: lazy-regularisation interval.

    Example:
        >>> gan = keras_gan.GAN(G, D, 64, loss="wasserstein",
        ...                     penalty=WGANGP(weight=10.0, one_sided=True))
    """

    def __init__(
        self, weight=10.0, target=1.0, one_sided=False, epsilon=1e-12, interval=1
    ):
        super().__init__(weight=weight, interval=interval)
        self.target = float(target)
        self.one_sided = bool(one_sided)
        self.epsilon = float(epsilon)

    def compute(self, discriminator_fn, real, fake, seed=None):
        return wgan_gp_penalty(
            discriminator_fn,
            real,
            fake,
            seed=seed,
            target=self.target,
            one_sided=self.one_sided,
            epsilon=self.epsilon,
        )

    def get_config(self):
        config = super().get_config()
        config.update(
            target=self.target, one_sided=self.one_sided, epsilon=self.epsilon
        )
        return config
