"""Sample grids from fixed noise during training, and an animated progress GIF."""

import os

import keras
import numpy as np

from keras_gan.utils.atomic import atomic_path
from keras_gan.utils.deprecation import check_no_unknown
from keras_gan.utils.deprecation import renamed_arguments
from keras_gan.utils.image_grid import class_grid_labels
from keras_gan.utils.image_grid import make_image_grid
from keras_gan.validation import check_positive_int


class SampleGrid(keras.callbacks.Callback):
    """Writes `epoch_NNN.png` grids from the same noise each epoch, then `progress.gif`.

    The noise is drawn once from `seed` (NumPy, so it is the same on every
    backend), so grids of different epochs, runs and backends are
    directly comparable. A `ConditionalGAN` gets one row per class.

    Args:
        directory: output folder.
        n_samples: number of samples; a conditional GAN gets one row per
            class of `round(sqrt(n_samples))` samples each instead, the zoo
            cards' layout (`keras_gan.utils.image_grid.class_grid_labels`).
            Formerly `n`.
        epoch_freq: write a grid after every `epoch_freq`-th epoch (and the
            last). Formerly `every`.
        seed: noise seed.
        use_ema: sample the EMA generator (default: when the GAN has one).
        scale: integer upscaling of the PNGs.
        gif: also write `progress.gif` (one frame per grid) when training ends.
        frame_ms: GIF frame duration.

    Example:
        >>> gan.fit(x, epochs=20, callbacks=[SampleGrid("outputs/grids")])
    """

    def __init__(self, directory, n_samples=64, epoch_freq=1, seed=0, use_ema=None, scale=2,
                 gif=True, frame_ms=400, **deprecated):
        super().__init__()
        values = renamed_arguments(
            "SampleGrid", {"n": "n_samples", "every": "epoch_freq"}, deprecated,
            dict(n_samples=n_samples, epoch_freq=epoch_freq), dict(n_samples=64, epoch_freq=1))
        check_no_unknown("SampleGrid", deprecated)
        n_samples, epoch_freq, scale, frame_ms = (
            check_positive_int(name, value) for name, value in (
                ("n_samples", values["n_samples"]), ("epoch_freq", values["epoch_freq"]),
                ("scale", scale), ("frame_ms", frame_ms)))
        self.directory = os.fspath(directory)
        self.n_samples, self.epoch_freq, self.seed = n_samples, epoch_freq, seed
        self.use_ema, self.scale, self.gif, self.frame_ms = use_ema, scale, gif, frame_ms
        self.frames = []
        self.paths = []

    def get_config(self):
        """The constructor's arguments (new names only)."""
        return {"directory": self.directory, "n_samples": self.n_samples,
                "epoch_freq": self.epoch_freq, "seed": self.seed, "use_ema": self.use_ema,
                "scale": self.scale, "gif": self.gif, "frame_ms": self.frame_ms}

    @classmethod
    def from_config(cls, config):
        """A `SampleGrid` from `get_config()` (old names are accepted, deprecated)."""
        return cls(**config)

    def _inputs(self):
        gan = self.model
        num_classes = getattr(gan, "num_classes", None)
        n, nrow, labels = self.n_samples, None, None
        if num_classes:
            labels, nrow = class_grid_labels(num_classes, self.n_samples)
            n = len(labels)
        z = np.random.default_rng(self.seed).standard_normal((n, gan.latent_dim)).astype("float32")
        return z, labels, nrow

    def grid(self):
        """The current grid as a uint8 array."""
        z, labels, nrow = self._inputs()
        kwargs = {} if labels is None else {"labels": labels}
        images = self.model.generate(z, use_ema=self.use_ema, **kwargs)
        low, high = self.model.data_range or (-1.0, 1.0)
        images = (np.asarray(images, "float32") - low) / (high - low) * 2.0 - 1.0
        grid = make_image_grid(images, nrow=nrow)
        if self.scale > 1:
            grid = np.repeat(np.repeat(grid, self.scale, axis=0), self.scale, axis=1)
        return grid

    def _write(self, image, path, **kwargs):
        from PIL import Image

        with atomic_path(path) as tmp:
            image.save(tmp, **kwargs)
        return path

    def on_epoch_end(self, epoch, logs=None):
        last = (self.params or {}).get("epochs")
        if (epoch + 1) % self.epoch_freq and epoch + 1 != last:
            return
        from PIL import Image

        image = Image.fromarray(self.grid())
        path = os.path.join(self.directory, f"epoch_{epoch + 1:03d}.png")
        os.makedirs(self.directory, exist_ok=True)
        self.paths.append(self._write(image, path))
        self.frames.append(image)

    def on_train_end(self, logs=None):
        if self.gif and self.frames:
            first, rest = self.frames[0], self.frames[1:]
            self._write(first, os.path.join(self.directory, "progress.gif"), save_all=True,
                        append_images=rest, duration=self.frame_ms, loop=0)
