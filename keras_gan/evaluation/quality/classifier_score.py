"""The classifier score (and class accuracy) as a `QualityMetric`."""

import numpy as np

from keras_gan.evaluation.quality_metric import Column
from keras_gan.evaluation.quality_metric import QualityMetric
from keras_gan.evaluation.quality_metric import register
from keras_gan.metrics.classifier_score import classifier_score


@register("classifier_score")
class ClassifierScore(QualityMetric):
    """`exp(E_x KL(p(y|x) || p(y)))` with the extractor's classifier.

    The Inception Score (Salimans et al., 2016) with any classifier; at most
    the number of classes. For conditional samples it also reports the
    fraction classified as the class asked for.

    Returns:
        `{"classifier_score": float}`, plus `"class_accuracy"` when the
        samples have requested labels.
    """

    needs = ("probabilities",)
    columns = (
        Column("classifier_score", "Classifier score", "higher",
               ".2f"),
        Column("class_accuracy", "Class accuracy", "higher",
               ".2%"),
    )
    order = 30

    def compute(self, reference, fake):
        out = {"classifier_score": classifier_score(fake.probabilities)[0]}
        if fake.labels is not None:
            predicted = np.argmax(fake.probabilities, 1)
            out["class_accuracy"] = float(np.mean(predicted == fake.labels))
        return out
