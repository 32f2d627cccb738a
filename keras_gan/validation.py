"""Argument and input checks of keras_gan, in one place.

Every check raises `ValueError` (or `TypeError`) with one line that names
the argument and echoes the value (`Received: name=value`), and returns the
normalized value. Sections: integers and shapes (model builders,
schedules, the evaluator), training inputs (`GAN.fit`, `generate`),
feature matrices (metrics), data-parallel batches (distribution).
"""

import numpy as np
from keras import ops


def _is_int(value):
    """A Python or NumPy integer (not a bool)."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def check_positive_int(name, value, minimum=1):
    """`value` as an `int`, if it is a Python or NumPy integer >= `minimum`.

    Args:
        name: the argument's name, for the message.
        value: the value to check.
        minimum: the smallest allowed value.

    Returns:
        `int(value)`.

    Example:
        >>> check_positive_int("steps", np.int64(3))
        3
    """
    if not _is_int(value) or value < minimum:
        what = "a positive integer" if minimum == 1 else f"an integer >= {minimum}"
        raise ValueError(f"`{name}` must be {what}. Received: {name}={value!r}")
    return int(value)


# ---- image shapes and channel lists (model builders) ----------------------

def check_image_shape(image_shape, multiple=1):
    try:
        shape = tuple(int(d) for d in image_shape)
    except (TypeError, ValueError):
        raise ValueError(
            "`image_shape` must be (height, width, channels). "
            f"Received: image_shape={image_shape!r}"
        )
    if len(shape) != 3 or min(shape) < 1:
        raise ValueError(
            "`image_shape` must be (height, width, channels) with positive "
            f"sizes (channels-last). Received: image_shape={image_shape!r}"
        )
    if shape[0] % multiple or shape[1] % multiple:
        raise ValueError(
            f"Height and width must be divisible by {multiple} for this "
            f"architecture. Received: image_shape={image_shape!r}"
        )
    return shape


def check_filters(name, filters, min_len):
    """A tuple of at least `min_len` positive integers (channel counts)."""
    try:
        filters = tuple(filters)
    except TypeError:
        filters = None
    if (
        filters is None
        or len(filters) < min_len
        or any(not _is_int(f) or f < 1 for f in filters)
    ):
        raise ValueError(
            f"`{name}` must be a sequence of at least {min_len} positive integers. "
            f"Received: {name}={filters!r}"
        )
    return tuple(int(f) for f in filters)


# ---- training inputs (GAN.fit, generate) ----------------------------------

def first_batch(data):
    """Returns the first element of `data` as numpy, or None if it can't be peeked.

    Arrays are returned whole. `tf.data.Dataset`, torch `DataLoader` and
    `keras.utils.PyDataset` are re-iterable, so peeking does not consume them;
    plain Python generators are not peeked.
    """
    if data is None:
        return None
    if isinstance(data, (list, tuple)):
        parts = [first_batch(d) for d in data]
        return type(data)(parts)
    if isinstance(data, dict):
        return None
    if isinstance(data, np.ndarray):
        return data
    module = type(data).__module__ or ""
    if hasattr(data, "shape") and hasattr(data, "dtype"):
        return ops.convert_to_numpy(data)
    try:
        if module.startswith("tensorflow") and hasattr(data, "take"):
            batch = next(iter(data.take(1)))
        elif module.startswith("torch.utils.data"):
            batch = next(iter(data))
        elif hasattr(data, "__getitem__") and hasattr(data, "num_batches"):
            batch = data[0]
        else:
            return None
    except StopIteration:
        raise ValueError(f"The training data is empty. Received: x={data!r}")

    def to_numpy(t):
        if isinstance(t, (list, tuple)):
            return type(t)(to_numpy(u) for u in t)
        if isinstance(t, dict):
            return {k: to_numpy(v) for k, v in t.items()}
        if hasattr(t, "numpy") and not isinstance(t, np.ndarray):
            try:
                return np.asarray(t.numpy())
            except Exception:
                pass
        return np.asarray(t)

    return to_numpy(batch)


def split_batch(batch):
    """(x, y) from a batch that is an array, a 1-tuple or an (x, y[, w]) tuple."""
    if isinstance(batch, (list, tuple)):
        if len(batch) == 1:
            return batch[0], None
        if len(batch) in (2, 3):
            return batch[0], batch[1]
        raise ValueError(
            "Expected batches of images or (images, labels). Received a "
            f"tuple of {len(batch)} elements."
        )
    return batch, None


def check_samples(x, expected_shape, data_range, what="x"):
    """Checks the dtype, shape and value range of a numpy batch of samples."""
    x = np.asarray(x)
    if x.dtype == object or not np.issubdtype(x.dtype, np.floating):
        hint = ""
        if x.dtype == np.uint8 and data_range is not None:
            hint = (
                " Convert uint8 images with "
                "`keras_gan.data.to_gan_range(x)` (x / 127.5 - 1)."
            )
        expected = (
            f"in [{data_range[0]}, {data_range[1]}]" if data_range else ""
        )
        raise ValueError(
            f"Training samples must be floating point {expected}.{hint} "
            f"Received: {what}.dtype={x.dtype}"
        )
    check_shape(x.shape, expected_shape, what)
    if x.ndim and x.shape[0] == 0:
        raise ValueError(
            f"The training data is empty (no samples). Received: {what}.shape={x.shape}"
        )
    if x.size and data_range is not None:
        finite = np.isfinite(x)
        if not finite.all():
            bad = x[~finite].ravel()[0]
            raise ValueError(
                f"Training samples contain non-finite values ({bad}). "
                f"Received: {what} with {int((~finite).sum())} NaN/inf values"
            )
        lo, hi = float(x.min()), float(x.max())
        tol = 1e-3
        if lo < data_range[0] - tol or hi > data_range[1] + tol:
            raise ValueError(
                f"Images are expected in [{data_range[0]}, {data_range[1]}] "
                "(the range of the generator's tanh output). Received: "
                f"{what} with min={lo:.4g}, max={hi:.4g}. For uint8 pixels use "
                "`keras_gan.data.to_gan_range(x)`; for other data pass "
                "`data_range=None` to the GAN."
            )


def check_shape(shape, expected_shape, what="x"):
    """Checks a batch shape `(batch, *image_shape)` against `expected_shape`."""
    if expected_shape is None:
        return
    shape = tuple(shape)
    expected = tuple(expected_shape)
    if len(shape) != len(expected) + 1:
        raise ValueError(
            f"Expected samples of rank {len(expected) + 1} with shape "
            f"(batch, {', '.join(str(d) for d in expected)}) to match the "
            f"discriminator's input. Received: {what}.shape={shape}"
        )
    for got, want in zip(shape[1:], expected):
        if want is not None and got is not None and got != want:
            detail = ""
            if len(expected) == 3 and shape[-1] != expected[-1]:
                detail = (
                    f" (channels: got {shape[-1]}, expected {expected[-1]}; "
                    "images are channels-last)"
                )
            raise ValueError(
                f"Sample shape {shape[1:]} does not match the discriminator's "
                f"input shape {expected}{detail}. Received: {what}.shape={shape}"
            )


def check_labels(y, num_classes, what="y"):
    """Checks integer class labels in `[0, num_classes)`."""
    y = np.asarray(y)
    if not np.issubdtype(y.dtype, np.integer):
        raise ValueError(
            "Class labels must be integers in "
            f"[0, {num_classes}). Received: {what}.dtype={y.dtype}"
        )
    if y.ndim > 2 or (y.ndim == 2 and y.shape[1] != 1):
        raise ValueError(
            "Class labels must have shape (batch,) or (batch, 1). "
            f"Received: {what}.shape={y.shape}"
        )
    if y.size and (y.min() < 0 or y.max() >= num_classes):
        raise ValueError(
            f"Class labels must lie in [0, {num_classes}). Received: {what} "
            f"with min={y.min()}, max={y.max()}"
        )


def per_sample_labels(labels, n, num_classes):
    """int32 numpy labels, one per sample: a single class is repeated `n` times."""
    labels = np.asarray(labels)
    if labels.ndim == 0:
        labels = np.full((n,), labels)
    check_labels(labels, num_classes, what="labels")
    labels = labels.reshape(-1)
    if labels.shape[0] != n:
        raise ValueError(
            f"Expected one label per sample ({n}). "
            f"Received: labels with {labels.shape[0]} entries"
        )
    return labels.astype("int32")


def count_layers(model, class_names):
    """Names of the layers (recursively) whose class is in `class_names`."""
    found = []
    for layer in model._flatten_layers(include_self=False, recursive=True):
        if type(layer).__name__ in class_names:
            found.append(layer.name)
    return found


# ---- feature matrices (metrics) -------------------------------------------

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


# ---- data-parallel batches (keras_gan.distributed) ------------------------

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
