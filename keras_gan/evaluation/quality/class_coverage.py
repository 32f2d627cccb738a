"""Per-class coverage of the samples as a `QualityMetric`."""

import numpy as np

from keras_gan.evaluation.quality_metric import Column
from keras_gan.evaluation.quality_metric import QualityMetric
from keras_gan.evaluation.quality_metric import register


@register("class_coverage")
class ClassCoverage(QualityMetric):
    """How evenly the samples cover the classes the extractor knows.

    Each sample counts for the extractor's most likely class `c`; with
    `share_c = n_c / N` over the `K` classes of the data (a rejection class
    such as the MNIST classifier's "not a digit" counts in `N` but is not
    one of the `K`),

        class_coverage = min_c min(1, K * share_c)

    is 1 when every class gets at least its fair share `1/K`, and 0 when a
    class is missing (a dropped mode, which FID can hide). `class_shares`
    lists every `share_c`. The 10,000 MNIST test digits score 0.892 (digit
    5 is 8.92 % of them).

    Returns:
        `{"class_coverage": float, "class_shares": [K floats]}`.

    Example:
        >>> Evaluator(metrics=["fid", "class_coverage"]).score_images(x)["class_coverage"]
    """

    needs = ("probabilities",)
    columns = (Column("class_coverage", "Class coverage", "higher", ".3f"),)
    order = 60

    def compute(self, reference, fake):
        probabilities = np.asarray(fake.probabilities)
        classes = fake.data_classes or probabilities.shape[1]
        counts = np.bincount(np.argmax(probabilities, 1), minlength=probabilities.shape[1])
        shares = counts[:classes] / counts.sum()
        return {"class_coverage": float(np.minimum(1.0, classes * shares).min()),
                "class_shares": [float(s) for s in shares]}
