"""The R2 penalty (Mescheder et al., 2018)."""

from keras import ops

from keras_gan import backend
from keras_gan.penalties.penalty import Penalty
from keras_gan.penalties.penalty import register
from keras_gan.penalties.penalty import squared_gradient_norm


def r2_penalty(discriminator_fn, fake):
    """`E[||grad_x D(x)||^2]` on generated data.

    Args:
        discriminator_fn: callable mapping a batch to D's outputs.
        fake: generated batch.

    Returns:
        Scalar penalty (unweighted; R2 weights it by gamma / 2).
    """
    grads = backend.input_gradient(discriminator_fn, ops.stop_gradient(ops.convert_to_tensor(fake)))
    return ops.mean(squared_gradient_norm(grads))


@register("r2")
class R2(Penalty):
    """R2: `gamma / 2 * E_fake[||grad_x D(x)||^2]`.

    Args:
        gamma: R2 strength (`weight = gamma / 2`).
        interval: lazy-regularisation interval.

    Example:
        >>> gan = keras_gan.GAN(G, D, 64, penalty=R2(gamma=1.0))
    """

    def __init__(self, gamma=10.0, interval=1):
        super().__init__(weight=float(gamma) / 2.0, interval=interval)
        self.gamma = float(gamma)

    def compute(self, discriminator_fn, real, fake, seed=None):
        return r2_penalty(discriminator_fn, fake)

    def get_config(self):
        return {"gamma": self.gamma, "interval": self.interval}
