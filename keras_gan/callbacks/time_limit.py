"""Stops training once a wall-clock budget is spent."""

import math
import time

import keras

# The clock the callback reads (a module attribute, so tests can replace it).
_clock = time.monotonic


class TimeLimit(keras.callbacks.Callback):
    """Stops `fit` after the first batch that ends past a wall-clock budget.

    The clock starts at the first `on_train_begin` the callback sees and
    keeps running across later `fit` calls that reuse the same instance,
    so a run split into several `fit` calls (chunks of steps, a resumed
    stream) shares one budget. It is read after every batch, so training
    overruns the budget by at most one step (plus whatever the other
    callbacks do at the epoch end). Once spent, each later `fit` with this
    callback stops after its first batch; check `expired` to skip it.

    Keras has no wall-clock callback (TensorFlow Addons' `TimeStopping`,
    which checked only at epoch ends, was not carried over to Keras 3).

    Args:
        minutes: the budget in minutes (> 0).
        verbose: print one line when it stops training.

    Attributes:
        expired: True once the budget is spent.
        elapsed: seconds since the clock started (0 before the first fit).

    Example:
        >>> limit = TimeLimit(minutes=6)
        >>> gan.fit(stream, epochs=5, steps_per_epoch=1000, callbacks=[limit])
        >>> limit.expired  # True if it stopped before 5,000 steps
    """

    def __init__(self, minutes, verbose=True):
        super().__init__()
        if (isinstance(minutes, bool) or not isinstance(minutes, (int, float))
                or not math.isfinite(minutes) or minutes <= 0):
            raise ValueError(f"minutes must be a finite number > 0. Received: minutes={minutes!r}")
        self.minutes = minutes
        self.verbose = verbose
        self.expired = False
        self._start = None

    @property
    def elapsed(self):
        return 0.0 if self._start is None else _clock() - self._start

    def on_train_begin(self, logs=None):
        if self._start is None:
            self._start = _clock()

    def on_train_batch_end(self, batch, logs=None):
        spent = self.elapsed
        if spent < 60.0 * self.minutes:
            return
        if not self.expired and self.verbose:
            print(f"TimeLimit: {spent / 60:.2f} of {self.minutes:g} minutes of training "
                  "spent; stopping.", flush=True)
        self.expired = True
        self.model.stop_training = True
