"""Base class and registry for adversarial losses."""

from keras_gan.utils.registry import Configurable
from keras_gan.utils.registry import Registry


class GANLoss(Configurable):
    """An adversarial objective: a pair of pure functions of D's logits.

    Subclasses implement `d_loss(real_logits, fake_logits)` (minimised by the
    discriminator) and `g_loss(fake_logits)` (minimised by the generator).
    Both take raw logits (no sigmoid) and return a scalar.
    """

    registry_name = None

    def d_loss(self, real_logits, fake_logits):
        raise NotImplementedError

    def g_loss(self, fake_logits):
        raise NotImplementedError



_REGISTRY = Registry("loss", GANLoss)
register = _REGISTRY.register
available = _REGISTRY.available
create = _REGISTRY.create


def get(identifier):
    """Returns a `GANLoss` from a name, a config dict or an instance.

    Args:
        identifier: `"minimax"`, `"non_saturating"`, `"wasserstein"`,
            `"hinge"`, `"least_squares"`, a `GANLoss` instance, or the dict
            produced by `keras.saving.serialize_keras_object`.

    Returns:
        A `GANLoss` instance.
    """
    return _REGISTRY.get(identifier)
