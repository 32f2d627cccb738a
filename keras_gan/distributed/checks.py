"""Fit-time checks of a data-parallel set-up (backend-agnostic)."""

import numpy as np


def static_batch_size(x, batch_size):
    """The global batch size `fit` will use, when it is known before training."""
    if batch_size is not None:
        return int(batch_size)
    if isinstance(x, np.ndarray) or hasattr(x, "__array__") and hasattr(x, "shape"):
        return 32  # Keras' default for arrays
    size = getattr(x, "batch_size", None)  # torch DataLoader
    if isinstance(size, (int, np.integer)):
        return int(size)
    spec = getattr(x, "element_spec", None)
    if spec is not None:
        first = spec[0] if isinstance(spec, tuple) else spec
        dim = first.shape[0] if first.shape.rank else None
        return None if dim is None else int(dim)
    return None


def num_samples(x):
    """Length of array input, else None."""
    if isinstance(x, np.ndarray) or (hasattr(x, "shape") and hasattr(x, "__len__")
                                     and not hasattr(x, "element_spec")):
        try:
            return int(len(x))
        except TypeError:
            return None
    return None


def check_global_batch(x, batch_size, count, what):
    """Raises a clear error when the global batch does not split evenly.

    Args:
        x: the `fit` input.
        batch_size: `fit`'s `batch_size` argument.
        count: number of replicas the batch is split over.
        what: how the replicas are called in messages (e.g. "replicas of the
            MirroredStrategy").
    """
    if count <= 1:
        return
    batch = static_batch_size(x, batch_size)
    if batch is not None and batch % count:
        raise ValueError(
            f"The global batch size must be divisible by the number of {what} "
            f"({count}), so that every replica gets the same number of samples "
            f"and the mean over replicas equals the mean over the batch. "
            f"Received: batch_size={batch}"
        )
    n = num_samples(x)
    if batch is not None and n is not None and (n % batch) % count:
        keep = n - n % batch
        raise ValueError(
            f"The last batch of the data ({n % batch} of {n} samples) cannot be split "
            f"evenly over the {count} {what}. Drop the remainder "
            f"(x[:{keep}]) or choose a batch size that divides the data. "
            f"Received: {n} samples, batch_size={batch}"
        )
