"""Name -> class registries (losses, penalties), with helpful errors."""

import difflib

import keras


class Configurable:
    """Base of registry entries: `get_config` (no arguments by default),
    `from_config(config) = cls(**config)` and a `Name(arg=value, ...)` repr."""

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


class Registry:
    """Maps names to serializable classes of one kind (e.g. "loss").

    Args:
        kind: what the registry holds, used in error messages.
        base: the base class every entry and instance must derive from.
    """

    def __init__(self, kind, base):
        self.kind = kind
        self.base = base
        self._classes = {}

    def register(self, name):
        """Class decorator: makes the class available under `name`."""

        def decorator(cls):
            self._classes[name] = cls
            cls.registry_name = name
            return keras.saving.register_keras_serializable(package="keras_gan")(
                cls
            )

        return decorator

    def create(self, name, **kwargs):
        """A new instance of the class registered as `name`, with `kwargs`."""
        if name not in self._classes:
            self.get(name)  # raises the unknown-name error
        return self._classes[name](**kwargs)

    def get_class(self, name):
        """The class registered as `name` (unknown names raise as in `get`)."""
        if name not in self._classes:
            self.get(name)
        return self._classes[name]

    def available(self):
        """Sorted registered names."""
        return sorted(self._classes)

    def get(self, identifier):
        """An instance from a name, a serialized config dict or an instance."""
        kind = self.kind
        if isinstance(identifier, self.base):
            return identifier
        if isinstance(identifier, dict):
            obj = keras.saving.deserialize_keras_object(identifier)
            if not isinstance(obj, self.base):
                raise ValueError(
                    f"Expected a {self.base.__name__} config. "
                    f"Received: {kind}={identifier!r}"
                )
            return obj
        names = self.available()
        if isinstance(identifier, str):
            if identifier not in self._classes:
                close = difflib.get_close_matches(identifier, names, n=1)
                hint = f" Did you mean {close[0]!r}?" if close else ""
                raise ValueError(
                    f"Unknown {kind} {identifier!r}.{hint} Valid names: "
                    f"{', '.join(names)}. Received: {kind}={identifier!r}"
                )
            return self._classes[identifier]()
        raise ValueError(
            f"`{kind}` must be a name, a {self.base.__name__} instance or a "
            f"config dict. Valid names: {', '.join(names)}. "
            f"Received: {kind}={identifier!r}"
        )
