"""Sample-quality metrics: one class per metric (running state) next to its functional form.

Every module in this folder is imported here, so a new metric is one new
file with a `@register("name")` `QualityMetric` (and its test): the
`Evaluator`, `keras-gan evaluate`'s table, the `EvaluationCallback`'s
logs, `save_history_plot`, the model cards and the zoo tables read its
`columns`.
"""

import importlib
import pkgutil

from keras_gan.metrics.quality_metric import NEEDS
from keras_gan.metrics.quality_metric import Column
from keras_gan.metrics.quality_metric import QualityMetric
from keras_gan.metrics.quality_metric import get
from keras_gan.metrics.quality_metric import register
from keras_gan.metrics.class_coverage import ClassCoverage
from keras_gan.metrics.class_coverage import class_coverage
from keras_gan.metrics.classifier_score import ClassifierScore
from keras_gan.metrics.classifier_score import classifier_score
from keras_gan.metrics.density_coverage import DensityCoverage
from keras_gan.metrics.density_coverage import density_coverage
from keras_gan.metrics.frechet_distance import FID
from keras_gan.metrics.frechet_distance import FrechetDistance
from keras_gan.metrics.frechet_distance import feature_statistics
from keras_gan.metrics.frechet_distance import fid_from_features
from keras_gan.metrics.frechet_distance import frechet_distance
from keras_gan.metrics.kernel_distance import KID
from keras_gan.metrics.kernel_distance import KernelDistance
from keras_gan.metrics.kernel_distance import kernel_distance
from keras_gan.metrics.metric_collection import MetricCollection
from keras_gan.metrics.metric_collection import all_columns
from keras_gan.metrics.metric_collection import available
from keras_gan.metrics.metric_collection import columns_for
from keras_gan.metrics.metric_collection import metric_values
from keras_gan.metrics.neighbours import knn_radii
from keras_gan.metrics.precision_recall import PrecisionRecall
from keras_gan.metrics.precision_recall import precision_recall

# Metric files added without an import line above register here.
for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
