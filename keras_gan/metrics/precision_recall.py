"""Improved precision and recall (Kynkäänniemi et al., 2019)."""

import numpy as np

from keras_gan.metrics.feature_buffer import NeighbourMetric
from keras_gan.metrics.quality_metric import Column
from keras_gan.metrics.quality_metric import register
from keras_gan.validation import as_features
from keras_gan.validation import check_positive_int
from keras_gan.validation import check_same_dim
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


@register("precision_recall")
class PrecisionRecall(NeighbourMetric):
    """Improved precision and recall with k-NN balls (Kynkäänniemi et al., 2019).

    Precision: the share of samples inside some real feature's k-NN ball;
    recall: the share of real features inside some sample's ball (see
    `precision_recall`). Streaming, it buffers the features; in an
    `Evaluator` (registered as `"precision_recall"`) it uses the
    reference's cached k-NN radii.

    Args:
        feature_dim: D (default: from `reference` or the first batch).
        k: neighbourhood size (3, as in the paper).
        max_samples: buffer capacity per side.
        reference: optional `(N, D)` real features fixing the real side.
        name: metric name (default "precision_recall").
        dtype: Keras metric dtype.

    Returns:
        `result()` and `compute`: `{"precision": float, "recall": float}`.

    Example:
        >>> pr = PrecisionRecall(k=3, reference=real_feats)
        >>> pr.update_state(fake_feats)
        >>> pr.result()["precision"]
    """

    fn = staticmethod(precision_recall)
    keys = ("precision", "recall")
    needs = ("features", "radii")
    columns = (Column("precision", "Precision", "higher", ".3f", headline=True),
               Column("recall", "Recall", "higher", ".3f", headline=True))
    order = 40

    def __init__(self, feature_dim=None, k=3, max_samples=10000, reference=None,
                 name="precision_recall", dtype=None):
        super().__init__(feature_dim, k, max_samples, reference, name, dtype)

    def min_samples(self):
        return self.k + 1

    def compute(self, reference, fake):
        precision, recall = precision_recall(reference.features, fake.features, self.k,
                                             real_radii=reference.radii_for(self.k))
        return {"precision": precision, "recall": recall}
