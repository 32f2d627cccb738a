"""Class coverage: how evenly samples cover the classes a classifier knows."""

import numpy as np
from keras import ops

from keras_gan.metrics.quality_metric import Column
from keras_gan.metrics.quality_metric import QualityMetric
from keras_gan.metrics.quality_metric import register
from keras_gan.validation import as_features
from keras_gan.validation import check_positive_int
from keras_gan.validation import check_update


def coverage_from_counts(counts, data_classes=None):
    """`(class_coverage, shares)` from per-class counts of predicted classes.

    Args:
        counts: `(K',)` number of samples predicted as each class.
        data_classes: how many of the first classes are classes of the data
            (the rest are rejection classes); default: all.

    Returns:
        `(float, [data_classes floats])`.
    """
    counts = np.asarray(counts, "float64")
    classes = data_classes or len(counts)
    shares = counts[:classes] / counts.sum()
    return float(np.minimum(1.0, classes * shares).min()), [float(s) for s in shares]


def class_coverage(probabilities, data_classes=None):
    """How evenly samples cover the classes: `min_c min(1, K * share_c)`.

    Each sample counts for its most likely class `c`; with
    `share_c = n_c / N` over the `K` classes of the data (a rejection class
    such as the MNIST classifier's "not a digit" counts in `N` but is not
    one of the `K`), the value is 1 when every class gets at least its fair
    share `1/K`, and 0 when a class is missing (a dropped mode, which FID
    can hide).

    Args:
        probabilities: `(N, K')` class probabilities.
        data_classes: the `K` classes of the data among the first of the
            `K'` columns; default: all.

    Returns:
        `(class_coverage, shares)`: a float in [0, 1] and the `K` shares.

    Example:
        >>> class_coverage(np.eye(4))
        (1.0, [0.25, 0.25, 0.25, 0.25])
    """
    p = as_features(probabilities, "probabilities", min_samples=1)
    if data_classes is not None:
        data_classes = check_positive_int("data_classes", data_classes)
        if data_classes > p.shape[1]:
            raise ValueError(
                f"data_classes must be at most the {p.shape[1]} probability columns. "
                f"Received: data_classes={data_classes}"
            )
    counts = np.bincount(np.argmax(p, 1), minlength=p.shape[1])
    return coverage_from_counts(counts, data_classes)


@register("class_coverage")
class ClassCoverage(QualityMetric):
    """How evenly the samples cover the classes the extractor knows.

    `class_coverage = min_c min(1, K * share_c)` (see `class_coverage`):
    1 when every class gets at least its fair share, 0 when one is
    missing. `class_shares` lists every `share_c`. The 10,000 MNIST test
    digits score 0.892 (digit 5 is 8.92 % of them). Streaming, it keeps
    one count per class; in an `Evaluator` (registered as
    `"class_coverage"`) the extractor says how many classes are the data's.

    Args:
        num_classes: the classifier's `K'` outputs (default: from the
            first batch).
        data_classes: how many of them are classes of the data (default:
            all).
        name: metric name (default "class_coverage").
        dtype: Keras metric dtype.

    Returns:
        `result()` and `compute`: `{"class_coverage": float,
        "class_shares": [K floats]}`.

    Example:
        >>> Evaluator(metrics=["fid", "class_coverage"]).score_images(x)["class_coverage"]
    """

    needs = ("probabilities",)
    columns = (Column("class_coverage", "Class coverage", "higher", ".3f"),)
    order = 60

    def __init__(self, num_classes=None, data_classes=None, name="class_coverage",
                 dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.data_classes = None
        if data_classes is not None:
            self.data_classes = check_positive_int("data_classes", data_classes)
        self.num_classes = None
        if num_classes is not None:
            self._build(check_positive_int("num_classes", num_classes))

    def _build(self, num_classes):
        if self.data_classes is not None and self.data_classes > num_classes:
            raise ValueError(
                f"data_classes must be at most num_classes={num_classes}. "
                f"Received: data_classes={self.data_classes}"
            )
        self.num_classes = num_classes
        self.counts = self.add_variable((num_classes,), initializer="zeros", name="counts")

    def update_state(self, probabilities, sample_weight=None):
        """Counts each sample for its most likely class."""
        if self.num_classes is None:
            self._build(check_positive_int("num_classes", tuple(probabilities.shape)[-1]))
        check_update(self, probabilities, self.num_classes, "probabilities", sample_weight)
        predicted = ops.argmax(probabilities, axis=1)
        self.counts.assign(self.counts.value + ops.sum(
            ops.one_hot(predicted, self.num_classes, dtype=self.counts.dtype), axis=0))

    def result(self):
        counts = (None if self.num_classes is None
                  else np.asarray(ops.convert_to_numpy(self.counts.value)))
        if counts is None or counts.sum() < 1:
            raise ValueError("ClassCoverage has no samples yet.")
        value, shares = coverage_from_counts(counts, self.data_classes)
        return {"class_coverage": value, "class_shares": shares}

    def compute(self, reference, fake):
        value, shares = class_coverage(fake.probabilities, fake.data_classes)
        return {"class_coverage": value, "class_shares": shares}

    def get_config(self):
        return {"num_classes": self.num_classes, "data_classes": self.data_classes,
                "name": self.name, "dtype": self.dtype}
