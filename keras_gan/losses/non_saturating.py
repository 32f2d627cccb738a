"""The non-saturating GAN objective (Goodfellow et al., 2014, sec. 3)."""

from keras import ops

from keras_gan.losses.gan_loss import GANLoss
from keras_gan.losses.gan_loss import register
from keras_gan.losses.minimax import minimax_d_loss


def non_saturating_g_loss(fake_logits):
    """Generator loss `-E[log sigmoid(D(G(z)))] = E[softplus(-D(G(z)))]`.

    Args:
        fake_logits: D's logits on generated samples.

    Returns:
        Scalar loss.
    """
    return ops.mean(ops.softplus(-fake_logits))


@register("non_saturating")
class NonSaturating(GANLoss):
    """Non-saturating GAN loss: D as in minimax, G maximises `log D(G(z))`.

    Example:
        >>> gan = keras_gan.GAN(G, D, latent_dim=64, loss="non_saturating")
    """

    def d_loss(self, real_logits, fake_logits):
        return minimax_d_loss(real_logits, fake_logits)

    def g_loss(self, fake_logits):
        return non_saturating_g_loss(fake_logits)
