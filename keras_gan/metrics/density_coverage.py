"""Density and coverage (Naeem et al., 2020)."""

import numpy as np

from keras_gan.metrics.feature_buffer import NeighbourMetric
from keras_gan.metrics.quality_metric import Column
from keras_gan.metrics.quality_metric import register
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


@register("density_coverage")
class DensityCoverage(NeighbourMetric):
    """Density and coverage (Naeem et al., 2020) with real k-NN balls.

    Density: mean count of real balls containing a sample, over k;
    coverage: the share of real balls that contain at least one sample
    (see `density_coverage`). Streaming, it buffers the features; in an
    `Evaluator` (registered as `"density_coverage"`) it uses the
    reference's cached k-NN radii.

    Args:
        feature_dim: D (default: from `reference` or the first batch).
        k: neighbourhood size (5, as in the paper).
        max_samples: buffer capacity per side.
        reference: optional `(N, D)` real features fixing the real side.
        name: metric name (default "density_coverage").
        dtype: Keras metric dtype.

    Returns:
        `result()` and `compute`: `{"density": float, "coverage": float}`.

    Example:
        >>> dc = DensityCoverage(k=5, reference=real_feats)
        >>> dc.update_state(fake_feats)
        >>> dc.result()["coverage"]
    """

    fn = staticmethod(density_coverage)
    keys = ("density", "coverage")
    needs = ("features", "radii")
    columns = (Column("density", "Density", "higher", ".3f"),
               Column("coverage", "Coverage", "higher", ".3f"))
    order = 50

    def __init__(self, feature_dim=None, k=5, max_samples=10000, reference=None,
                 name="density_coverage", dtype=None):
        super().__init__(feature_dim, k, max_samples, reference, name, dtype)

    def compute(self, reference, fake):
        density, coverage = density_coverage(reference.features, fake.features, self.k,
                                             real_radii=reference.radii_for(self.k))
        return {"density": density, "coverage": coverage}
