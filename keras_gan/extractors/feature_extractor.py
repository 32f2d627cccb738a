"""The feature-extractor interface shared by all sample-quality metrics."""

import hashlib

import keras
import numpy as np
from keras import layers
from keras import ops

from keras_gan.extractors.images import standardize_images
from keras_gan.validation import check_positive_int


class FeatureExtractor:
    """Wraps a Keras model that maps images to features (and class scores).

    Images of any accepted layout and range (see `standardize_images`) are
    brought to [0, 1], tiled from 1 to 3 channels when the model wants RGB,
    resized when `resize_to` is set, mapped to `input_range`, and run
    through `model` in batches (the compiled `predict` of the backend).

    Args:
        model: a `keras.Model` taking `(N, H, W, C)` images and returning
            either a features tensor `(N, D)` or a dict with `"features"`
            and optionally `"logits"` (softmaxed into class probabilities).
        name: the extractor's name, reported next to every metric.
        image_shape: `(H, W, C)` the model takes.
        input_range: value range the model expects, e.g. `(0, 1)`.
        resize_to: `(H, W)` to resize inputs to (bilinear); None requires
            inputs of exactly `image_shape`.
        batch_size: images per forward pass.

    Example:
        >>> model = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Flatten()])
        >>> ext = FeatureExtractor(model, "flat", (8, 8, 1))
        >>> ext.extract(np.zeros((4, 8, 8), "uint8"))["features"].shape
        (4, 64)
    """

    def __init__(self, model, name, image_shape, input_range=(0.0, 1.0), resize_to=None,
                 batch_size=256):
        batch_size = check_positive_int("batch_size", batch_size)
        self.model = model
        self.name = name
        self.image_shape = tuple(int(s) for s in image_shape)
        self.input_range = tuple(float(v) for v in input_range)
        self.resize_to = None if resize_to is None else tuple(int(s) for s in resize_to)
        self.batch_size = batch_size
        self._wrappers = {}
        self._fingerprint = None
        outputs = model.output if hasattr(model, "output") else None
        self.has_logits = isinstance(outputs, dict) and "logits" in outputs
        feats = outputs["features"] if isinstance(outputs, dict) else outputs
        self.feature_dim = int(feats.shape[-1])
        self.num_classes = int(outputs["logits"].shape[-1]) if self.has_logits else None
        # Classes of the data itself (a classifier may add rejection classes
        # after them, e.g. MNIST's "not a digit").
        self.data_classes = self.num_classes

    def fingerprint(self):
        """sha256 of the model's weight values: identifies these exact weights."""
        if self._fingerprint is None:
            digest = hashlib.sha256(self.name.encode())
            for w in self.model.weights:
                value = np.ascontiguousarray(ops.convert_to_numpy(w), dtype="float32")
                digest.update(str(value.shape).encode())
                digest.update(value.tobytes())
            self._fingerprint = digest.hexdigest()
        return self._fingerprint

    def check_images(self, images):
        """Raises if `(N, H, W, C)` images cannot be fed to this extractor."""
        h, w, c = images.shape[1:]
        want_h, want_w, want_c = self.image_shape
        if c != want_c and not (c == 1 and want_c == 3):
            raise ValueError(
                f"The {self.name} extractor takes {want_c}-channel images "
                f"{self.image_shape}. Received: images with {c} channels, "
                f"shape {(h, w, c)}"
            )
        if self.resize_to is None and (h, w) != (want_h, want_w):
            raise ValueError(
                f"The {self.name} extractor takes images of size "
                f"{want_h}x{want_w}. Received: images of size {h}x{w}, shape "
                f"{(h, w, c)}"
            )

    def _wrapper(self, shape):
        if shape not in self._wrappers:
            x = inputs = keras.Input(shape)
            if shape[-1] == 1 and self.image_shape[-1] == 3:
                x = layers.Concatenate()([x, x, x])
            if self.resize_to is not None and tuple(shape[:2]) != self.resize_to:
                x = layers.Resizing(*self.resize_to, interpolation="bilinear")(x)
            low, high = self.input_range
            if (low, high) != (0.0, 1.0):
                x = layers.Rescaling(high - low, offset=low)(x)
            out = self.model(x, training=False)
            if not isinstance(out, dict):
                out = {"features": out}
            result = {"features": out["features"]}
            if "logits" in out:
                result["probabilities"] = layers.Softmax(dtype="float32")(out["logits"])
            self._wrappers[shape] = keras.Model(inputs, result)
        return self._wrappers[shape]

    def extract(self, images, data_range="auto", verbose=0):
        """Features (and class probabilities) of a batch of images.

        Args:
            images: `(N, H, W)`, `(N, H, W, C)` or `(N, C, H, W)` array,
                uint8 or float (see `standardize_images`).
            data_range: `"auto"`, `"0,1"`, `"-1,1"`, `"0,255"` or a pair.
            verbose: 1 shows a progress bar.

        Returns:
            dict with `features` float32 `(N, D)`, `probabilities` float32
            `(N, K)` (or None) and `data_range` (the range used).
        """
        x, used = standardize_images(images, data_range)
        self.check_images(x)
        wrapper = self._wrapper(tuple(x.shape[1:]))
        out = wrapper.predict(x, batch_size=self.batch_size, verbose=verbose)
        features = np.asarray(out["features"], dtype="float32")
        probs = out.get("probabilities")
        if not np.isfinite(features).all():
            raise FloatingPointError(
                f"The {self.name} extractor produced non-finite features. "
                "Received: images that the model cannot handle"
            )
        return {
            "features": features,
            "probabilities": None if probs is None else np.asarray(probs, "float32"),
            "data_range": used,
        }

    def features(self, images, data_range="auto"):
        """`(N, D)` float32 features of `images`."""
        return self.extract(images, data_range)["features"]

    def probabilities(self, images, data_range="auto"):
        """`(N, K)` class probabilities of `images` (classifier extractors only)."""
        if not self.has_logits:
            raise ValueError(f"The {self.name} extractor has no class outputs.")
        return self.extract(images, data_range)["probabilities"]

    def describe(self):
        """A short dict naming this extractor in reports."""
        return {
            "name": self.name,
            "feature_dim": self.feature_dim,
            "weights_sha256": self.fingerprint(),
        }
