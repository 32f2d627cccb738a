"""`FakeFeatures`: what the metrics see of the samples being scored."""

import numpy as np

from keras_gan.metrics.frechet_distance import feature_statistics


class FakeFeatures:
    """Extractor outputs of the fake samples, with their moments computed once.

    Args:
        features: `(N, D)` features.
        probabilities: `(N, K)` class probabilities, or None.
        labels: `(N,)` requested classes (conditional generators), or None.
        data_classes: how many of the probabilities' classes are classes of
            the data (the rest, after them, are rejection classes such as
            the MNIST classifier's "not a digit"); default: all.
    """

    def __init__(self, features, probabilities=None, labels=None, data_classes=None):
        self.features = np.asarray(features, "float32")
        self.probabilities = probabilities
        self.labels = labels
        if data_classes is None and probabilities is not None:
            data_classes = np.shape(probabilities)[1]
        self.data_classes = data_classes
        self._moments = None

    def __len__(self):
        return len(self.features)

    @property
    def moments(self):
        """`(mean, covariance)` of the features, float64 (computed on first use)."""
        if self._moments is None:
            self._moments = feature_statistics(self.features)
        return self._moments
