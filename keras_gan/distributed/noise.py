"""Random draws that are different on every replica and equal to one device's."""

import keras
from keras import ops

from keras_gan import backend


def _replica_draw(draw, shape):
    index, count = backend.replica_context()
    if isinstance(count, int) and count == 1:
        return draw(tuple(shape))
    # Every replica draws the whole global batch from the same seed state
    # (the seed variable is mirrored) and keeps its own rows. Replicas differ,
    # and together they hold exactly what a single device draws for the
    # global batch, so an N-replica step computes the single-device step.
    draws = draw((count,) + tuple(shape))
    return ops.take(draws, index, axis=0)


def replica_normal(shape, dtype=None, seed=None):
    """`keras.random.normal(shape)` for this replica's share of a global batch.

    `shape[0]` is the per-replica batch. Outside data-parallel training (one
    replica, or JAX, where the step sees the global batch) this is exactly
    `keras.random.normal(shape, dtype=dtype, seed=seed)`. With N replicas
    (TensorFlow `MirroredStrategy`, `torch.distributed`), replica r returns
    block r of `keras.random.normal((N, *shape))`: the rows that a single
    device would draw for samples `r * shape[0] ... (r + 1) * shape[0] - 1`
    of the global batch.

    Args:
        shape: per-replica shape, batch first.
        dtype: float dtype (default: Keras' float type).
        seed: a `keras.random.SeedGenerator` whose state is the same on every
            replica (true for a GAN's `seed_generator`), or an integer.

    Returns:
        Tensor of `shape`.

    Example:
        >>> z = keras_gan.distributed.replica_normal((64, 100), seed=sg)
    """
    return _replica_draw(
        lambda s: keras.random.normal(s, dtype=dtype, seed=seed), shape
    )


def replica_uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    """`keras.random.uniform(shape)` for this replica's share of a global batch.

    The uniform counterpart of `replica_normal` (same rows-of-one-draw rule),
    used for the interpolation weights of WGAN-GP and DRAGAN's perturbations.

    Args:
        shape: per-replica shape, batch first.
        minval: lower bound.
        maxval: upper bound (excluded).
        dtype: float dtype.
        seed: a `keras.random.SeedGenerator` (same state on every replica) or
            an integer.

    Returns:
        Tensor of `shape`.

    Example:
        >>> eps = keras_gan.distributed.replica_uniform((64, 1, 1, 1), seed=sg)
    """
    return _replica_draw(
        lambda s: keras.random.uniform(
            s, minval=minval, maxval=maxval, dtype=dtype, seed=seed
        ),
        shape,
    )
