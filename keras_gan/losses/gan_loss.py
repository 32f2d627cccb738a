"""Base class and registry for adversarial losses."""

import difflib

import keras

_REGISTRY = {}


def register(name):
    """Class decorator: makes a `GANLoss` subclass available under `name`."""

    def decorator(cls):
        _REGISTRY[name] = cls
        cls.registry_name = name
        return keras.saving.register_keras_serializable(package="keras_gan")(
            cls
        )

    return decorator


def available():
    """Sorted names of the registered losses."""
    return sorted(_REGISTRY)


def _unknown(kind, name, names):
    close = difflib.get_close_matches(str(name), names, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    return ValueError(
        f"Unknown {kind} {name!r}.{hint} Valid names: {', '.join(names)}. "
        f"Received: {kind}={name!r}"
    )


class GANLoss:
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

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"{type(self).__name__}({self.get_config()})"


def get(identifier):
    """Returns a `GANLoss` from a name, a config dict or an instance.

    Args:
        identifier: `"minimax"`, `"non_saturating"`, `"wasserstein"`,
            `"hinge"`, `"least_squares"`, a `GANLoss` instance, or the dict
            produced by `keras.saving.serialize_keras_object`.

    Returns:
        A `GANLoss` instance.
    """
    if isinstance(identifier, GANLoss):
        return identifier
    if isinstance(identifier, dict):
        obj = keras.saving.deserialize_keras_object(identifier)
        if not isinstance(obj, GANLoss):
            raise ValueError(
                f"Expected a GANLoss config. Received: loss={identifier!r}"
            )
        return obj
    if isinstance(identifier, str):
        if identifier not in _REGISTRY:
            raise _unknown("loss", identifier, available())
        return _REGISTRY[identifier]()
    raise ValueError(
        "`loss` must be a name, a GANLoss instance or a config dict. Valid "
        f"names: {', '.join(available())}. Received: loss={identifier!r}"
    )
