"""`GAN.fit` with a `Checkpoint`: restore, then continue at the exact batch."""

import math
import warnings

import keras
import numpy as np
from keras import ops

from keras_gan import backend
from keras_gan.training.epoch_batches import EpochBatches


class _Offset(keras.utils.PyDataset):
    """A user's PyDataset without its first `start` batches (one epoch only)."""

    def __init__(self, dataset, start):
        super().__init__()
        self.dataset, self.start = dataset, start

    def __len__(self):
        return len(self.dataset) - self.start

    def __getitem__(self, index):
        return self.dataset[index + self.start]

    def on_epoch_begin(self):
        self.dataset.on_epoch_begin()

    def on_epoch_end(self):
        self.dataset.on_epoch_end()


def _is_array(x):
    return isinstance(x, np.ndarray) or (
        hasattr(x, "shape") and hasattr(x, "dtype") and not isinstance(x, keras.utils.PyDataset)
    )


def _check_layout(state, per_epoch, seed):
    """Refuses a checkpoint written for another batch count or data order."""
    if state and (state.get("batches_per_epoch") not in (None, per_epoch)
                  or state.get("seed") != seed):
        raise ValueError(
            f"The checkpoint in {state['path']} was written for another data "
            f"layout ({state.get('batches_per_epoch')} batches per epoch, seed "
            f"{state.get('seed')}). Received: {per_epoch} batches per epoch, seed {seed}"
        )


def fit_with_checkpoint(gan, fit, checkpoint, x, y=None, batch_size=None, epochs=1,
                        shuffle=True, initial_epoch=0, callbacks=None, **kwargs):
    """Restores `checkpoint` into `gan` and trains to `epochs`, skipping seen batches.

    `fit` is Keras' `Model.fit` bound to `gan`. Returns a `History` covering
    the epochs trained by this call.
    """
    if kwargs.get("steps_per_epoch") is not None:
        raise ValueError(
            "Checkpoint resumes whole epochs of the data; steps_per_epoch is not "
            f"supported with it. Received: steps_per_epoch={kwargs['steps_per_epoch']}"
        )
    callbacks = list(callbacks or [])
    state = checkpoint.restore(gan)
    epoch, batch = (state["epoch"], state["batch"]) if state else (initial_epoch, 0)

    if _is_array(x):
        x = x if isinstance(x, np.ndarray) else ops.convert_to_numpy(x)
        if y is not None and not isinstance(y, np.ndarray):
            y = ops.convert_to_numpy(y)
        batch_size = batch_size or 32
        per_epoch = math.ceil(len(x) / batch_size)
        seed = checkpoint.data_seed(gan)
        _check_layout(state, per_epoch, seed)

        def make(first, start):
            # One endless stream per fit call (Keras keeps its iterator):
            # the batch order is a function of (seed, epoch, batch) alone.
            return EpochBatches(x, y, batch_size, shuffle, seed, first, start, repeat=True)
    elif isinstance(x, EpochBatches):  # e.g. keras_gan.data.image_folder
        if y is not None:
            raise ValueError("The dataset carries its own labels. Received: y is not None")
        per_epoch = x.batches_per_epoch
        _check_layout(state, per_epoch, x.seed)
        checkpoint.dataset_seed = x.seed  # recorded with each checkpoint

        def make(first, start):
            # Its order is a function of (its seed, epoch, batch): resume there.
            return x.resumed(first, start)
    elif isinstance(x, keras.utils.PyDataset):
        if y is not None:
            raise ValueError("A PyDataset carries its own labels. Received: y is not None")
        per_epoch = len(x)

        def make(first, start):
            return _Offset(x, start) if start else x
    else:
        per_epoch = None
        if batch:
            warnings.warn(
                f"Resuming at the start of epoch {epoch + 1}: batches of a "
                f"{type(x).__name__} cannot be skipped, so {batch} batches are "
                "seen again. Use arrays or a keras.utils.PyDataset for exact resume.",
                stacklevel=3,
            )
            batch = 0

        def make(first, start):
            return x

    if per_epoch is not None and batch >= per_epoch:
        epoch, batch = epoch + 1, 0
    checkpoint.batches_per_epoch = per_epoch
    # Arrays and PyDatasets arrive as PyDatasets whose batch order is ours:
    # Keras must not shuffle the batch indices on top.
    pass_y = {"y": y, "shuffle": shuffle} if per_epoch is None else {"shuffle": False}
    if per_epoch is None and batch_size is not None:
        pass_y["batch_size"] = batch_size

    history = keras.callbacks.History()
    history.set_model(gan)
    history.on_train_begin()
    if epoch >= epochs:
        if checkpoint.verbose:
            print(f"Checkpoint: training already reached epoch {epoch} of {epochs}.")
        return history

    def run(data, first, last):
        gan._lazy.counter = None  # the step counter came from the checkpoint
        if getattr(data, "repeat", False):
            kwargs["steps_per_epoch"] = len(data)
            # Starting the stream's iterator may draw from the global RNG
            # (torch's DataLoader does). An uninterrupted run starts one
            # stream only, so the first batch of every fit call sees the RNG
            # state from before its iterator started.
            if checkpoint._pending_rng is None:
                checkpoint._pending_rng = backend.get_global_rng_state()
        h = fit(data, epochs=last, initial_epoch=first, callbacks=callbacks, **pass_y, **kwargs)
        history.epoch += h.epoch
        for k, v in h.history.items():
            history.history.setdefault(k, []).extend(v)

    if batch:
        checkpoint.batch_offset, checkpoint.offset_epoch = batch, epoch
        run(make(epoch, batch), epoch, epoch + 1)
        epoch += 1
        if gan.stop_training:
            return history
    if epoch < epochs:
        checkpoint.batch_offset, checkpoint.offset_epoch = 0, None
        run(make(epoch, 0), epoch, epochs)
    gan.history = history
    return history
