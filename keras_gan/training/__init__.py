"""Training utilities: resumable data order and checkpoint-aware fit."""

from keras_gan.training.epoch_batches import EpochBatches
