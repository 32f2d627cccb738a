"""k-nearest-neighbour radii and ball membership, chunked, in `keras.ops`."""

import numpy as np
from keras import ops

from keras_gan.validation import check_positive_int


def _squared_distances(a, b, b_sq):
    a_sq = ops.sum(a * a, axis=1, keepdims=True)
    d = a_sq + b_sq[None, :] - 2.0 * ops.matmul(a, ops.transpose(b))
    return ops.maximum(d, 0.0)


def _chunks(n, chunk):
    for start in range(0, n, chunk):
        yield start, min(start + chunk, n)


def knn_radii(features, ks, chunk=1024):
    """Distance from each point to its k-th nearest other point, for each k.

    Args:
        features: `(N, D)` float32 array (already centred is best).
        ks: an int or a list of ints, each in `[1, N - 1]`.
        chunk: rows per distance block (memory `chunk · N` floats).

    Returns:
        `{k: (N,) float32 array}` (a dict even for one k).
    """
    ks = [ks] if np.ndim(ks) == 0 else list(ks)
    n = len(features)
    ks = [check_positive_int("k", k) for k in ks]
    if not ks or max(ks) > n - 1:
        raise ValueError(f"Each k must be in [1, N - 1] = [1, {n - 1}]. Received: ks={ks!r}")
    kmax = max(ks)
    x = ops.convert_to_tensor(features, "float32")
    x_sq = ops.sum(x * x, axis=1)
    out = {k: [] for k in ks}
    for s, e in _chunks(n, chunk):
        d = _squared_distances(x[s:e], x, x_sq)
        # the point itself is at distance 0: take the (k+1)-th smallest.
        neg, _ = ops.top_k(-d, kmax + 1, sorted=True)
        neg = ops.convert_to_numpy(neg)
        for k in ks:
            out[k].append(np.sqrt(np.maximum(-neg[:, k], 0.0)))
    return {k: np.concatenate(v).astype("float32") for k, v in out.items()}


def ball_statistics(real, fake, real_radii, fake_radii=None, chunk=1024):
    """Counts of fake points inside real k-NN balls and vice versa.

    A point `y` is inside the ball of `x` if `|y − x| <= radius(x)`.

    Args:
        real, fake: `(N, D)` and `(M, D)` float32 features.
        real_radii: `(N,)` k-NN radii of the real points.
        fake_radii: `(M,)` k-NN radii of the fake points, or None.
        chunk: fake rows per distance block.

    Returns:
        dict of NumPy arrays: `fake_in_real` (M,) number of real balls
        containing each fake point; `real_covered` (N,) whether the nearest
        fake point lies in each real ball; `real_in_fake` (N,) whether each
        real point is in some fake ball (only when `fake_radii` is given).
    """
    r = ops.convert_to_tensor(real, "float32")
    r_sq = ops.sum(r * r, axis=1)
    f_all = ops.convert_to_tensor(fake, "float32")
    r_rad = ops.convert_to_tensor(real_radii, "float32")
    fake_in_real = []
    nearest_fake = None
    real_in_fake = None
    for s, e in _chunks(len(fake), chunk):
        d = ops.sqrt(_squared_distances(f_all[s:e], r, r_sq))  # (c, N)
        fake_in_real.append(ops.convert_to_numpy(
            ops.sum(ops.cast(d <= r_rad[None, :], "int32"), axis=1)))
        m = ops.min(d, axis=0)
        nearest_fake = m if nearest_fake is None else ops.minimum(nearest_fake, m)
        if fake_radii is not None:
            f_rad = ops.convert_to_tensor(fake_radii[s:e], "float32")
            hit = ops.any(d <= f_rad[:, None], axis=0)
            real_in_fake = hit if real_in_fake is None else ops.logical_or(real_in_fake, hit)
    out = {
        "fake_in_real": np.concatenate(fake_in_real),
        "real_covered": ops.convert_to_numpy(nearest_fake <= r_rad),
    }
    if fake_radii is not None:
        out["real_in_fake"] = ops.convert_to_numpy(real_in_fake)
    return out
