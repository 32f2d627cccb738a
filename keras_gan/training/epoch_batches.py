"""Array batches in a reproducible per-epoch order that can start mid-epoch."""

import math

import keras
import numpy as np


class EpochBatches(keras.utils.PyDataset):
    """Batches of in-memory arrays, shuffled by `(seed, epoch)`, resumable.

    The order of epoch `e` is `np.random.default_rng([seed, e]).permutation(n)`
    on every backend and in every process, so a resumed run sees exactly the
    batches an uninterrupted run would have seen. `start_batch` skips the
    first batches of the first epoch (those already trained on before a
    crash).

    Args:
        x: samples, `(n, ...)`.
        y: optional labels, `(n,)`.
        batch_size: batch size; the last batch of an epoch may be smaller.
        shuffle: shuffle each epoch (else the stored order).
        seed: shuffling seed.
        first_epoch: the epoch index of the first epoch iterated.
        start_batch: batches of `first_epoch` to skip.
        repeat: an endless stream of the same epochs, one after the other
            (`num_batches` is None): pass `steps_per_epoch=batches_per_epoch`
            to `fit`. Keras then keeps one iterator for the whole run. On
            TensorFlow this avoids a stall at the first step of each new
            epoch (up to a minute for a GAN on full MNIST; docs/design.md).
        workers: threads preparing batches ahead (`keras.utils.PyDataset`).
    """

    def __init__(self, x, y=None, batch_size=32, shuffle=True, seed=0, first_epoch=0,
                 start_batch=0, repeat=False, workers=1):
        super().__init__(workers=workers)
        self.workers_count = workers
        self.repeat = bool(repeat)
        self.x, self.y = x, y
        self.batch_size = int(batch_size)
        self.shuffle = bool(shuffle)
        self.seed = int(seed)
        self.batches_per_epoch = math.ceil(len(x) / self.batch_size)
        if not 0 <= start_batch < self.batches_per_epoch:
            raise ValueError(
                f"start_batch must be in [0, {self.batches_per_epoch}). "
                f"Received: start_batch={start_batch}"
            )
        self.start_batch = int(start_batch)
        self.first_epoch = int(first_epoch)
        self.epoch = self.first_epoch
        self._begun = False
        self._order = None
        self._order_epoch = None

    def resumed(self, first_epoch, start_batch):
        """The same data and order, as one endless stream from `(first_epoch, start_batch)`."""
        return EpochBatches(self.x, self.y, self.batch_size, self.shuffle, self.seed,
                            first_epoch, start_batch, repeat=True, workers=self.workers_count)

    @property
    def num_batches(self):
        return None if self.repeat else len(self)

    def __len__(self):
        if self.start_batch and self.epoch == self.first_epoch:
            return self.batches_per_epoch - self.start_batch
        return self.batches_per_epoch

    def order(self, epoch):
        """Sample indices of `epoch`, in batch order."""
        if self._order_epoch != epoch:
            n = len(self.x)
            self._order = (np.random.default_rng([self.seed, epoch]).permutation(n)
                           if self.shuffle else np.arange(n))
            self._order_epoch = epoch
        return self._order

    def __getitem__(self, index):
        if self.repeat:
            epoch, b = divmod(self.start_batch + index, self.batches_per_epoch)
            epoch += self.first_epoch
        else:
            epoch = self.epoch
            b = index + (self.start_batch if epoch == self.first_epoch else 0)
        idx = self.order(epoch)[b * self.batch_size:(b + 1) * self.batch_size]
        if self.y is None:
            return self.x[idx]
        return self.x[idx], self.y[idx]

    def on_epoch_begin(self):
        if self.repeat:
            return
        if self._begun:
            self.epoch += 1
        self._begun = True
