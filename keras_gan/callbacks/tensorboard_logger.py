"""TensorBoard logging of a GAN's losses and sample grids."""

import numbers

import keras
import numpy as np

from keras_gan.callbacks.sample_grid import SampleGrid
from keras_gan.utils.deprecation import check_no_unknown
from keras_gan.utils.deprecation import renamed_arguments
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
        image_freq: write the sample grid every this many epochs (0: never),
            as Keras' `histogram_freq` counts epochs. Formerly `images_every`.
        n_samples: samples in the grid. Formerly `n`.
        seed: noise seed of the grid.
        use_ema: sample the EMA generator (default: when the GAN has one).

    Example:
        >>> gan.fit(x, epochs=10, callbacks=[TensorBoardLogger("logs/run1")])
    """

    def __init__(self, log_dir, update_freq="epoch", image_freq=1, n_samples=64, seed=0,
                 use_ema=None, **deprecated):
        super().__init__()
        values = renamed_arguments(
            "TensorBoardLogger", {"images_every": "image_freq", "n": "n_samples"}, deprecated,
            dict(image_freq=image_freq, n_samples=n_samples), dict(image_freq=1, n_samples=64))
        check_no_unknown("TensorBoardLogger", deprecated)
        image_freq, n_samples = values["image_freq"], values["n_samples"]
        if not (isinstance(update_freq, str) and update_freq == "epoch"):
            update_freq = check_positive_int("update_freq", update_freq)
        image_freq = check_positive_int("image_freq", image_freq, minimum=0)
        self.log_dir = str(log_dir)
        self.update_freq, self.image_freq = update_freq, image_freq
        self.n_samples, self.seed, self.use_ema = n_samples, seed, use_ema
        self._grid = SampleGrid(self.log_dir, n_samples=n_samples, seed=seed, use_ema=use_ema,
                                scale=1, gif=False)
        self._writer = None
        self._step = 0

    def get_config(self):
        """The constructor's arguments (new names only)."""
        return {"log_dir": self.log_dir, "update_freq": self.update_freq,
                "image_freq": self.image_freq, "n_samples": self.n_samples, "seed": self.seed,
                "use_ema": self.use_ema}

    @classmethod
    def from_config(cls, config):
        """A `TensorBoardLogger` from `get_config()` (old names are accepted, deprecated)."""
        return cls(**config)

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
        if self.image_freq and (epoch + 1) % self.image_freq == 0:
            self._writer.image("samples", self._grid.grid(), epoch + 1)
        self._writer.flush()

    def on_train_end(self, logs=None):
        if self._writer is not None:
            self._writer.close()
            self._writer = None
