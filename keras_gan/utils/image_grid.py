"""Sample grids as PNG images."""

import math
import os

import numpy as np


def class_grid_labels(num_classes, n_samples=64, **deprecated):
    """`(labels, nrow)` of keras_gan's grid for a class-conditional model.

    One row per class, `round(sqrt(n_samples))` samples in each (10 rows of
    8 for `n_samples=64` and 10 classes), the layout of the zoo cards' `samples.png`, of
    `SampleGrid` and of `keras-gan sample`'s PNG grids.

    Args:
        num_classes: number of classes (rows).
        n_samples: the size of the unconditional grid this stands in for
            (formerly `n`, still accepted, deprecated).

    Returns:
        int32 labels `(num_classes * per_row,)` in class order, and
        `per_row`, the `nrow` to tile them with.

    Example:
        >>> labels, nrow = class_grid_labels(10, 64)
        >>> save_image_grid(G.generate(labels=labels, seed=0), "grid.png", nrow=nrow)
    """
    from keras_gan.utils.deprecation import check_no_unknown
    from keras_gan.utils.deprecation import renamed_arguments

    n_samples = renamed_arguments("class_grid_labels", {"n": "n_samples"}, deprecated,
                                  dict(n_samples=n_samples), dict(n_samples=64))["n_samples"]
    check_no_unknown("class_grid_labels", deprecated)
    per_row = max(1, int(round(math.sqrt(n_samples))))
    labels = np.repeat(np.arange(int(num_classes)), per_row).astype("int32")
    return labels, per_row


def make_image_grid(images, nrow=None, padding=2, pad_value=1.0):
    """Tiles a batch of images in [-1, 1] into one uint8 grid image.

    Args:
        images: array `(N, H, W)`, `(N, H, W, C)` (C = 1 or 3) in [-1, 1].
        nrow: images per row (default: about `sqrt(N)`).
        padding: pixels between images.
        pad_value: value of the padding in [-1, 1].

    Returns:
        uint8 array `(rows*(H+p)+p, nrow*(W+p)+p)` or with 3 channels.
    """
    images = np.asarray(images, dtype="float32")
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4 or images.shape[-1] not in (1, 3) or len(images) == 0:
        raise ValueError(
            "Expected images of shape (N, H, W), (N, H, W, 1) or (N, H, W, 3). "
            f"Received: images.shape={images.shape}"
        )
    n, h, w, c = images.shape
    nrow = nrow or int(math.ceil(math.sqrt(n)))
    rows = int(math.ceil(n / nrow))
    grid = np.full(
        (rows * (h + padding) + padding, nrow * (w + padding) + padding, c),
        pad_value,
        dtype="float32",
    )
    for i, img in enumerate(images):
        r, col = divmod(i, nrow)
        top, left = padding + r * (h + padding), padding + col * (w + padding)
        grid[top : top + h, left : left + w] = img
    grid = np.clip(np.rint((grid + 1.0) * 127.5), 0, 255).astype(np.uint8)
    return grid[..., 0] if c == 1 else grid


def save_image_grid(images, path, nrow=None, padding=2, scale=1):
    """Writes a batch of images in [-1, 1] as one PNG grid.

    Args:
        images: see `make_image_grid`.
        path: output `.png` path (folders are created).
        nrow: images per row.
        padding: pixels between images.
        scale: integer upscaling factor (nearest neighbour) for viewing.

    Returns:
        The path written.

    Example:
        >>> save_image_grid(gan.generate(64, seed=0), "samples.png", nrow=8)
    """
    from PIL import Image

    grid = make_image_grid(images, nrow=nrow, padding=padding)
    if scale > 1:
        grid = np.repeat(np.repeat(grid, scale, axis=0), scale, axis=1)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    Image.fromarray(grid).save(path)
    return path
