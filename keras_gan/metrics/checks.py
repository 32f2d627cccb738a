"""Input checks for metric functions (clear errors that name the value)."""

import numpy as np
from keras import ops


def as_features(x, what="features", min_samples=1, dtype="float64"):
    """A finite 2-D NumPy array `(N, D)` with at least `min_samples` rows."""
    if not isinstance(x, np.ndarray):
        x = ops.convert_to_numpy(x) if hasattr(x, "shape") else np.asarray(x)
    if x.dtype == object or not np.issubdtype(x.dtype, np.number):
        raise ValueError(f"Expected numeric {what}. Received: {what} with dtype={x.dtype}")
    if x.ndim != 2:
        raise ValueError(
            f"Expected {what} of shape (num_samples, feature_dim). "
            f"Received: {what}.shape={x.shape}"
        )
    if len(x) < min_samples:
        raise ValueError(
            f"Too few samples in {what}: this statistic needs at least "
            f"{min_samples}. Received: {what}.shape={x.shape}"
        )
    x = x.astype(dtype, copy=False)
    if not np.isfinite(x).all():
        rows = np.flatnonzero(~np.isfinite(x).all(axis=1))
        raise ValueError(
            f"{what} contain NaN or inf in {len(rows)} rows (first: row "
            f"{int(rows[0])}). Received: {what}[{int(rows[0])}] = {x[rows[0]][:4]}..."
        )
    return x


def check_same_dim(a, b, names=("real", "fake")):
    if a.shape[1] != b.shape[1]:
        raise ValueError(
            f"{names[0]} and {names[1]} features differ in dimension. Received: "
            f"{names[0]}.shape={a.shape}, {names[1]}.shape={b.shape}"
        )


def check_positive_int(name, value, minimum=1):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}. Received: {name}={value!r}")
    return int(value)


def check_update(metric, values, dim, what="features", sample_weight=None):
    """Checks a streaming metric's `update_state` batch: shape `(N, dim)`, no weights."""
    if sample_weight is not None:
        raise ValueError(
            f"{type(metric).__name__} does not support sample_weight. "
            "Received: sample_weight is not None"
        )
    shape = tuple(values.shape)
    if len(shape) != 2 or shape[1] != dim:
        raise ValueError(f"Expected {what} of shape (N, {dim}). Received: {what}.shape={shape}")
    return shape
