"""Data: image folders (streamed), MNIST loading (with a bundled offline sample), pixel scaling."""

from keras_gan.data.colour_mnist import PAIRS
from keras_gan.data.colour_mnist import PALETTE
from keras_gan.data.colour_mnist import colour_mnist
from keras_gan.data.colour_mnist import load_colour_mnist
from keras_gan.data.colour_mnist import save_image_folder
from keras_gan.data.image_folder import BadImageError
from keras_gan.data.image_folder import ImageFiles
from keras_gan.data.image_folder import ImageFolder
from keras_gan.data.image_folder import image_folder
from keras_gan.data.image_folder import scan_image_files
from keras_gan.data.mnist import load_mnist
from keras_gan.data.mnist import to_gan_range
from keras_gan.data.mnist import to_uint8
