"""Fréchet distance between Gaussians fitted to features (FID)."""

import keras
import numpy as np
from keras import ops

from keras_gan.metrics.quality_metric import Column
from keras_gan.metrics.quality_metric import QualityMetric
from keras_gan.metrics.quality_metric import register
from keras_gan.metrics.quality_metric import register_alias
from keras_gan.validation import as_features
from keras_gan.validation import check_positive_int
from keras_gan.validation import check_update


def feature_statistics(features):
    """Mean and unbiased covariance of `(N, D)` features, in float64.

    Args:
        features: array `(N, D)`, N >= 2.

    Returns:
        `(mean (D,), covariance (D, D))` as float64 NumPy arrays.
    """
    x = as_features(features, "features", min_samples=2)
    return x.mean(axis=0), np.cov(x, rowvar=False)


def _psd_sqrt(sigma):
    w, v = np.linalg.eigh(sigma)
    return (v * np.sqrt(np.clip(w, 0.0, None))) @ v.T


def _check_gaussian(mu, sigma, what):
    mu = np.asarray(mu, dtype="float64")
    sigma = np.asarray(sigma, dtype="float64")
    if mu.ndim != 1 or sigma.shape != (mu.shape[0], mu.shape[0]):
        raise ValueError(
            f"Expected mean_{what} of shape (D,) and cov_{what} of shape (D, D). "
            f"Received: mean_{what}.shape={mu.shape}, cov_{what}.shape={sigma.shape}"
        )
    if not (np.isfinite(mu).all() and np.isfinite(sigma).all()):
        raise ValueError(f"mean_{what} or cov_{what} contain NaN or inf.")
    return mu, (sigma + sigma.T) / 2


def frechet_distance(mean_a, cov_a, mean_b, cov_b):
    """Squared Fréchet (2-Wasserstein) distance between two Gaussians.

    `d² = |μa − μb|² + tr(Σa) + tr(Σb) − 2 tr((Σa^½ Σb Σa^½)^½)`
    (Heusel et al., 2017, "GANs trained by a two time-scale update rule").
    The trace of the matrix square root is the sum of the square roots of
    the eigenvalues of the symmetric PSD matrix `Σa^½ Σb Σa^½`, computed
    with `eigh` in float64 and clipped at 0: no complex values and no NaN,
    even for singular or near-singular covariances (few samples, dead
    features).

    Args:
        mean_a: mean `(D,)` of one set.
        cov_a: covariance `(D, D)` of that set.
        mean_b: mean `(D,)` of the other set.
        cov_b: covariance `(D, D)` of the other set.

    Returns:
        float, >= 0.

    Example:
        >>> frechet_distance(np.zeros(2), np.eye(2), np.ones(2), np.eye(2))
        2.0
    """
    mu1, s1 = _check_gaussian(mean_a, cov_a, "a")
    mu2, s2 = _check_gaussian(mean_b, cov_b, "b")
    if mu1.shape != mu2.shape:
        raise ValueError(
            "The two Gaussians differ in dimension. Received: "
            f"mean_a.shape={mu1.shape}, mean_b.shape={mu2.shape}"
        )
    root = _psd_sqrt(s1)
    inner = root @ s2 @ root
    eig = np.linalg.eigvalsh((inner + inner.T) / 2)
    tr_sqrt = np.sqrt(np.clip(eig, 0.0, None)).sum()
    diff = mu1 - mu2
    value = diff @ diff + np.trace(s1) + np.trace(s2) - 2.0 * tr_sqrt
    return float(max(value, 0.0))


def fid_from_features(real, fake):
    """Fréchet distance between Gaussians fitted to two `(N, D)` feature sets.

    Example:
        >>> fid_from_features(real_features, fake_features)
    """
    real = as_features(real, "real", min_samples=2)
    fake = as_features(fake, "fake", min_samples=2)
    if real.shape[1] != fake.shape[1]:
        raise ValueError(
            "real and fake features differ in dimension. Received: "
            f"real.shape={real.shape}, fake.shape={fake.shape}"
        )
    return frechet_distance(*feature_statistics(real), *feature_statistics(fake))


class MomentAccumulator:
    """Running count, mean and centred second moment (Chan et al.'s merge).

    Merging a batch with mean `m_b`, centred moment `M_b` and size `n_b`
    into `(n, m, M)`: `δ = m_b − m`, `m += δ n_b / (n + n_b)`,
    `M += M_b + δδᵀ n n_b / (n + n_b)`. Centring each batch keeps float32
    accurate where raw sums of `x xᵀ` would cancel.
    """

    def __init__(self, metric, prefix, dim):
        self.count = metric.add_variable((), initializer="zeros", name=f"{prefix}_count")
        self.mean = metric.add_variable((dim,), initializer="zeros", name=f"{prefix}_mean")
        self.m2 = metric.add_variable((dim, dim), initializer="zeros", name=f"{prefix}_m2")
        self.dim = dim

    def update(self, x):
        x = ops.cast(x, "float32")
        nb = ops.cast(ops.shape(x)[0], "float32")
        mb = ops.mean(x, axis=0)
        xc = x - mb
        m2b = ops.matmul(ops.transpose(xc), xc)
        n = self.count.value
        total = n + nb
        delta = mb - self.mean.value
        self.mean.assign(self.mean.value + delta * (nb / total))
        self.m2.assign(
            self.m2.value + m2b + ops.outer(delta, delta) * (n * nb / total)
        )
        self.count.assign(total)

    def reset(self):
        for v in (self.count, self.mean, self.m2):
            v.assign(ops.zeros(v.shape, v.dtype))

    def statistics(self):
        n = float(ops.convert_to_numpy(self.count.value))
        mean = ops.convert_to_numpy(self.mean.value).astype("float64")
        m2 = ops.convert_to_numpy(self.m2.value).astype("float64")
        return n, mean, m2 / max(n - 1.0, 1.0)


@register("fid")
class FrechetDistance(QualityMetric):
    """FID: the Fréchet distance between Gaussians fitted to real and fake features.

    `||mu_r - mu_f||^2 + Tr(S_r + S_f - 2 (S_r S_f)^(1/2))` (Heusel et al.,
    2017; see `frechet_distance`). Streaming, it keeps only counts, means
    and centred covariance sums of the real and fake features (memory
    `O(D²)`, independent of the number of samples); `result()` then
    evaluates `frechet_distance` in float64. Pass `reference=(mean, cov)`
    (e.g. `ReferenceStatistics.gaussian()`) to fix the real side; then only
    fake features are accumulated. In an `Evaluator` (registered as
    `"fid"`) it scores the samples' moments against the reference's.

    Args:
        feature_dim: D, the feature size (default: taken from `reference`,
            or from the first batch).
        reference: optional `(mean, cov)` of the real features.
        name: metric name (default "fid").
        dtype: Keras metric dtype.

    Returns:
        `result()`: the FID, a float; `compute`: `{"fid": float}`.

    Example:
        >>> fid = FrechetDistance(128)
        >>> fid.update_state(real_feats, real=True)
        >>> fid.update_state(fake_feats)
        >>> fid.result()
    """

    needs = ("moments",)
    columns = (Column("fid", "FID", "lower", ".2f", headline=True, log_scale=True),)
    order = 10

    def __init__(self, feature_dim=None, reference=None, name="fid", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.reference = None
        if reference is not None:
            mean, cov = reference
            mean, cov = _check_gaussian(mean, cov, "reference")
            if feature_dim is None:
                feature_dim = mean.shape[0]
            if mean.shape != (feature_dim,):
                raise ValueError(
                    f"reference mean has shape {mean.shape}, expected "
                    f"({feature_dim},). Received: feature_dim={feature_dim}"
                )
            self.reference = (mean, cov)
        self.feature_dim = None
        self.fake = self.real = None
        if feature_dim is not None:
            self._build(check_positive_int("feature_dim", feature_dim))

    def _build(self, feature_dim):
        self.feature_dim = feature_dim
        self.fake = MomentAccumulator(self, "fake", feature_dim)
        if self.reference is None:
            self.real = MomentAccumulator(self, "real", feature_dim)

    def update_state(self, features, real=False, sample_weight=None):
        """Adds a batch of `(N, D)` features to the real or the fake side."""
        if self.feature_dim is None:
            self._build(check_positive_int("feature_dim", tuple(features.shape)[-1]))
        check_update(self, features, self.feature_dim, sample_weight=sample_weight)
        if real:
            if self.real is None:
                raise ValueError(
                    "This FrechetDistance has fixed reference statistics; it "
                    "accumulates fake features only. Received: real=True"
                )
            self.real.update(features)
        else:
            self.fake.update(features)

    def result(self):
        if self.fake is None:
            raise ValueError("FrechetDistance has no samples yet.")
        n_fake, mean_f, cov_f = self.fake.statistics()
        if self.reference is not None:
            mean_r, cov_r, n_real = *self.reference, np.inf
        else:
            n_real, mean_r, cov_r = self.real.statistics()
        if min(n_fake, n_real) < 2:
            raise ValueError(
                "FrechetDistance needs at least 2 real and 2 fake samples. "
                f"Received: {int(n_fake)} fake"
                + ("" if self.reference is not None else f" and {int(n_real)} real")
            )
        return frechet_distance(mean_r, cov_r, mean_f, cov_f)

    def reset_state(self):
        for side in (self.fake, self.real):
            if side is not None:
                side.reset()

    def min_samples(self):
        return 2

    def compute(self, reference, fake):
        return {"fid": frechet_distance(*reference.gaussian(), *fake.moments)}

    def get_config(self):
        ref = None
        if self.reference is not None:
            ref = [self.reference[0].tolist(), self.reference[1].tolist()]
        return {"feature_dim": self.feature_dim, "reference": ref, "name": self.name,
                "dtype": self.dtype}


FID = FrechetDistance
register_alias("FID", FrechetDistance)
