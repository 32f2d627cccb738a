"""Reading samples to score from `.npz`, `.npy` or a folder of images."""

import os
import zipfile

import numpy as np

IMAGE_KEYS = ("samples", "images", "x", "x_test", "x_train", "arr_0")
LABEL_KEYS = ("labels", "y", "y_test", "y_train")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp")


NPY_MAGIC = b"\x93NUMPY"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")  # a zip's first entry, or an empty zip


def read_arrays(path):
    """The arrays of an `.npy` or `.npz` file, checked to be what the name says.

    Reads with `allow_pickle=False` and turns every way a file can fail to
    be a plain NumPy file into one-line `ValueError`s: not a NumPy file at
    all, a truncated or damaged archive, arrays of Python objects (which
    would need unpickling, i.e. running code from the file; never offered).

    Args:
        path: an existing `.npy` or `.npz` file.

    Returns:
        `{name: array}` (`.npy`: one entry, `"arr"`), all read into memory.
    """
    kind = ".npz" if path.endswith(".npz") else ".npy"
    with open(path, "rb") as f:
        head = f.read(8)
    if kind == ".npy" and not head.startswith(NPY_MAGIC):
        raise ValueError(
            f"{path!r} is not a NumPy .npy file (it does not start with NumPy's header; "
            f"first bytes {head[:6]!r}). Received: path={path!r}"
        )
    if kind == ".npz" and not head.startswith(ZIP_MAGICS):
        raise ValueError(
            f"{path!r} is not a NumPy .npz file (an .npz is a zip archive; this file "
            f"starts with {head[:6]!r}). Received: path={path!r}"
        )
    try:
        if kind == ".npy":
            return {"arr": np.load(path, allow_pickle=False)}
        with np.load(path, allow_pickle=False) as f:
            return {name: f[name] for name in f.files}
    except ValueError as e:
        if "allow_pickle" in str(e) or "pickle" in str(e).lower():
            raise ValueError(
                f"{path!r} holds arrays of Python objects, which keras_gan does not load "
                "(reading them would run code from the file); save numeric arrays, e.g. "
                f"np.savez(path, x=images.astype('uint8')). Received: path={path!r}"
            ) from None
        raise ValueError(
            f"{path!r} is a damaged {kind} file: {str(e).splitlines()[0]}. "
            f"Received: path={path!r}"
        ) from None
    except (zipfile.BadZipFile, EOFError, OSError, KeyError) as e:
        raise ValueError(
            f"{path!r} is a truncated or damaged {kind} file "
            f"({type(e).__name__}: {str(e).splitlines()[0] if str(e) else 'no details'}). "
            f"Received: path={path!r}"
        ) from None


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
        return read_arrays(path)["arr"], None
    if path.endswith(".npz"):
        f = read_arrays(path)
        keys = [k for k in IMAGE_KEYS if k in f]
        if not keys:
            if len(f) == 1:
                keys = list(f)
            else:
                raise ValueError(
                    f"Cannot tell which array of {path!r} holds the images: "
                    f"expected one of {', '.join(IMAGE_KEYS)}. Received: keys={sorted(f)}"
                )
        images = f[keys[0]]
        label_keys = [k for k in LABEL_KEYS if k in f]
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
