"""Training callbacks."""

from keras_gan.callbacks.evaluation_callback import EvaluationCallback
