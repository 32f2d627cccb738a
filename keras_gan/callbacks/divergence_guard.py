"""Stops training as soon as a loss or a weight turns NaN or inf."""

import math

import keras

from keras_gan.callbacks.checkpoint import Checkpoint
from keras_gan.callbacks.checkpoint import _sync
from keras_gan.callbacks.checkpoint import nonfinite_weights
from keras_gan.errors import DivergenceError
from keras_gan.utils.deprecation import check_no_unknown
from keras_gan.utils.deprecation import renamed_arguments
from keras_gan.validation import check_positive_int


class DivergenceGuard(keras.callbacks.Callback):
    """Raises `DivergenceError` when training produces NaN or inf.

    Checks every logged value (`d_loss`, `g_loss`, `penalty`, ...) after
    each batch, and every weight (G, D, EMA, optimizer state) every
    `check_freq` steps and at each epoch end. The error names the step,
    the bad values and the last good checkpoint of a `Checkpoint` callback
    in the same `fit` call. Put it *before* the `Checkpoint` in the callback
    list so that a bad state is never saved
    (`Checkpoint` refuses non-finite weights on its own as well).

    Keras' `TerminateOnNaN` watches only a `loss` key, which a GAN does not
    log.

    Args:
        check_freq: `"epoch"` (weight scans at epoch ends only) or an
            integer number of steps between weight scans, as Keras'
            `save_freq`. Formerly `check_weights_every` (0 meant `"epoch"`).
        action: "raise" (default) or "stop" (print the message and set
            `model.stop_training`).

    Example:
        >>> gan.fit(x, callbacks=[DivergenceGuard(), Checkpoint("runs/a")])
    """

    def __init__(self, check_freq=100, action="raise", **deprecated):
        super().__init__()
        if action not in ("raise", "stop"):
            raise ValueError(f"action must be 'raise' or 'stop'. Received: action={action!r}")

        def old_value(value):  # 0 meant "epoch ends only"
            value = check_positive_int("check_weights_every", value, minimum=0)
            return value or "epoch"

        check_freq = renamed_arguments(
            "DivergenceGuard", {"check_weights_every": ("check_freq", old_value)}, deprecated,
            dict(check_freq=check_freq), dict(check_freq=100))["check_freq"]
        check_no_unknown("DivergenceGuard", deprecated)
        if not (isinstance(check_freq, str) and check_freq == "epoch"):
            check_freq = check_positive_int("check_freq", check_freq)
        self.check_freq = check_freq
        self.action = action
        self.checkpoint = None
        self._step = 0

    def get_config(self):
        """The constructor's arguments (new names only)."""
        return {"check_freq": self.check_freq, "action": self.action}

    @classmethod
    def from_config(cls, config):
        """A `DivergenceGuard` from `get_config()` (old names are accepted, deprecated)."""
        return cls(**config)

    def set_checkpoint(self, checkpoint):
        self.checkpoint = checkpoint

    def on_train_begin(self, logs=None):
        from keras import ops

        self._step = int(ops.convert_to_numpy(self.model.optimizer.iterations))

    def _fail(self, what):
        last = self.checkpoint.latest() if self.checkpoint is not None else None
        message = (
            f"Training diverged at step {self._step}: {what}. "
            + (f"Last good checkpoint: {last} (rerun the same fit() to resume from it, "
               "e.g. with a lower learning rate)." if last else
               "No checkpoint to resume from (add keras_gan.callbacks.Checkpoint).")
        )
        if self.action == "stop":
            print(message)
            self.model.stop_training = True
            return
        raise DivergenceError(message)

    def on_train_batch_end(self, batch, logs=None):
        self._step += 1
        bad = {k: v for k, v in (logs or {}).items()
               if isinstance(v, (int, float)) and not math.isfinite(v)}
        if bad:
            self._fail("non-finite " + ", ".join(f"{k}={v}" for k, v in bad.items()))
            return
        if self.check_freq != "epoch" and self._step % self.check_freq == 0:
            self._check_weights()

    def on_epoch_end(self, epoch, logs=None):
        self._check_weights()

    def _check_weights(self):
        _sync(self.model)
        bad = nonfinite_weights(self.model)
        if bad:
            self._fail(f"non-finite weights in {', '.join(bad[:5])}")


def link(callbacks):
    """Lets each DivergenceGuard name the Checkpoint of the same fit call."""
    checkpoints = [c for c in callbacks if isinstance(c, Checkpoint)]
    for c in callbacks:
        if isinstance(c, DivergenceGuard) and c.checkpoint is None and checkpoints:
            c.set_checkpoint(checkpoints[0])
