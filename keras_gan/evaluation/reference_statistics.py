"""Real-data statistics for the metrics, computed once and cached on disk."""

import hashlib
import os
import tempfile
import warnings

import numpy as np

from keras_gan import extractors as extractors_lib
from keras_gan.metrics.neighbours import knn_radii

FORMAT_VERSION = 1
DEFAULT_KS = (3, 5)
NAMED_DATASETS = ("mnist-train", "mnist-test", "colour-mnist32-train", "colour-mnist32-test")


def default_cache_dir():
    """`$KERAS_GAN_CACHE`, else `~/.cache/keras_gan`, + `/reference_stats`."""
    base = os.environ.get("KERAS_GAN_CACHE") or os.path.join(
        os.path.expanduser("~"), ".cache", "keras_gan"
    )
    return os.path.join(base, "reference_stats")


def array_sha256(x):
    """sha256 of an array's dtype, shape and bytes."""
    x = np.ascontiguousarray(x)
    digest = hashlib.sha256(f"{x.dtype}{x.shape}".encode())
    digest.update(x.tobytes())
    return digest.hexdigest()


class ReferenceStatistics:
    """What the metrics need to know about the real data, for one extractor.

    Holds the mean and covariance of the real features (for FID, over all
    real images), up to `max_features` of the features themselves (for
    KID, precision/recall, density/coverage) and their k-NN radii. It is
    keyed by the extractor's name and weights fingerprint and the data's
    sha256, so a cache entry is never used with other weights or data.

    Args:
        dataset: a name for the data (e.g. "mnist-test").
        extractor: the extractor name.
        extractor_sha256: `FeatureExtractor.fingerprint()`.
        data_sha256: sha256 of the real images.
        count: number of real images summarised.
        mean: float64 `(D,)` mean of the real features.
        covariance: float64 `(D, D)` covariance of the real features.
        features: float32 `(n, D)`, n <= count.
        radii: `{k: (n,) float32}` k-NN radii of `features`.
    """

    def __init__(self, dataset, extractor, extractor_sha256, data_sha256, count, mean,
                 covariance, features, radii=None):
        self.dataset = dataset
        self.extractor = extractor
        self.extractor_sha256 = extractor_sha256
        self.data_sha256 = data_sha256
        self.count = int(count)
        self.mean = np.asarray(mean, "float64")
        self.covariance = np.asarray(covariance, "float64")
        self.features = np.asarray(features, "float32")
        self.radii = {int(k): np.asarray(v, "float32") for k, v in (radii or {}).items()}

    @property
    def feature_dim(self):
        return int(self.mean.shape[0])

    def gaussian(self):
        """`(mean, covariance)` for `FrechetDistance(reference=...)`."""
        return self.mean, self.covariance

    def radii_for(self, k):
        """k-NN radii of the stored features (computed and kept on first use)."""
        if k not in self.radii:
            centred = (self.features - self.mean).astype("float32")
            self.radii[k] = knn_radii(centred, k)[k]
        return self.radii[k]

    def save(self, path):
        """Writes an `.npz` atomically (temp file + rename)."""
        arrays = dict(
            format_version=np.int64(FORMAT_VERSION), dataset=np.str_(self.dataset),
            extractor=np.str_(self.extractor),
            extractor_sha256=np.str_(self.extractor_sha256),
            data_sha256=np.str_(self.data_sha256), count=np.int64(self.count),
            mean=self.mean, covariance=self.covariance, features=self.features,
        )
        for k, v in self.radii.items():
            arrays[f"radii_{k}"] = v
        folder = os.path.dirname(os.path.abspath(path))
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(suffix=".npz", dir=folder)
        try:
            with os.fdopen(fd, "wb") as f:
                np.savez(f, **arrays)
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.remove(tmp)
            raise

    @classmethod
    def load(cls, path):
        """Reads a file written by `save` (no pickles)."""
        with np.load(path, allow_pickle=False) as f:
            if int(f["format_version"]) != FORMAT_VERSION:
                raise ValueError(f"Unsupported reference statistics format in {path}.")
            radii = {int(k[6:]): f[k] for k in f.files if k.startswith("radii_")}
            return cls(
                str(f["dataset"]), str(f["extractor"]), str(f["extractor_sha256"]),
                str(f["data_sha256"]), int(f["count"]), f["mean"], f["covariance"],
                f["features"], radii,
            )

    def describe(self):
        return {"dataset": self.dataset, "count": self.count,
                "n_features": int(len(self.features))}


def compute_reference_statistics(images, extractor="mnist_classifier", dataset="custom",
                                 data_range="auto", max_features=10000, seed=0,
                                 ks=DEFAULT_KS, verbose=0):
    """Extracts features of real images and summarises them.

    The mean and covariance use every image; a random subset of
    `max_features` (seeded) is kept for the feature-based metrics.

    Args:
        images: real images (any layout/range `standardize_images` accepts).
        extractor: a name or `FeatureExtractor`.
        dataset: name recorded with the statistics.
        data_range: value range of `images`, or "auto".
        max_features: features kept for KID / precision-recall / coverage.
        seed: seed of the subset choice.
        ks: k-NN radii to precompute.
        verbose: 1 shows a progress bar.

    Returns:
        A `ReferenceStatistics`.
    """
    extractor = extractors_lib.get(extractor)
    images = np.asarray(images)
    feats = extractor.extract(images, data_range, verbose=verbose)["features"]
    if len(feats) < 2:
        raise ValueError(
            f"Reference data needs at least 2 images. Received: images.shape={images.shape}"
        )
    f64 = feats.astype("float64")
    mean, cov = f64.mean(axis=0), np.cov(f64, rowvar=False)
    if len(feats) > max_features:
        keep = np.sort(np.random.default_rng(seed).choice(len(feats), max_features, replace=False))
        feats = feats[keep]
    stats = ReferenceStatistics(dataset, extractor.name, extractor.fingerprint(),
                                array_sha256(images), len(f64), mean, cov, feats)
    for k in ks:
        if k < len(stats.features):
            stats.radii_for(k)
    return stats


def _load_named(name, data_path, allow_sample):
    from keras_gan.data.colour_mnist import colour_mnist
    from keras_gan.data.mnist import load_mnist

    base, split = name.rsplit("-", 1)
    try:
        x, _, source = load_mnist(data_path, split=split, allow_sample=allow_sample)
        if base == "colour-mnist32":  # built from MNIST, colour seed 0 (train) / 1 (test)
            x = colour_mnist(x, image_size=32, seed={"train": 0, "test": 1}[split])["images"]
            if source == "bundled-sample":
                return x, "colour-mnist32-sample-" + split
    except FileNotFoundError as e:
        raise FileNotFoundError(
            f"Cannot build the {name!r} reference: {e} Pass the path of "
            "mnist.npz (data_path= / --data) or connect to the internet once."
        ) from None
    return x, ("mnist-sample-" + split if source == "bundled-sample" else name)


def load_reference_statistics(reference="mnist-test", extractor="mnist_classifier",
                              data_path=None, cache_dir=None, max_features=10000,
                              allow_sample=False, data_range="auto", verbose=0):
    """Reference statistics from a name, images or a file, cached on disk.

    Args:
        reference: `"mnist-test"` / `"mnist-train"`, `"colour-mnist32-test"` /
            `"colour-mnist32-train"` (Colour MNIST 32, built from MNIST with
            `keras_gan.data.colour_mnist`), a path to an `.npz`
            (reference statistics written by `ReferenceStatistics.save`, or
            images under `x`/`images`/the first key) or `.npy` of real
            images, an image array, or a `ReferenceStatistics` (returned
            as is after checking the extractor).
        extractor: a name or `FeatureExtractor`.
        data_path: path of `mnist.npz` for the MNIST names.
        cache_dir: cache folder (default `default_cache_dir()`); None uses
            the default, False disables caching.
        max_features: features kept for the feature-based metrics.
        allow_sample: let the MNIST names fall back to the bundled sample
            (500 test / 2,000 train digits; a warning says so).
        data_range: value range of reference images, or "auto".
        verbose: 1 shows a progress bar while extracting.

    Returns:
        A `ReferenceStatistics`.
    """
    extractor = extractors_lib.get(extractor)
    if isinstance(reference, ReferenceStatistics):
        return _check_matches(reference, extractor)
    if isinstance(reference, str) and reference in NAMED_DATASETS:
        images, dataset = _load_named(reference, data_path, allow_sample)
    elif isinstance(reference, str):
        if not os.path.exists(reference):
            raise FileNotFoundError(
                f"reference must be one of {', '.join(NAMED_DATASETS)} or an existing "
                f".npz/.npy file. Received: reference={reference!r}"
            )
        from keras_gan.evaluation.sample_io import load_images
        from keras_gan.evaluation.sample_io import read_arrays

        if reference.endswith(".npz") and "format_version" in read_arrays(reference):
            return _check_matches(ReferenceStatistics.load(reference), extractor)

        images = load_images(reference)
        dataset = os.path.basename(reference)
    else:
        images, dataset = np.asarray(reference), "custom"
    key = "-".join([dataset, extractor.name, extractor.fingerprint()[:12],
                    array_sha256(images)[:12], str(max_features)])
    path = None
    if cache_dir is not False:
        path = os.path.join(cache_dir or default_cache_dir(), key + ".npz")
        if os.path.exists(path):
            try:
                return _check_matches(ReferenceStatistics.load(path), extractor)
            except Exception as e:  # a damaged cache entry is rebuilt
                warnings.warn(f"Ignoring unreadable reference cache {path}: {e}", stacklevel=2)
    stats = compute_reference_statistics(images, extractor, dataset, data_range,
                                         max_features, verbose=verbose)
    if path is not None:
        stats.save(path)
    return stats


def _check_matches(stats, extractor):
    if stats.extractor != extractor.name or stats.extractor_sha256 != extractor.fingerprint():
        raise ValueError(
            "These reference statistics were computed with another extractor "
            f"({stats.extractor}, weights {stats.extractor_sha256[:12]}) than the "
            f"one in use ({extractor.name}, weights {extractor.fingerprint()[:12]}). "
            "Recompute them."
        )
    return stats
