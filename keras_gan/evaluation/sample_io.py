"""Reading samples to score from `.npz`, `.npy` or a folder of images."""

import os

import numpy as np

IMAGE_KEYS = ("samples", "images", "x", "x_test", "x_train", "arr_0")
LABEL_KEYS = ("labels", "y", "y_test", "y_train")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp")


def _read_image_folder(folder):
    from PIL import Image

    names = sorted(n for n in os.listdir(folder) if n.lower().endswith(IMAGE_SUFFIXES))
    if not names:
        raise FileNotFoundError(
            f"No PNG/JPEG images in the folder. Received: path={folder!r}"
        )
    images = []
    for name in names:
        with Image.open(os.path.join(folder, name)) as im:
            if im.mode not in ("L", "RGB"):
                im = im.convert("RGB" if "A" in im.mode or im.mode == "P" else "L")
            arr = np.asarray(im)
        if images and arr.shape != images[0].shape:
            raise ValueError(
                f"Images in {folder!r} differ in size: {names[0]} is "
                f"{images[0].shape}, {name} is {arr.shape}. Received: path={folder!r}"
            )
        images.append(arr)
    return np.stack(images)


def load_samples(path):
    """Images (and labels, if stored) from a file or folder.

    Args:
        path: an `.npz` (images under `samples`, `images`, `x`, `x_test`,
            `x_train` or `arr_0`, optional labels under `labels`/`y`...), an
            `.npy`, or a folder of PNG/JPEG files (sorted by name).

    Returns:
        `(images, labels)`: a NumPy array as stored, and an int array or None.
    """
    if not os.path.exists(path):
        raise FileNotFoundError(f"No such file or folder. Received: path={path!r}")
    if os.path.isdir(path):
        return _read_image_folder(path), None
    if path.endswith(".npy"):
        return np.load(path, allow_pickle=False), None
    if path.endswith(".npz"):
        with np.load(path, allow_pickle=False) as f:
            keys = [k for k in IMAGE_KEYS if k in f.files]
            if not keys:
                if len(f.files) == 1:
                    keys = f.files
                else:
                    raise ValueError(
                        f"Cannot tell which array of {path!r} holds the images: "
                        f"expected one of {', '.join(IMAGE_KEYS)}. Received: keys={f.files}"
                    )
            images = f[keys[0]]
            label_keys = [k for k in LABEL_KEYS if k in f.files]
            labels = f[label_keys[0]] if label_keys else None
        if labels is not None and labels.shape != (len(images),):
            labels = None
        return images, labels
    raise ValueError(
        "Expected an .npz or .npy file or a folder of images. "
        f"Received: path={path!r}"
    )


def load_images(path):
    """Just the images of `load_samples(path)`."""
    return load_samples(path)[0]
