"""Sample-quality metrics: functional forms on arrays and streaming `keras.metrics.Metric`s."""

from keras_gan.metrics.classifier_score import ClassifierScore
from keras_gan.metrics.classifier_score import classifier_score
from keras_gan.metrics.density_coverage import DensityCoverage
from keras_gan.metrics.density_coverage import density_coverage
from keras_gan.metrics.frechet_distance import FrechetDistance
from keras_gan.metrics.frechet_distance import feature_statistics
from keras_gan.metrics.frechet_distance import fid_from_features
from keras_gan.metrics.frechet_distance import frechet_distance
from keras_gan.metrics.kernel_distance import KernelDistance
from keras_gan.metrics.kernel_distance import kernel_distance
from keras_gan.metrics.neighbours import knn_radii
from keras_gan.metrics.precision_recall import PrecisionRecall
from keras_gan.metrics.precision_recall import precision_recall
