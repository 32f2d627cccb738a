"""Precision and recall as a `QualityMetric`."""

from keras_gan.evaluation.quality_metric import Column
from keras_gan.evaluation.quality_metric import QualityMetric
from keras_gan.evaluation.quality_metric import register
from keras_gan.metrics.precision_recall import precision_recall
from keras_gan.validation import check_positive_int


@register("precision_recall")
class PrecisionRecall(QualityMetric):
    """Improved precision and recall with k-NN balls (Kynkäänniemi et al., 2019).

    Precision: the share of samples inside some real feature's k-NN ball;
    recall: the share of real features inside some sample's ball.

    Args:
        k: neighbourhood size (3, as in the paper).

    Returns:
        `{"precision": float, "recall": float}`.
    """

    needs = ("features", "radii")
    columns = (Column("precision", "Precision", "higher", ".3f"),
               Column("recall", "Recall", "higher", ".3f"))
    order = 40

    def __init__(self, k=3):
        self.k = check_positive_int("pr_k", k)

    def min_samples(self):
        return self.k + 1

    def compute(self, reference, fake):
        precision, recall = precision_recall(reference.features, fake.features, self.k,
                                             real_radii=reference.radii_for(self.k))
        return {"precision": precision, "recall": recall}

    def get_config(self):
        return {"k": self.k}
