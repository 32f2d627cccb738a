"""TensorBoard logging of a GAN's losses and sample grids."""

import numbers

import keras
import numpy as np

from keras_gan.callbacks.sample_grid import SampleGrid
from keras_gan.validation import check_positive_int


class TensorBoardLogger(keras.callbacks.Callback):
    """Logs `d_loss`, `g_loss`, the penalty (every logged value) and sample grids.

    Scalars go under `epoch/<name>` at each epoch end (FID etc. too when an
    `EvaluationCallback` runs before this callback) and, with
    `update_freq=k`, under `batch/<name>` every `k` steps. The image
    `samples` is a grid from fixed NumPy noise (one row per class for a
    `ConditionalGAN`), so TensorBoard's image slider shows the same latent
    points improving epoch by epoch. View with `tensorboard --logdir LOG_DIR`.

    Works on every backend; TensorFlow must be installed to write the
    event files (`tf.summary`).

    Args:
        log_dir: folder of the event files.
        update_freq: `"epoch"`, or an integer number of steps between
            batch-level scalars.
        images_every: write the sample grid every this many epochs (0: never).
        n: samples in the grid.
        seed: noise seed of the grid.
        use_ema: sample the EMA generator (default: when the GAN has one).

    Example:
        >>> gan.fit(x, epochs=10, callbacks=[TensorBoardLogger("logs/run1")])
    """

    def __init__(self, log_dir, update_freq="epoch", images_every=1, n=64, seed=0, use_ema=None):
        super().__init__()
        if not (isinstance(update_freq, str) and update_freq == "epoch"):
            update_freq = check_positive_int("update_freq", update_freq)
        images_every = check_positive_int("images_every", images_every, minimum=0)
        self.log_dir = str(log_dir)
        self.update_freq, self.images_every = update_freq, images_every
        self.n, self.seed, self.use_ema = n, seed, use_ema
        self._grid = SampleGrid(self.log_dir, n=n, seed=seed, use_ema=use_ema, scale=1, gif=False)
        self._writer = None
        self._step = 0

    def set_model(self, model):
        super().set_model(model)
        self._grid.set_model(model)

    def _scalars(self, prefix, logs, step):
        for name, value in (logs or {}).items():
            try:
                value = float(np.asarray(keras.ops.convert_to_numpy(value)))
            except (TypeError, ValueError):
                continue
            if isinstance(value, numbers.Real):
                self._writer.scalar(f"{prefix}/{name}", value, step)

    def on_train_begin(self, logs=None):
        from keras_gan.backend.summary import summary_writer

        self._writer = summary_writer(self.log_dir)
        iterations = getattr(self.model.optimizer, "iterations", None)
        self._step = int(keras.ops.convert_to_numpy(iterations)) if iterations is not None else 0

    def on_train_batch_end(self, batch, logs=None):
        self._step += 1
        if self.update_freq != "epoch" and self._step % self.update_freq == 0:
            self._scalars("batch", logs, self._step)

    def on_epoch_end(self, epoch, logs=None):
        self._scalars("epoch", logs, epoch + 1)
        if self.images_every and (epoch + 1) % self.images_every == 0:
            self._writer.image("samples", self._grid.grid(), epoch + 1)
        self._writer.flush()

    def on_train_end(self, logs=None):
        if self._writer is not None:
            self._writer.close()
            self._writer = None
