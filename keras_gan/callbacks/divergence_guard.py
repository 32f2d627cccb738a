"""Stops training as soon as a loss or a weight turns NaN or inf."""

import math

import keras

from keras_gan.callbacks.checkpoint import Checkpoint
from keras_gan.callbacks.checkpoint import _sync
from keras_gan.callbacks.checkpoint import nonfinite_weights
from keras_gan.errors import DivergenceError
from keras_gan.validation import check_positive_int


class DivergenceGuard(keras.callbacks.Callback):
    """Raises `DivergenceError` when training produces NaN or inf.

    Checks every logged value (`d_loss`, `g_loss`, `penalty`, ...) after
    each batch, and every weight (G, D, EMA, optimizer state) every
    `check_weights_every` batches and at each epoch end. The error names
    the step, the bad values and the last good checkpoint of a
    `Checkpoint` callback in the same `fit` call. Put it *before* the
    `Checkpoint` in the callback list so that a bad state is never saved
    (`Checkpoint` refuses non-finite weights on its own as well).

    Keras' `TerminateOnNaN` watches only a `loss` key, which a GAN does not
    log.

    Args:
        check_weights_every: batches between weight scans (0: epoch ends only).
        action: "raise" (default) or "stop" (print the message and set
            `model.stop_training`).

    Example:
        >>> gan.fit(x, callbacks=[DivergenceGuard(), Checkpoint("runs/a")])
    """

    def __init__(self, check_weights_every=100, action="raise"):
        super().__init__()
        if action not in ("raise", "stop"):
            raise ValueError(f"action must be 'raise' or 'stop'. Received: action={action!r}")
        check_weights_every = check_positive_int("check_weights_every", check_weights_every,
                                                 minimum=0)
        self.check_weights_every = check_weights_every
        self.action = action
        self.checkpoint = None
        self._step = 0

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
        if self.check_weights_every and self._step % self.check_weights_every == 0:
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
