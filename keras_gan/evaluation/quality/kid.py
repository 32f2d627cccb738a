"""KID as a `QualityMetric`."""

from keras_gan.evaluation.quality_metric import Column
from keras_gan.evaluation.quality_metric import QualityMetric
from keras_gan.evaluation.quality_metric import register
from keras_gan.metrics.kernel_distance import kernel_distance
from keras_gan.validation import check_positive_int


@register("kid")
class KID(QualityMetric):
    """Kernel distance: unbiased MMD² with a cubic polynomial kernel over subsets.

    Bińkowski et al., 2018; mean and standard deviation over `subsets`
    random subsets of `subset_size` (capped at the sample counts).

    Args:
        subsets: number of subsets.
        subset_size: samples per subset (at least 2).
        seed: seed of the subset draws.

    Returns:
        `{"kid": float, "kid_std": float}`.
    """

    needs = ("features",)
    columns = (Column("kid", "KID", "lower", ".4f", spread="kid_std"),)
    order = 20

    def __init__(self, subsets=100, subset_size=1000, seed=0):
        self.subsets = check_positive_int("kid_subsets", subsets)
        self.subset_size = check_positive_int("kid_subset_size", subset_size, 2)
        self.seed = seed

    def min_samples(self):
        return 2

    def compute(self, reference, fake):
        size = min(self.subset_size, len(fake), len(reference.features))
        kid, std = kernel_distance(reference.features, fake.features, self.subsets, size,
                                   seed=self.seed)
        return {"kid": kid, "kid_std": std}

    def get_config(self):
        return {"subsets": self.subsets, "subset_size": self.subset_size, "seed": self.seed}
