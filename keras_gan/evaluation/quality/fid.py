"""FID as a `QualityMetric`."""

from keras_gan.evaluation.quality_metric import Column
from keras_gan.evaluation.quality_metric import QualityMetric
from keras_gan.evaluation.quality_metric import register
from keras_gan.metrics.frechet_distance import frechet_distance


@register("fid")
class FID(QualityMetric):
    """Fréchet distance between Gaussians fitted to real and fake features.

    `||mu_r - mu_f||^2 + Tr(S_r + S_f - 2 (S_r S_f)^(1/2))` (Heusel et al.,
    2017), from the reference's cached moments and the samples' moments.

    Returns:
        `{"fid": float}`.
    """

    needs = ("moments",)
    columns = (Column("fid", "FID", "lower", ".2f"),)
    order = 10

    def min_samples(self):
        return 2

    def compute(self, reference, fake):
        return {"fid": frechet_distance(*reference.gaussian(), *fake.moments)}
