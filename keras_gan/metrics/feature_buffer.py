"""Base class for metrics that need the features themselves (KID, PR, DC)."""

import numpy as np
from keras import ops

from keras_gan.metrics.quality_metric import QualityMetric
from keras_gan.validation import as_features
from keras_gan.validation import check_positive_int
from keras_gan.validation import check_update


class FeatureBufferMetric(QualityMetric):
    """Keeps up to `max_samples` real and fake features in fixed-size variables.

    Memory is `2 · max_samples · D` floats, allocated when D is known (at
    construction, from `reference`, or from the first batch); adding more
    than `max_samples` features raises (nothing is silently dropped).
    With `reference=` real features, only the fake side is buffered.
    """

    def __init__(self, feature_dim=None, max_samples=10000, reference=None, name=None,
                 dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.max_samples = check_positive_int("max_samples", max_samples, minimum=2)
        self.reference = None
        if reference is not None:
            self.reference = as_features(reference, "reference", min_samples=2, dtype="float32")
            if feature_dim is None:
                feature_dim = self.reference.shape[1]
            if self.reference.shape[1] != feature_dim:
                raise ValueError(
                    f"reference features must have {feature_dim} columns. "
                    f"Received: reference.shape={self.reference.shape}"
                )
        self.feature_dim = None
        self._buffers = {}
        if feature_dim is not None:
            self._build(check_positive_int("feature_dim", feature_dim))

    def _build(self, feature_dim):
        self.feature_dim = feature_dim
        sides = ["fake"] if self.reference is not None else ["real", "fake"]
        for side in sides:
            self._buffers[side] = (
                self.add_variable((self.max_samples, feature_dim), initializer="zeros",
                                  name=f"{side}_features"),
                self.add_variable((), initializer="zeros", dtype="int32", name=f"{side}_count"),
            )

    def update_state(self, features, real=False, sample_weight=None):
        """Appends a batch of `(N, D)` features to the real or fake side."""
        if self.feature_dim is None:
            self._build(check_positive_int("feature_dim", tuple(features.shape)[-1]))
        check_update(self, features, self.feature_dim, sample_weight=sample_weight)
        side = "real" if real else "fake"
        if side not in self._buffers:
            raise ValueError(
                f"This {type(self).__name__} has fixed reference features; it "
                "accumulates fake features only. Received: real=True"
            )
        shape = tuple(features.shape)
        buffer, count = self._buffers[side]
        start = int(ops.convert_to_numpy(count.value))
        if start + shape[0] > self.max_samples:
            raise ValueError(
                f"{type(self).__name__} holds at most max_samples="
                f"{self.max_samples} {side} features; adding {shape[0]} to "
                f"{start} would exceed it. Create the metric with a larger "
                "max_samples."
            )
        buffer.assign(ops.slice_update(buffer.value, (start, 0), ops.cast(features, "float32")))
        count.assign(start + shape[0])

    def features(self):
        """`(real, fake)` features accumulated so far, as NumPy arrays."""
        if self.feature_dim is None:
            raise ValueError(f"{type(self).__name__} has no samples yet.")
        out = {}
        for side, (buffer, count) in self._buffers.items():
            n = int(ops.convert_to_numpy(count.value))
            out[side] = np.asarray(ops.convert_to_numpy(buffer.value)[:n])
        real = self.reference if self.reference is not None else out["real"]
        return real, out["fake"]

    def reset_state(self):
        for _, count in self._buffers.values():
            count.assign(0)

    def get_config(self):
        ref = None if self.reference is None else self.reference.tolist()
        return {"feature_dim": self.feature_dim, "max_samples": self.max_samples,
                "reference": ref, "name": self.name, "dtype": self.dtype}


class NeighbourMetric(FeatureBufferMetric):
    """A buffered metric computed by `fn(real, fake, k)` returning two named values."""

    fn = None
    keys = ()

    def __init__(self, feature_dim=None, k=3, max_samples=10000, reference=None, name=None,
                 dtype=None):
        super().__init__(feature_dim, max_samples, reference=reference, name=name, dtype=dtype)
        self.k = check_positive_int("k", k)

    def result(self):
        values = type(self).fn(*self.features(), k=self.k)
        return dict(zip(self.keys, values))

    def get_config(self):
        return {**super().get_config(), "k": self.k}
