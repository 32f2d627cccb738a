"""Exceptions raised by keras_gan."""


class DivergenceError(FloatingPointError):
    """Training produced NaN or inf (in a loss or in the weights).

    The message names the step, the bad values and the last good
    checkpoint to resume from.
    """


class ZooIntegrityError(ValueError):
    """A zoo download is corrupted, tampered with, or not a keras_gan model."""
