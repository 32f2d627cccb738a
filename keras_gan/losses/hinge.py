"""The hinge GAN objective (Lim & Ye, 2017; Miyato et al., 2018)."""

from keras import ops

from keras_gan.losses.gan_loss import GANLoss
from keras_gan.losses.gan_loss import register


def hinge_d_loss(real_logits, fake_logits):
    """Discriminator loss `E[relu(1 - D(x))] + E[relu(1 + D(G(z)))]`.

    Args:
        real_logits: D's outputs on real samples.
        fake_logits: D's outputs on generated samples.

    Returns:
        Scalar loss.
    """
    return ops.mean(ops.relu(1.0 - real_logits)) + ops.mean(
        ops.relu(1.0 + fake_logits)
    )


def hinge_g_loss(fake_logits):
    """Generator loss `-E[D(G(z))]`.

    Args:
        fake_logits: D's outputs on generated samples.

    Returns:
        Scalar loss.
    """
    return -ops.mean(fake_logits)


@register("hinge")
class Hinge(GANLoss):
    """Hinge loss, as used by SAGAN and BigGAN.

    Example:
        >>> gan = keras_gan.GAN(G, D, 64, loss="hinge", penalty="r1")
    """

    def d_loss(self, real_logits, fake_logits):
        return hinge_d_loss(real_logits, fake_logits)

    def g_loss(self, fake_logits):
        return hinge_g_loss(fake_logits)
