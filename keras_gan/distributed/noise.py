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


def decorrelate_layer_noise(model, exclude=()):
    """Makes the layers' own random ops (Dropout, GaussianNoise) differ per replica.

    A layer draws its noise from its `SeedGenerator`, whose state is the same
    on every replica (mirrored on TensorFlow, broadcast on torch), so without
    this every replica would apply the same dropout mask. Afterwards, replica
    r of N uses the seed `(s + 7919 r, counter)` instead of `(s, counter)`;
    on one replica nothing changes. (A global mask cut into rows, as
    `replica_normal` does, would need Keras' layers to draw differently.)
    JAX needs none of this: its step sees the global batch.

    Args:
        model: a Keras layer or model; every SeedGenerator inside is changed
            (once).
        exclude: SeedGenerators to leave alone (the GAN's own, which feeds
            `replica_normal`).

    Returns:
        The number of SeedGenerators changed.
    """
    skip = {id(s) for s in exclude}
    changed = 0
    for layer in model._flatten_layers(include_self=True, recursive=True):
        for sg in getattr(layer, "_seed_generators", []):
            if id(sg) in skip or getattr(sg, "_keras_gan_per_replica", False):
                continue
            sg.next = _per_replica_next(sg)
            sg._keras_gan_per_replica = True
            changed += 1
    return changed


def _per_replica_next(sg):
    plain = type(sg).next.__get__(sg)

    def next(ordered=True):
        seed = plain(ordered)
        index, count = backend.replica_context()
        if isinstance(count, int) and count == 1:
            return seed
        step = ops.cast(index, seed.dtype) * ops.cast(7919, seed.dtype)
        return seed + ops.stack([step, ops.zeros((), seed.dtype)])

    return next
