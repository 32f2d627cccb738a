"""The original minimax GAN objective (Goodfellow et al., 2014)."""

from keras import ops

from keras_gan.losses.gan_loss import GANLoss
from keras_gan.losses.gan_loss import register


def minimax_d_loss(real_logits, fake_logits):
    """Discriminator's binary cross-entropy on logits.

    `L_D = E[softplus(-D(x))] + E[softplus(D(G(z)))]`, i.e.
    `-E[log sigmoid(D(x))] - E[log(1 - sigmoid(D(G(z))))]`.

    Args:
        real_logits: D's logits on real samples.
        fake_logits: D's logits on generated samples.

    Returns:
        Scalar loss.
    """
    return ops.mean(ops.softplus(-real_logits)) + ops.mean(
        ops.softplus(fake_logits)
    )


def minimax_g_loss(fake_logits):
    """The saturating generator loss `E[log(1 - sigmoid(D(G(z))))]`.

    Equal to `-E[softplus(D(G(z)))]`. Its gradient vanishes when D rejects
    the fakes confidently; prefer `non_saturating` in practice.

    Args:
        fake_logits: D's logits on generated samples.

    Returns:
        Scalar loss.
    """
    return -ops.mean(ops.softplus(fake_logits))


@register("minimax")
class Minimax(GANLoss):
    """Minimax GAN loss (Goodfellow et al., 2014, eq. 1).

    Example:
        >>> loss = Minimax()
        >>> d = loss.d_loss(real_logits, fake_logits)
    """

    def d_loss(self, real_logits, fake_logits):
        return minimax_d_loss(real_logits, fake_logits)

    def g_loss(self, fake_logits):
        return minimax_g_loss(fake_logits)
