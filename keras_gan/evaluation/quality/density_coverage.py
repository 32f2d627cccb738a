"""Density and coverage as a `QualityMetric`."""

from keras_gan.evaluation.quality_metric import Column
from keras_gan.evaluation.quality_metric import QualityMetric
from keras_gan.evaluation.quality_metric import register
from keras_gan.metrics.density_coverage import density_coverage
from keras_gan.validation import check_positive_int


@register("density_coverage")
class DensityCoverage(QualityMetric):
    """Density and coverage (Naeem et al., 2020) with real k-NN balls.

    Density: mean count of real balls containing a sample, over k;
    coverage: the share of real balls that contain at least one sample.

    Args:
        k: neighbourhood size (5, as in the paper).

    Returns:
        `{"density": float, "coverage": float}`.
    """

    needs = ("features", "radii")
    columns = (Column("density", "Density", "higher", ".3f"),
               Column("coverage", "Coverage", "higher", ".3f"))
    order = 50

    def __init__(self, k=5):
        self.k = check_positive_int("dc_k", k)

    def compute(self, reference, fake):
        density, coverage = density_coverage(reference.features, fake.features, self.k,
                                             real_radii=reference.radii_for(self.k))
        return {"density": density, "coverage": coverage}

    def get_config(self):
        return {"k": self.k}
