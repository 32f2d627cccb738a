"""MNIST loading for examples and tests, usable offline."""

import os
import warnings

import numpy as np

SAMPLE_PATH = os.path.join(os.path.dirname(__file__), "mnist_sample.npz")


def to_gan_range(x):
    """Maps uint8 pixels 0..255 to float32 in [-1, 1]: `x / 127.5 - 1`.

    Args:
        x: array of uint8 (or 0..255 valued) pixels.

    Returns:
        float32 array in [-1, 1], with a channel axis added to (N, H, W) input.

    Example:
        >>> to_gan_range(np.array([[0, 255]], np.uint8))
        array([[-1.,  1.]], dtype=float32)
    """
    x = np.asarray(x)
    if x.dtype != np.uint8 and (x.min() < 0 or x.max() > 255):
        raise ValueError(
            "to_gan_range expects pixels in 0..255. Received: "
            f"x with min={x.min()}, max={x.max()}"
        )
    x = x.astype("float32") / 127.5 - 1.0
    if x.ndim == 3:
        x = x[..., None]
    return x


def to_uint8(x):
    """Maps samples in [-1, 1] back to uint8 pixels (clipping outliers)."""
    x = np.asarray(x, dtype="float32")
    return np.clip(np.rint((x + 1.0) * 127.5), 0, 255).astype(np.uint8)


def _keras_cache_path():
    base = os.environ.get("KERAS_HOME") or os.path.join(
        os.path.expanduser("~"), ".keras"
    )
    return os.path.join(base, "datasets", "mnist.npz")


def _read(path, split):
    with np.load(path, allow_pickle=False) as f:
        return f[f"x_{split}"], f[f"y_{split}"]


def load_mnist(path=None, split="train", download=True, allow_sample=True):
    """Loads MNIST digits as uint8 arrays, offline when needed.

    Looks, in order, at `path`, at Keras' cache (`~/.keras/datasets/mnist.npz`),
    then tries `keras.datasets.mnist.load_data()` (a download). If none works
    and `allow_sample` is true, returns the small real MNIST sample bundled
    with keras_gan (2,000 training and 500 test digits, balanced over the
    classes; MNIST by Y. LeCun, C. Cortes and C. J. C. Burges, CC BY-SA 3.0)
    and warns.

    Args:
        path: an `.npz` with `x_train`, `y_train`, `x_test`, `y_test`.
        split: `"train"` or `"test"`.
        download: allow `keras.datasets.mnist.load_data()`.
        allow_sample: fall back to the bundled sample.

    Returns:
        `(images, labels, source)`: uint8 `(N, 28, 28)`, uint8 `(N,)` and a
        string naming where the data came from.
    """
    if split not in ("train", "test"):
        raise ValueError(
            f"split must be 'train' or 'test'. Received: split={split!r}"
        )
    if path is not None:
        if not os.path.exists(path):
            raise FileNotFoundError(
                f"No MNIST file at the given path. Received: path={path!r}"
            )
        x, y = _read(path, split)
        return x, y, path
    cache = _keras_cache_path()
    if os.path.exists(cache):
        try:
            x, y = _read(cache, split)
            return x, y, cache
        except Exception:
            pass
    if download:
        try:
            import keras

            (xtr, ytr), (xte, yte) = keras.datasets.mnist.load_data()
            return (xtr, ytr, "keras") if split == "train" else (xte, yte, "keras")
        except Exception as e:  # offline
            reason = f"{type(e).__name__}: {e}"
        else:
            reason = ""
    else:
        reason = "download=False"
    if not allow_sample:
        raise FileNotFoundError(
            "Full MNIST is not available (no path given, nothing in Keras' "
            f"cache at {cache}, download failed: {reason})."
        )
    warnings.warn(
        "Full MNIST is not available offline; using the real MNIST sample "
        f"bundled with keras_gan ({SAMPLE_PATH}). Pass a path to mnist.npz "
        "for the full data.",
        stacklevel=2,
    )
    x, y = _read(SAMPLE_PATH, split)
    return x, y, "bundled-sample"
