"""Version of keras_gan."""

__version__ = "0.1.0"
