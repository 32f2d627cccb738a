"""Data helpers: MNIST loading (with a bundled offline sample) and pixel scaling."""

from keras_gan.data.mnist import load_mnist
from keras_gan.data.mnist import to_gan_range
from keras_gan.data.mnist import to_uint8
