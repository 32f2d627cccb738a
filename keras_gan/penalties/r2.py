"""The R2 penalty (Mescheder et al., 2018)."""

from keras_gan.penalties.penalty import register
from keras_gan.penalties.penalty import squared_norm_penalty
from keras_gan.penalties.r1 import R1


def r2_penalty(discriminator_fn, fake):
    """`E[||grad_x D(x)||^2]` on generated data.

    Args:
        discriminator_fn: callable mapping a batch to D's outputs.
        fake: generated batch.

    Returns:
        Scalar penalty (unweighted; R2 weights it by gamma / 2).
    """
    return squared_norm_penalty(discriminator_fn, fake)


@register("r2")
class R2(R1):
    """R2: `gamma / 2 * E_fake[||grad_x D(x)||^2]`; R1's twin on generated data.

    Args:
        gamma: R2 strength (`weight = gamma / 2`).
        interval: lazy-regularisation interval.

    Example:
        >>> gan = keras_gan.GAN(G, D, 64, penalty=R2(gamma=1.0))
    """

    def compute(self, discriminator_fn, real, fake, seed=None):
        return r2_penalty(discriminator_fn, fake)
