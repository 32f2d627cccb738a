"""Exceptions raised by keras_gan."""


class DivergenceError(FloatingPointError):
    """Training produced NaN or inf (in a loss or in the weights).

    The message names the step, the bad values and the last good
    checkpoint to resume from.
    """


class ZooIntegrityError(ValueError):
    """A zoo download is corrupted, tampered with, or not a keras_gan model."""


class ZooNotPublishedError(ConnectionError):
    """A zoo model's pinned revision is not on the Hugging Face Hub (yet).

    Its entry in `keras_gan/zoo/presets.json` has `"published": false`:
    nothing can be downloaded for it, so `keras_gan.zoo.load(name)` refuses
    it instead of trying another, unverified source. The message names what
    works instead (the folder of a keras_gan checkout, `keras-gan zoo
    release`). A `ConnectionError`: like a missing network, it is a runtime
    failure (exit code 1 in the CLI), not a usage error.
    """


class ZooReleaseError(RuntimeError):
    """`keras_gan.zoo.release` could not upload or read back a model.

    `presets.json` is left unchanged; the message says which model failed and
    which were already uploaded (rerunning the release is safe).
    """
