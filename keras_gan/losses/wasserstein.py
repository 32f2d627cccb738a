"""The Wasserstein GAN objective (Arjovsky et al., 2017)."""

from keras import ops

from keras_gan.losses.gan_loss import GANLoss
from keras_gan.losses.gan_loss import register


def wasserstein_d_loss(real_logits, fake_logits):
    """Critic loss `E[D(G(z))] - E[D(x)]` (the negated Wasserstein estimate).

    Needs a Lipschitz constraint on D, e.g. `penalty="wgan_gp"`.

    Args:
        real_logits: critic outputs on real samples.
        fake_logits: critic outputs on generated samples.

    Returns:
        Scalar loss.
    """
    return ops.mean(fake_logits) - ops.mean(real_logits)


def wasserstein_g_loss(fake_logits):
    """Generator loss `-E[D(G(z))]`.

    Args:
        fake_logits: critic outputs on generated samples.

    Returns:
        Scalar loss.
    """
    return -ops.mean(fake_logits)


@register("wasserstein")
class Wasserstein(GANLoss):
    """Wasserstein loss; pair it with `penalty="wgan_gp"` (Gulrajani et al., 2017).

    Example:
        >>> gan = keras_gan.GAN(G, D, 64, loss="wasserstein", penalty="wgan_gp")
    """

    def d_loss(self, real_logits, fake_logits):
        return wasserstein_d_loss(real_logits, fake_logits)

    def g_loss(self, fake_logits):
        return wasserstein_g_loss(fake_logits)
