"""Density and coverage (Naeem et al., 2020)."""

import keras
import numpy as np

from keras_gan.metrics.feature_buffer import NeighbourMetric
from keras_gan.metrics.neighbours import ball_statistics
from keras_gan.metrics.neighbours import knn_radii
from keras_gan.metrics.precision_recall import prepare_pair


def density_coverage(real, fake, k=5, real_radii=None):
    """Density and coverage of a sample set against real data.

    Naeem et al., 2020, "Reliable Fidelity and Diversity Metrics for
    Generative Models". With `B_i` the ball around real feature `i`
    reaching its k-th nearest real neighbour:
    `density = 1/(kM) Σ_j Σ_i 1[y_j ∈ B_i]` (can exceed 1) and
    `coverage = 1/N Σ_i 1[∃ j: y_j ∈ B_i]`.

    Args:
        real: real features `(N, D)`, N > k.
        fake: fake features `(M, D)`.
        k: neighbourhood size (5 in the paper).
        real_radii: precomputed k-NN radii of `real`, or None.

    Returns:
        `(density, coverage)` floats.

    Example:
        >>> density, coverage = density_coverage(real_feats, fake_feats, k=5)
    """
    real, fake, k = prepare_pair(real, fake, k)
    if real_radii is None:
        real_radii = knn_radii(real, k)[k]
    stats = ball_statistics(real, fake, real_radii)
    density = stats["fake_in_real"].sum() / (k * len(fake))
    return float(density), float(np.mean(stats["real_covered"]))


@keras.saving.register_keras_serializable(package="keras_gan")
class DensityCoverage(NeighbourMetric):
    """Streaming density/coverage over buffered features.

    Args:
        feature_dim: D.
        k: neighbourhood size.
        max_samples: buffer capacity per side.
        reference: optional `(N, D)` real features fixing the real side.

    `result()` returns `{"density": d, "coverage": c}`.
    """

    fn = staticmethod(density_coverage)
    keys = ("density", "coverage")

    def __init__(self, feature_dim, k=5, max_samples=10000, reference=None,
                 name="density_coverage", dtype=None):
        super().__init__(feature_dim, k, max_samples, reference, name, dtype)
