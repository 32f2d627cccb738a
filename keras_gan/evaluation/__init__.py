"""Scoring samples against real data (reference statistics, evaluator, sample files)."""

from keras_gan.evaluation.evaluator import METRICS
from keras_gan.evaluation.evaluator import Evaluator
from keras_gan.evaluation.reference_statistics import ReferenceStatistics
from keras_gan.evaluation.reference_statistics import compute_reference_statistics
from keras_gan.evaluation.reference_statistics import default_cache_dir
from keras_gan.evaluation.reference_statistics import load_reference_statistics
from keras_gan.evaluation.sample_io import load_samples
from keras_gan.evaluation.sampling import draw_samples
from keras_gan.evaluation.sampling import labels_in_shares
from keras_gan.evaluation.fake_features import FakeFeatures
# The metric classes live in keras_gan.metrics; these names are kept here
# for code written against the Evaluator's former metric tree.
from keras_gan.metrics import Column
from keras_gan.metrics import MetricCollection
from keras_gan.metrics import QualityMetric
from keras_gan.metrics import register as register_metric
