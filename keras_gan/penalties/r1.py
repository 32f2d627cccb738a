"""The R1 penalty (Mescheder et al., 2018)."""

from keras_gan.penalties.penalty import Penalty
from keras_gan.penalties.penalty import register
from keras_gan.penalties.penalty import squared_norm_penalty


def r1_penalty(discriminator_fn, real):
    """`E[||grad_x D(x)||^2]` on real data.

    Args:
        discriminator_fn: callable mapping a batch to D's outputs.
        real: real batch.

    Returns:
        Scalar penalty (unweighted; R1 weights it by gamma / 2).
    """
    return squared_norm_penalty(discriminator_fn, real)


@register("r1")
class R1(Penalty):
    """R1: `gamma / 2 * E_real[||grad_x D(x)||^2]`.

    Args:
        gamma: R1 strength; the loss gets `gamma / 2` times the mean squared
            norm (`weight = gamma / 2`).
        interval: lazy-regularisation interval (StyleGAN2 uses 16).

    Example:
        >>> gan = keras_gan.GAN(G, D, 64, loss="non_saturating",
        ...                     penalty=R1(gamma=10.0, interval=16))
    """

    def __init__(self, gamma=10.0, interval=1):
        super().__init__(weight=float(gamma) / 2.0, interval=interval)
        self.gamma = float(gamma)

    def compute(self, discriminator_fn, real, fake, seed=None):
        return r1_penalty(discriminator_fn, real)

    def get_config(self):
        return {"gamma": self.gamma, "interval": self.interval}
