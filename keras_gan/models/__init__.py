"""Generator and discriminator architectures."""

from keras_gan.models.conditional import conditional_dcgan_discriminator
from keras_gan.models.conditional import conditional_dcgan_generator
from keras_gan.models.dcgan import dcgan_discriminator
from keras_gan.models.dcgan import dcgan_generator
from keras_gan.models.dense import dense_generator
from keras_gan.models.mlp import conditional_mlp_discriminator
from keras_gan.models.mlp import conditional_mlp_generator
from keras_gan.models.mlp import mlp_discriminator
from keras_gan.models.mlp import mlp_generator
