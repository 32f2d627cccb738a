"""Improved precision and recall (Kynkäänniemi et al., 2019)."""

import keras
import numpy as np

from keras_gan.validation import as_features
from keras_gan.validation import check_positive_int
from keras_gan.validation import check_same_dim
from keras_gan.metrics.feature_buffer import NeighbourMetric
from keras_gan.metrics.neighbours import ball_statistics
from keras_gan.metrics.neighbours import knn_radii


def prepare_pair(real, fake, k):
    """Checked float32 features, centred on the real mean (for accurate distances)."""
    k = check_positive_int("k", k)
    real = as_features(real, "real", min_samples=k + 1, dtype="float64")
    fake = as_features(fake, "fake", min_samples=k + 1, dtype="float64")
    check_same_dim(real, fake)
    centre = real.mean(axis=0)
    return (real - centre).astype("float32"), (fake - centre).astype("float32"), k


def precision_recall(real, fake, k=3, real_radii=None):
    """Improved precision and recall of a sample set against real data.

    Kynkäänniemi et al., 2019, "Improved Precision and Recall Metric for
    Assessing Generative Models". The real manifold is the union of balls
    around each real feature reaching its k-th nearest real neighbour;
    precision is the fraction of fake samples inside it; recall is the
    fraction of real samples inside the fake manifold built the same way.

    Args:
        real: real features `(N, D)`, N > k.
        fake: fake features `(M, D)`, M > k.
        k: neighbourhood size (3 in the paper).
        real_radii: precomputed k-NN radii of `real` (e.g. cached), or None.

    Returns:
        `(precision, recall)` floats in [0, 1].

    Example:
        >>> precision, recall = precision_recall(real_feats, fake_feats, k=3)
    """
    real, fake, k = prepare_pair(real, fake, k)
    if real_radii is None:
        real_radii = knn_radii(real, k)[k]
    fake_radii = knn_radii(fake, k)[k]
    stats = ball_statistics(real, fake, real_radii, fake_radii)
    return float(np.mean(stats["fake_in_real"] > 0)), float(np.mean(stats["real_in_fake"]))


@keras.saving.register_keras_serializable(package="keras_gan")
class PrecisionRecall(NeighbourMetric):
    """Streaming precision/recall over buffered features.

    Args:
        feature_dim: D.
        k: neighbourhood size.
        max_samples: buffer capacity per side.
        reference: optional `(N, D)` real features fixing the real side.

    `result()` returns `{"precision": p, "recall": r}`.
    """

    fn = staticmethod(precision_recall)
    keys = ("precision", "recall")

    def __init__(self, feature_dim, k=3, max_samples=10000, reference=None,
                 name="precision_recall", dtype=None):
        super().__init__(feature_dim, k, max_samples, reference, name, dtype)
