"""Gradient penalties for the discriminator: functions plus classes by name."""

from keras_gan.penalties.dragan import DRAGAN
from keras_gan.penalties.dragan import dragan_penalty
from keras_gan.penalties.penalty import Penalty
from keras_gan.penalties.penalty import available
from keras_gan.penalties.penalty import get
from keras_gan.penalties.penalty import gradient_norm
from keras_gan.penalties.penalty import norm_penalty
from keras_gan.penalties.penalty import squared_gradient_norm
from keras_gan.penalties.penalty import squared_norm_penalty
from keras_gan.penalties.r1 import R1
from keras_gan.penalties.r1 import r1_penalty
from keras_gan.penalties.r2 import R2
from keras_gan.penalties.r2 import r2_penalty
from keras_gan.penalties.wgan_gp import WGANGP
from keras_gan.penalties.wgan_gp import interpolate
from keras_gan.penalties.wgan_gp import wgan_gp_penalty
