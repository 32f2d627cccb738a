"""Classifier score: the Inception Score computed with any classifier."""

import numpy as np
from keras import ops

from keras_gan.metrics.quality_metric import Column
from keras_gan.metrics.quality_metric import QualityMetric
from keras_gan.metrics.quality_metric import register
from keras_gan.validation import as_features
from keras_gan.validation import check_positive_int
from keras_gan.validation import check_update

_EPS = 1e-12


def _score(p):
    marginal = p.mean(axis=0)
    kl = np.sum(p * (np.log(p + _EPS) - np.log(marginal + _EPS)[None, :]), axis=1)
    return float(np.exp(kl.mean()))


def classifier_score(probabilities, splits=1):
    """`exp(E_x KL(p(y|x) ‖ p(y)))`, the Inception Score with any classifier.

    Salimans et al., 2016. High when each sample is classified confidently
    (low entropy of `p(y|x)`) and the classes are used evenly (high entropy
    of the marginal `p(y)`); between 1 and the number of classes.

    Args:
        probabilities: `(N, K)` class probabilities (rows sum to 1).
        splits: score each of `splits` equal parts and average (the
            original Inception Score uses 10); 1 scores all samples at once.

    Returns:
        `(mean, std)` over splits (std is 0 for one split).

    Example:
        >>> classifier_score(np.eye(10))
        (10.000000000000002, 0.0)
    """
    splits = check_positive_int("splits", splits)
    p = as_features(probabilities, "probabilities", min_samples=splits)
    if (p < -1e-6).any() or np.abs(p.sum(axis=1) - 1).max() > 1e-3:
        raise ValueError(
            "probabilities must be non-negative rows summing to 1. Received: "
            f"probabilities with row sums in [{p.sum(1).min():.4g}, {p.sum(1).max():.4g}] "
            f"and min {p.min():.4g}"
        )
    scores = [_score(part) for part in np.array_split(p, splits)]
    return float(np.mean(scores)), float(np.std(scores))


@register("classifier_score")
class ClassifierScore(QualityMetric):
    """The classifier score `exp(E_x KL(p(y|x) || p(y)))`, and class accuracy.

    The Inception Score (Salimans et al., 2016) with any classifier; at most
    the number of classes (see `classifier_score`). Streaming, it keeps
    running sums (memory `O(K)`): with `E_x KL(p(y|x)‖p(y)) = E_x Σ_y p log p
    − Σ_y p̄ log p̄`, the count, the sum of `Σ_y p log p` and the sum of `p`
    are sufficient, and `result()` equals `classifier_score(all, splits=1)`.
    In an `Evaluator` (registered as `"classifier_score"`) it also reports,
    for conditional samples, the fraction classified as the class asked for.

    Args:
        num_classes: K (default: from the first batch).
        name: metric name (default "classifier_score").
        dtype: Keras metric dtype.

    Returns:
        `result()`: the score, a float; `compute`:
        `{"classifier_score": float}`, plus `"class_accuracy"` when the
        samples have requested labels.

    Example:
        >>> score = ClassifierScore(10)
        >>> score.update_state(probabilities)
        >>> score.result()
    """

    needs = ("probabilities",)
    columns = (
        Column("classifier_score", "Classifier score", "higher", ".2f"),
        Column("class_accuracy", "Class accuracy", "higher", ".2%", headline=True),
    )
    order = 30

    def __init__(self, num_classes=None, name="classifier_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.num_classes = None
        if num_classes is not None:
            self._build(check_positive_int("num_classes", num_classes, minimum=2))

    def _build(self, num_classes):
        self.num_classes = num_classes
        self.count = self.add_variable((), initializer="zeros", name="count")
        self.sum_p = self.add_variable((num_classes,), initializer="zeros", name="sum_p")
        self.sum_plogp = self.add_variable((), initializer="zeros", name="sum_plogp")

    def update_state(self, probabilities, sample_weight=None):
        if self.num_classes is None:
            self._build(check_positive_int("num_classes", tuple(probabilities.shape)[-1],
                                           minimum=2))
        shape = check_update(self, probabilities, self.num_classes, "probabilities",
                             sample_weight)
        p = ops.cast(probabilities, "float32")
        self.count.assign(self.count.value + ops.cast(shape[0], "float32"))
        self.sum_p.assign(self.sum_p.value + ops.sum(p, axis=0))
        self.sum_plogp.assign(self.sum_plogp.value + ops.sum(p * ops.log(p + _EPS)))

    def result(self):
        n = 0.0 if self.num_classes is None else float(ops.convert_to_numpy(self.count.value))
        if n < 1:
            raise ValueError("ClassifierScore has no samples yet.")
        pbar = ops.convert_to_numpy(self.sum_p.value).astype("float64") / n
        conditional = float(ops.convert_to_numpy(self.sum_plogp.value)) / n
        return float(np.exp(conditional - np.sum(pbar * np.log(pbar + _EPS))))

    def compute(self, reference, fake):
        out = {"classifier_score": classifier_score(fake.probabilities)[0]}
        if fake.labels is not None:
            predicted = np.argmax(fake.probabilities, 1)
            out["class_accuracy"] = float(np.mean(predicted == fake.labels))
        return out

    def get_config(self):
        return {"num_classes": self.num_classes, "name": self.name, "dtype": self.dtype}
