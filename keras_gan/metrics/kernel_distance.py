"""Kernel distance (KID): unbiased polynomial-kernel MMD² over random subsets."""

import numpy as np

from keras_gan.metrics.feature_buffer import FeatureBufferMetric
from keras_gan.metrics.quality_metric import Column
from keras_gan.metrics.quality_metric import register
from keras_gan.metrics.quality_metric import register_alias
from keras_gan.validation import as_features
from keras_gan.validation import check_positive_int
from keras_gan.validation import check_same_dim


def polynomial_kernel(x, y, degree=3, gamma=None, coef0=1.0):
    """`k(x, y) = (γ xᵀy + c)^degree`, with `γ = 1 / D` by default."""
    gamma = 1.0 / x.shape[1] if gamma is None else gamma
    dot = (x.astype("float32") @ y.astype("float32").T).astype("float64")
    return (gamma * dot + coef0) ** degree


def mmd2_unbiased(k_xx, k_yy, k_xy):
    """Unbiased MMD² from kernel matrices of two equal-size samples (m >= 2).

    `(Σ_{i≠j} k(x_i,x_j) + Σ_{i≠j} k(y_i,y_j)) / (m(m−1)) − 2 Σ_{i,j} k(x_i,y_j) / m²`
    """
    m = k_xx.shape[0]
    sum_xx = k_xx.sum() - np.trace(k_xx)
    sum_yy = k_yy.sum() - np.trace(k_yy)
    return (sum_xx + sum_yy) / (m * (m - 1)) - 2.0 * k_xy.mean()


def kernel_distance(real, fake, num_subsets=100, subset_size=1000, degree=3, gamma=None,
                    coef0=1.0, seed=0):
    """Kernel Inception Distance: mean and std of MMD² over random subsets.

    Bińkowski et al., 2018, "Demystifying MMD GANs": the unbiased MMD²
    with the cubic polynomial kernel `(xᵀy / D + 1)³`, averaged over
    `num_subsets` subsets of `subset_size` samples drawn without
    replacement from each side. Unbiased, so it can be slightly negative
    when the two sets match.

    Args:
        real: real features `(N, D)`.
        fake: fake features `(M, D)`.
        num_subsets: number of random subsets.
        subset_size: samples per subset; at most `min(N, M)`.
        degree: kernel degree (3).
        gamma: kernel scale (default `1 / D`).
        coef0: kernel offset (1).
        seed: seed of the subset draws (results are deterministic).

    Returns:
        `(mean, std)` floats.

    Example:
        >>> kid, kid_std = kernel_distance(real_feats, fake_feats, subset_size=1000)
    """
    num_subsets = check_positive_int("num_subsets", num_subsets)
    subset_size = check_positive_int("subset_size", subset_size, minimum=2)
    real = as_features(real, "real", min_samples=2, dtype="float32")
    fake = as_features(fake, "fake", min_samples=2, dtype="float32")
    check_same_dim(real, fake)
    if subset_size > min(len(real), len(fake)):
        raise ValueError(
            f"Too few samples for KID subsets of {subset_size}: got "
            f"{len(real)} real and {len(fake)} fake samples. Lower subset_size "
            f"or score more samples. Received: subset_size={subset_size}"
        )
    rng = np.random.default_rng(seed)
    values = np.empty(num_subsets)
    for i in range(num_subsets):
        x = real[rng.choice(len(real), subset_size, replace=False)]
        y = fake[rng.choice(len(fake), subset_size, replace=False)]
        values[i] = mmd2_unbiased(
            polynomial_kernel(x, x, degree, gamma, coef0),
            polynomial_kernel(y, y, degree, gamma, coef0),
            polynomial_kernel(x, y, degree, gamma, coef0),
        )
    return float(values.mean()), float(values.std())


@register("kid")
class KernelDistance(FeatureBufferMetric):
    """KID: unbiased MMD² with a cubic polynomial kernel, over random subsets.

    Bińkowski et al., 2018 (see `kernel_distance`). Streaming, it buffers
    the features (KID has no fixed-size sufficient statistics). In an
    `Evaluator` (registered as `"kid"`) the subset size is capped at the
    sample counts, and it reports the mean and standard deviation over
    subsets.

    Args:
        feature_dim: D (default: from `reference` or the first batch).
        max_samples: buffer capacity per side.
        num_subsets: as in `kernel_distance`.
        subset_size: as in `kernel_distance`.
        degree: as in `kernel_distance`.
        gamma: as in `kernel_distance`.
        coef0: as in `kernel_distance`.
        seed: as in `kernel_distance`.
        reference: optional `(N, D)` real features fixing the real side.
        name: metric name (default "kid").
        dtype: Keras metric dtype.

    Returns:
        `result()`: the mean over subsets (`result_with_std()`: both);
        `compute`: `{"kid": float, "kid_std": float}`.

    Example:
        >>> kid = KernelDistance(num_subsets=10, subset_size=100)
        >>> kid.update_state(real_feats, real=True)
        >>> kid.update_state(fake_feats)
        >>> kid.result_with_std()
    """

    needs = ("features",)
    columns = (Column("kid", "KID", "lower", ".4f", spread="kid_std"),)
    order = 20

    def __init__(self, feature_dim=None, max_samples=10000, num_subsets=100, subset_size=1000,
                 degree=3, gamma=None, coef0=1.0, seed=0, reference=None, name="kid",
                 dtype=None):
        super().__init__(feature_dim, max_samples, reference=reference, name=name, dtype=dtype)
        self.num_subsets = check_positive_int("num_subsets", num_subsets)
        self.subset_size = check_positive_int("subset_size", subset_size, minimum=2)
        self.degree, self.gamma, self.coef0, self.seed = degree, gamma, coef0, seed

    def result_with_std(self):
        real, fake = self.features()
        return kernel_distance(real, fake, self.num_subsets, self.subset_size, self.degree,
                               self.gamma, self.coef0, self.seed)

    def result(self):
        return self.result_with_std()[0]

    def min_samples(self):
        return 2

    def compute(self, reference, fake):
        size = min(self.subset_size, len(fake), len(reference.features))
        kid, std = kernel_distance(reference.features, fake.features, self.num_subsets, size,
                                   self.degree, self.gamma, self.coef0, seed=self.seed)
        return {"kid": kid, "kid_std": std}

    def get_config(self):
        config = super().get_config()
        config.update(num_subsets=self.num_subsets, subset_size=self.subset_size,
                      degree=self.degree, gamma=self.gamma, coef0=self.coef0, seed=self.seed)
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if "subsets" in config:  # the Evaluator's former KID class
            config["num_subsets"] = config.pop("subsets")
        return cls(**config)


KID = KernelDistance
register_alias("KID", KernelDistance)
