"""keras_gan: GAN training with Keras 3 on TensorFlow, JAX and PyTorch."""

from keras_gan import backend
from keras_gan import callbacks
from keras_gan import data
from keras_gan import distributed
from keras_gan import errors
from keras_gan import evaluation
from keras_gan import extractors
from keras_gan import losses
from keras_gan import metrics
from keras_gan import models
from keras_gan import penalties
from keras_gan import training
from keras_gan import zoo
from keras_gan.conditional_gan import ConditionalGAN
from keras_gan.gan import GAN
from keras_gan.gan_optimizer import GANOptimizer
from keras_gan.generator import Generator
from keras_gan.utils.history_plot import save_history_plot
from keras_gan.utils.image_grid import save_image_grid
from keras_gan.version import __version__
