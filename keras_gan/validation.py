"""Input checks shared by the GAN models (clear errors that name the value)."""

import numpy as np
from keras import ops


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
    """Checks a batch shape `(batch, *sample_shape)` against `expected_shape`."""
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
