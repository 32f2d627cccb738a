"""Records each epoch's logs with the training step at which it ended."""

import keras


class StepHistory(keras.callbacks.Callback):
    """Keeps every epoch's logs together with the optimizer step it ended at.

    Keras' `History` stores one list per log key, so a curve's x position is
    only implied by its index: wrong when epochs differ in length (a last
    epoch cut by `TimeLimit`, a resumed one), when a key is logged only in
    some epochs (an `EvaluationCallback` with `epoch_freq > 1`), or when a run is
    split into several `fit` calls. This callback stores one dict per epoch:
    the epoch's logs plus a `step` key, `model.optimizer.iterations` at the
    epoch's end. It keeps adding to the same list across `fit` calls that
    reuse the instance.
    `keras_gan.save_history_plot` draws it at the recorded steps.

    Attributes:
        history: the list of per-epoch dicts, oldest first; values are
            Python floats, `step` an int.

    Example:
        >>> steps = StepHistory()
        >>> gan.fit(images, epochs=5, batch_size=32, callbacks=[steps])
        >>> last = steps.history[-1]
        >>> last["step"]  # 5 epochs of batches
        >>> keras_gan.save_history_plot(steps, "history.png")
    """

    def __init__(self):
        super().__init__()
        self.history = []

    def on_epoch_end(self, epoch, logs=None):
        step = int(keras.ops.convert_to_numpy(self.model.optimizer.iterations))
        self.history.append({"step": step, **{k: float(v) for k, v in (logs or {}).items()}})
