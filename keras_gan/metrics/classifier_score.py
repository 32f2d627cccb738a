"""Classifier score: the Inception Score computed with any classifier."""

import keras
import numpy as np
from keras import ops

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


@keras.saving.register_keras_serializable(package="keras_gan")
class ClassifierScore(keras.metrics.Metric):
    """Streaming classifier score from running sums (memory `O(K)`).

    Uses `E_x KL(p(y|x)‖p(y)) = E_x Σ_y p log p − Σ_y p̄ log p̄`, so the count,
    the sum of `Σ_y p log p` and the sum of `p` are sufficient; equals
    `classifier_score(all_probabilities, splits=1)`.

    Args:
        num_classes: K.
        name: metric name (default "classifier_score").
    """

    def __init__(self, num_classes, name="classifier_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.num_classes = check_positive_int("num_classes", num_classes, minimum=2)
        self.count = self.add_variable((), initializer="zeros", name="count")
        self.sum_p = self.add_variable((self.num_classes,), initializer="zeros", name="sum_p")
        self.sum_plogp = self.add_variable((), initializer="zeros", name="sum_plogp")

    def update_state(self, probabilities, sample_weight=None):
        shape = check_update(self, probabilities, self.num_classes, "probabilities",
                             sample_weight)
        p = ops.cast(probabilities, "float32")
        self.count.assign(self.count.value + ops.cast(shape[0], "float32"))
        self.sum_p.assign(self.sum_p.value + ops.sum(p, axis=0))
        self.sum_plogp.assign(self.sum_plogp.value + ops.sum(p * ops.log(p + _EPS)))

    def result(self):
        n = float(ops.convert_to_numpy(self.count.value))
        if n < 1:
            raise ValueError("ClassifierScore has no samples yet.")
        pbar = ops.convert_to_numpy(self.sum_p.value).astype("float64") / n
        conditional = float(ops.convert_to_numpy(self.sum_plogp.value)) / n
        return float(np.exp(conditional - np.sum(pbar * np.log(pbar + _EPS))))

    def reset_state(self):
        for v in (self.count, self.sum_p, self.sum_plogp):
            v.assign(ops.zeros(v.shape, v.dtype))

    def get_config(self):
        return {"num_classes": self.num_classes, "name": self.name, "dtype": self.dtype}
