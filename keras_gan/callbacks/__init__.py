"""Training callbacks."""

from keras_gan.callbacks.checkpoint import Checkpoint
from keras_gan.callbacks.divergence_guard import DivergenceGuard
from keras_gan.callbacks.evaluation_callback import EvaluationCallback
from keras_gan.callbacks.sample_grid import SampleGrid
from keras_gan.callbacks.step_history import StepHistory
from keras_gan.callbacks.tensorboard_logger import TensorBoardLogger
from keras_gan.callbacks.time_limit import TimeLimit
