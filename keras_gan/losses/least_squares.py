"""The least-squares GAN objective (Mao et al., 2017)."""

from keras import ops

from keras_gan.losses.gan_loss import GANLoss
from keras_gan.losses.gan_loss import register


def least_squares_d_loss(real_logits, fake_logits):
    """Discriminator loss `0.5 E[(D(x) - 1)^2] + 0.5 E[D(G(z))^2]` (a=0, b=1).

    Args:
        real_logits: D's outputs on real samples.
        fake_logits: D's outputs on generated samples.

    Returns:
        Scalar loss.
    """
    return 0.5 * ops.mean(ops.square(real_logits - 1.0)) + 0.5 * ops.mean(
        ops.square(fake_logits)
    )


def least_squares_g_loss(fake_logits):
    """Generator loss `0.5 E[(D(G(z)) - 1)^2]` (c=1).

    Args:
        fake_logits: D's outputs on generated samples.

    Returns:
        Scalar loss.
    """
    return 0.5 * ops.mean(ops.square(fake_logits - 1.0))


@register("least_squares")
class LeastSquares(GANLoss):
    """LSGAN loss with the 0-1 coding of Mao et al. (2017), eq. 9.

    Example:
        >>> gan = keras_gan.GAN(G, D, 64, loss="least_squares")
    """

    def d_loss(self, real_logits, fake_logits):
        return least_squares_d_loss(real_logits, fake_logits)

    def g_loss(self, fake_logits):
        return least_squares_g_loss(fake_logits)
