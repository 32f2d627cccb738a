"""Adversarial losses: pure functions of D's logits plus a registry by name."""

from keras_gan.losses.gan_loss import GANLoss
from keras_gan.losses.gan_loss import available
from keras_gan.losses.gan_loss import get
from keras_gan.losses.hinge import Hinge
from keras_gan.losses.hinge import hinge_d_loss
from keras_gan.losses.hinge import hinge_g_loss
from keras_gan.losses.least_squares import LeastSquares
from keras_gan.losses.least_squares import least_squares_d_loss
from keras_gan.losses.least_squares import least_squares_g_loss
from keras_gan.losses.minimax import Minimax
from keras_gan.losses.minimax import minimax_d_loss
from keras_gan.losses.minimax import minimax_g_loss
from keras_gan.losses.non_saturating import NonSaturating
from keras_gan.losses.non_saturating import non_saturating_g_loss
from keras_gan.losses.wasserstein import Wasserstein
from keras_gan.losses.wasserstein import wasserstein_d_loss
from keras_gan.losses.wasserstein import wasserstein_g_loss
