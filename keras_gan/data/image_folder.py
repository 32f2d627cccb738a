"""`image_folder`: a folder of PNG / JPEG / BMP pictures as resumable training batches."""

import os

import numpy as np

from keras_gan.training.epoch_batches import EpochBatches
from keras_gan.validation import check_positive_int

EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp")
CROPS = ("center", "none")
# PIL modes by their number of colour channels (alpha is dropped).
_GRAY_MODES = ("1", "L", "LA", "La", "I", "I;16", "I;16B", "I;16L", "F")


class BadImageError(ValueError):
    """An image file that cannot be used; the message names the file."""


def _channels_of(mode):
    return 1 if mode in _GRAY_MODES else 3


def _target_size(image_size):
    if isinstance(image_size, (tuple, list)):
        if len(image_size) != 2:
            raise ValueError(
                f"image_size must be an int or (height, width). Received: image_size={image_size!r}"
            )
        h, w = image_size
        return (check_positive_int("image_size", h), check_positive_int("image_size", w))
    size = check_positive_int("image_size", image_size)
    return size, size


def scan_image_files(path, labels="inferred"):
    """The image files under `path`, sorted, and their classes.

    Args:
        path: a folder, searched recursively (symbolic links to folders are
            not followed).
        labels: `"inferred"`: each first-level sub-folder is a class (names
            sorted, numbered from 0); None: no labels.

    Returns:
        `(files, labels, class_names)`: relative paths (a NumPy byte-string
        array, about 50 bytes a file), `(n,)` int32 labels or None, and the
        class names or None. A folder whose images all lie at its top level
        has no classes (labels None) even with `labels="inferred"`.
    """
    if labels not in ("inferred", None):
        raise ValueError(f"labels must be 'inferred' or None. Received: labels={labels!r}")
    if not os.path.isdir(path):
        raise FileNotFoundError(f"No such folder. Received: path={path!r}")
    files = []
    for root, dirs, names in os.walk(path):
        dirs.sort()
        for name in sorted(names):
            if name.lower().endswith(EXTENSIONS) and not name.startswith("."):
                files.append(os.path.relpath(os.path.join(root, name), path))
    if not files:
        raise ValueError(
            f"No images found: the folder has no {', '.join(EXTENSIONS)} files "
            f"(searched recursively). Received: path={path!r}"
        )
    top = [f for f in files if os.sep not in f]
    classes = None
    y = None
    if labels == "inferred" and len(top) < len(files):
        if top:
            raise ValueError(
                "labels='inferred' takes each sub-folder as a class, so every image "
                f"must be inside one; {len(top)} are at the top level, e.g. {top[0]!r}. "
                f"Move them into a class folder or pass labels=None. Received: path={path!r}"
            )
        first = [f.split(os.sep, 1)[0] for f in files]
        classes = sorted(set(first))
        index = {c: i for i, c in enumerate(classes)}
        y = np.array([index[c] for c in first], "int32")
    return np.array([f.encode("utf-8") for f in files]), y, classes


class ImageFiles:
    """The images of a folder as a lazy `(n, height, width, channels)` array.

    Indexing decodes only the images asked for (`files[idx]` with an int, a
    slice or an index array): each is centre-cropped to the target aspect
    ratio (or squashed with `crop="none"`), resized with a bicubic
    (antialiased) filter and scaled to float32 in [-1, 1].

    Args:
        root: the folder.
        files: paths relative to `root` (as from `scan_image_files`).
        image_size: `(height, width)`.
        channels: 1 (grayscale) or 3 (RGB).
        crop: `"center"` or `"none"`.
    """

    dtype = np.dtype("float32")

    def __init__(self, root, files, image_size, channels=3, crop="center"):
        self.root = root
        self.files = files
        self.image_size = _target_size(image_size)
        self.channels = channels
        self.crop = crop

    @property
    def shape(self):
        return (len(self.files), *self.image_size, self.channels)

    def __len__(self):
        return len(self.files)

    def path(self, i):
        """The full path of image `i`."""
        return os.path.join(self.root, self.files[i].decode("utf-8"))

    def _open(self, i, decode=True):
        from PIL import Image

        path = self.path(i)
        try:
            image = Image.open(path)
            if decode:
                image.load()
        except Exception as error:  # PIL raises OSError, SyntaxError, ValueError, ...
            raise BadImageError(
                f"Cannot read image {path}: {type(error).__name__}: {error}. Remove or "
                "replace the file (or skip bad files: skip_bad_images=True, "
                "--skip-bad-images)."
            ) from None
        return image

    def _check_size(self, image, i):
        h, w = self.image_size
        small = (min(image.size) < min(h, w) if self.crop == "center"
                 else image.size[0] < w or image.size[1] < h)
        if small:
            raise BadImageError(
                f"Image {self.path(i)} is {image.size[0]}x{image.size[1]} (width x height), "
                f"smaller than the {w}x{h} asked for: upscaling would invent detail. "
                "Lower image_size (--image-size) or remove the file."
            )

    def _prepare(self, image, i):
        from PIL import Image

        self._check_size(image, i)
        image = image.convert("L" if self.channels == 1 else "RGB")
        h, w = self.image_size
        if self.crop == "center":
            # The largest centred box of the target's aspect ratio, in whole
            # pixels (the odd pixel goes to the right / bottom).
            width, height = image.size
            if width * h > height * w:
                cw, ch = round(height * w / h), height
            else:
                cw, ch = width, round(width * h / w)
            left, top = (width - cw) // 2, (height - ch) // 2
            image = image.crop((left, top, left + cw, top + ch))
        image = image.resize((w, h), Image.Resampling.BICUBIC)
        array = np.asarray(image, "float32").reshape(h, w, self.channels)
        return np.clip(array, 0.0, 255.0) / 127.5 - 1.0

    def load(self, i):
        """Image `i`, decoded and prepared."""
        return self._prepare(self._open(i), i)

    def __getitem__(self, index):
        if isinstance(index, (int, np.integer)):
            return self.load(int(index))
        indices = np.arange(len(self))[index] if isinstance(index, slice) else index
        out = np.empty((len(indices), *self.image_size, self.channels), "float32")
        for j, i in enumerate(np.asarray(indices).reshape(-1)):
            out[j] = self.load(int(i))
        return out

    def __array__(self, dtype=None, copy=None):
        raise TypeError(
            "An image folder is read batch by batch; it is not converted to one array "
            f"(that would load all {len(self)} images). Index it, or pass the "
            "image_folder dataset to fit."
        )

    def inspect(self, i, decode=True):
        """`(channels, (width, height))` of image `i` (raises `BadImageError`).

        With `decode=False` only the file's header is read (fast; a
        truncated file passes).
        """
        with self._open(i, decode) as image:
            self._check_size(image, i)
            return _channels_of(image.mode), image.size


class ImageFolder(EpochBatches):
    """Batches of a folder's images for `GAN.fit`, in a resumable order.

    Returned by `image_folder`. A `keras.utils.PyDataset` (so it feeds
    `fit` on TensorFlow, JAX and torch): epoch `e` visits the images in
    `np.random.default_rng([seed, e]).permutation(n)` order (or file order
    with `shuffle=False`), so a `Checkpoint` resumes at the exact batch.

    Attributes:
        images: the `ImageFiles` (lazy array).
        labels: `(n,)` int32 labels or None.
        class_names: the class folder names, or None.
        skipped: paths of the files skipped as bad (`skip_bad_images=True`).
        image_shape: `(height, width, channels)`.
        num_classes: number of classes, or None.
    """

    def __init__(self, images, labels=None, class_names=None, batch_size=32, shuffle=True,
                 seed=0, skipped=(), first_epoch=0, start_batch=0, repeat=False, workers=1):
        super().__init__(images, labels, batch_size, shuffle, seed, first_epoch, start_batch,
                         repeat, workers=workers)
        self.images = images
        self.labels = labels
        self.class_names = class_names
        self.skipped = list(skipped)

    @property
    def image_shape(self):
        return self.images.shape[1:]

    @property
    def num_classes(self):
        return None if self.class_names is None else len(self.class_names)

    def resumed(self, first_epoch, start_batch):
        """The same images and order, as one endless stream from `(first_epoch, start_batch)`."""
        return ImageFolder(self.images, self.labels, self.class_names, self.batch_size,
                           self.shuffle, self.seed, self.skipped, first_epoch, start_batch,
                           repeat=True, workers=self.workers_count)


def image_folder(path, image_size, channels=3, labels="inferred", batch_size=32, shuffle=True,
                 seed=0, crop="center", verify="full", skip_bad_images=False, max_images=None,
                 workers=1, verbose=1):
    """A folder of pictures as GAN training data: streamed, resized, in [-1, 1].

    Finds `.png`, `.jpg`, `.jpeg` and `.bmp` files recursively; with
    `labels="inferred"` each first-level sub-folder is a class (for a
    `ConditionalGAN`). Images are decoded batch by batch, never all at
    once: memory is the file index (about 50 bytes an image) plus the
    batches in flight, so a folder of 1,000,000 images works as well as
    one of 1,000. Each image is centre-cropped to the target aspect ratio
    (`crop="center"`; `"none"` squashes), resized with an antialiased
    bicubic filter and scaled to float32 in [-1, 1].

    Before training, `verify="full"` decodes every file once (a progress
    bar shows it), so a truncated or unreadable file, an image smaller
    than `image_size` or a folder that mixes grayscale and colour images
    stops the run before any weight changes, with one line naming the
    file (`skip_bad_images=True` leaves bad files out instead; a mixed
    folder always stops). Files of one kind are converted to `channels`. `verify="header"` reads only the headers (fast on huge folders;
    a truncated file then stops training when its batch is read), None
    checks nothing up front.

    Args:
        path: the folder.
        image_size: an int (square) or `(height, width)`.
        channels: 3 (RGB), 1 (grayscale), or None: that of the files.
        labels: `"inferred"` (class sub-folders) or None.
        batch_size: images per batch.
        shuffle: a new order each epoch (by `(seed, epoch)`); else file order.
        seed: seed of the order.
        crop: `"center"` or `"none"`.
        verify: `"full"`, `"header"` or None (see above).
        skip_bad_images: leave out unreadable, truncated or too-small files
            (counted in `.skipped`) instead of stopping.
        max_images: use only the first this many files (in file order).
        workers: threads decoding batches ahead (`keras.utils.PyDataset`).
        verbose: 1 shows the verification's progress bar.

    Returns:
        An `ImageFolder` (a `keras.utils.PyDataset`) of `images` or
        `(images, labels)` batches.

    Example:
        >>> data = keras_gan.data.image_folder("photos/", image_size=32)
        >>> gan = keras_gan.GAN(generator=dcgan_generator(100, data.image_shape),
        ...                     discriminator=dcgan_discriminator(data.image_shape))
        >>> gan.compile()
        >>> gan.fit(data, epochs=10)
    """
    size = _target_size(image_size)
    if channels not in (1, 3, None):
        raise ValueError(f"channels must be 1, 3 or None. Received: channels={channels!r}")
    if crop not in CROPS:
        raise ValueError(f"crop must be one of {CROPS}. Received: crop={crop!r}")
    if verify not in ("full", "header", None):
        raise ValueError(f"verify must be 'full', 'header' or None. Received: verify={verify!r}")
    batch_size = check_positive_int("batch_size", batch_size)
    workers = check_positive_int("workers", workers)
    files, y, classes = scan_image_files(path, labels)
    if max_images is not None:
        max_images = check_positive_int("max_images", max_images)
        files = files[:max_images]
        y = None if y is None else y[:max_images]
    probe = ImageFiles(path, files, size, channels or 3, crop)
    keep = np.ones(len(files), bool)
    skipped = []
    seen = {}  # channel count -> first file with it
    if verify is not None:
        progress = None
        if verbose:
            import keras

            progress = keras.utils.Progbar(len(files), unit_name="image")
            print(f"Checking {len(files)} images in {path} (verify={verify!r})")
        for i in range(len(files)):
            try:
                count, _ = probe.inspect(i, decode=verify == "full")
            except BadImageError:
                if not skip_bad_images:
                    raise
                keep[i] = False
                skipped.append(probe.path(i))
                continue
            seen.setdefault(count, probe.path(i))
            if len(seen) > 1:
                raise ValueError(
                    "The folder mixes grayscale and colour images: "
                    f"{seen[1]} has 1 channel, {seen[3]} has 3. Convert the files to "
                    f"one kind first. Received: path={path!r}"
                )
            if progress is not None and (i + 1) % 256 == 0:
                progress.update(i + 1)
        if progress is not None:
            progress.update(len(files), finalize=True)
        if not keep.any():
            raise ValueError(
                f"Every one of the {len(files)} images in the folder is bad (first: "
                f"{skipped[0]}). Received: path={path!r}"
            )
        if skipped and verbose:
            print(f"Skipped {len(skipped)} bad image(s), e.g. {skipped[0]}")
    if channels is None:
        channels = min(seen) if seen else 3
    files = files[keep]
    y = None if y is None else y[keep]
    images = ImageFiles(path, files, size, channels, crop)
    return ImageFolder(images, y, classes, batch_size, shuffle, seed, skipped,
                       workers=workers)
