"""Colour MNIST 32: MNIST digits painted in seeded colour pairs, an offline colour dataset."""

import os

import numpy as np

from keras_gan.validation import check_positive_int

# The palette, as RGB.
PALETTE = {
    "black": (20, 20, 24),
    "white": (238, 236, 230),
    "red": (210, 45, 40),
    "orange": (240, 140, 20),
    "yellow": (240, 215, 50),
    "green": (40, 150, 70),
    "blue": (35, 75, 190),
    "purple": (130, 55, 165),
}

# The colour pairs an image may have, (foreground, background): 12 of the
# 56 ordered pairs, every one with a clear lightness contrast. A model must
# learn which pairs occur (a yellow digit is drawn on blue, black or purple,
# never on white), not only the shapes and the colours.
PAIRS = (
    ("white", "black"), ("yellow", "blue"), ("black", "yellow"), ("white", "red"),
    ("black", "white"), ("yellow", "purple"), ("white", "green"), ("black", "orange"),
    ("orange", "blue"), ("white", "purple"), ("yellow", "black"), ("red", "white"),
)


def colour_mnist(images, digits=None, image_size=32, seed=0):
    """Paints MNIST digits with a foreground and background colour pair.

    Each `28x28` digit is resized to `image_size` (bicubic) and used as the
    foreground's opacity `a` in [0, 1]: `pixel = a * fg + (1 - a) * bg`,
    with `(fg, bg)` one of the 12 `PAIRS`, drawn per image from
    `np.random.default_rng(seed)`. Deterministic: the same digits and seed
    give the same images on every machine.

    Args:
        images: `(n, 28, 28)` uint8 MNIST digits (e.g. from
            `keras_gan.data.load_mnist`).
        digits: `(n,)` digit labels, passed through (or None).
        image_size: side of the output images.
        seed: seed of the colour draws.

    Returns:
        dict with `images` `(n, image_size, image_size, 3)` uint8, `digits`
        (or None), `pairs` `(n,)` int32 indices into `PAIRS`.

    Example:
        >>> x, y, _ = keras_gan.data.load_mnist("mnist.npz")
        >>> data = colour_mnist(x, y)
        >>> data["images"].shape
        (60000, 32, 32, 3)
    """
    from PIL import Image

    image_size = check_positive_int("image_size", image_size)
    images = np.asarray(images)
    if images.ndim != 3 or images.dtype != np.uint8:
        raise ValueError(
            "colour_mnist takes uint8 digits of shape (n, height, width). Received: "
            f"images.shape={images.shape}, images.dtype={images.dtype}"
        )
    rng = np.random.default_rng(seed)
    pairs = rng.integers(0, len(PAIRS), len(images)).astype("int32")
    colours = np.array([[PALETTE[fg], PALETTE[bg]] for fg, bg in PAIRS], "float32")
    out = np.empty((len(images), image_size, image_size, 3), np.uint8)
    for i, digit in enumerate(images):
        a = np.asarray(Image.fromarray(digit).resize((image_size, image_size),
                                                     Image.Resampling.BICUBIC), "float32")
        a = np.clip(a / 255.0, 0.0, 1.0)[..., None]
        fg, bg = colours[pairs[i]]
        out[i] = np.clip(np.rint(a * fg + (1.0 - a) * bg), 0, 255).astype(np.uint8)
    return {"images": out, "digits": None if digits is None else np.asarray(digits),
            "pairs": pairs}


def load_colour_mnist(path=None, split="train", image_size=32, seed=None):
    """Colour MNIST 32 built from MNIST (`load_mnist(path, split)`).

    The colour seed defaults to 0 for the training split and 1 for the
    test split, so held-out images have their own colour draws.

    Returns:
        `(images uint8 (n, s, s, 3), digits, pairs, source)`.

    Example:
        >>> x, digits, pairs, _ = load_colour_mnist("mnist.npz", split="test")
    """
    from keras_gan.data.mnist import load_mnist

    x, y, source = load_mnist(path, split=split)
    seed = {"train": 0, "test": 1}.get(split, 0) if seed is None else seed
    data = colour_mnist(x, y, image_size, seed)
    return data["images"], data["digits"], data["pairs"], source


def save_image_folder(images, folder, labels=None, class_names=None, prefix="", verbose=0):
    """Writes uint8 images as PNG files, one sub-folder per class when labelled.

    The inverse of `image_folder`: `folder/<class>/<prefix><index>.png`
    (or `folder/<prefix><index>.png` without labels), with zero-padded
    indices so that file order is index order.

    Args:
        images: `(n, h, w)` or `(n, h, w, c)` uint8.
        folder: the output folder (created).
        labels: `(n,)` int class labels, or None.
        class_names: names of the class folders (default: the label numbers).
        prefix: file name prefix.
        verbose: 1 shows a progress bar.

    Returns:
        The list of written paths.

    Example:
        >>> save_image_folder(x, "colour-mnist32/train", labels=digits)
    """
    from PIL import Image

    images = np.asarray(images)
    if images.dtype != np.uint8 or images.ndim not in (3, 4):
        raise ValueError(f"Expected uint8 images (n, h, w[, c]). Received: images.shape="
                         f"{images.shape}, images.dtype={images.dtype}")
    digits = len(str(max(len(images) - 1, 0)))
    progress = None
    if verbose:
        import keras

        progress = keras.utils.Progbar(len(images), unit_name="image")
    paths = []
    for i, image in enumerate(images):
        sub = folder
        if labels is not None:
            label = int(labels[i])
            sub = os.path.join(folder, class_names[label] if class_names else str(label))
        os.makedirs(sub, exist_ok=True)
        path = os.path.join(sub, f"{prefix}{i:0{digits}d}.png")
        Image.fromarray(image[..., 0] if image.ndim == 3 and image.shape[-1] == 1
                        else image).save(path)
        paths.append(path)
        if progress is not None and (i + 1) % 500 == 0:
            progress.update(i + 1)
    if progress is not None:
        progress.update(len(images), finalize=True)
    return paths
