"""Training utilities: resumable data order and checkpoint-aware fit."""

from keras_gan.training.epoch_batches import EpochBatches
from keras_gan.training.constant_then_linear_decay import ConstantThenLinearDecay
