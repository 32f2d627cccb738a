"""InceptionV3 pool features for RGB datasets (the usual FID extractor)."""

import keras

from keras_gan.extractors.feature_extractor import FeatureExtractor
from keras_gan.validation import check_positive_int


class InceptionV3(FeatureExtractor):
    """2048-d average-pool features and ImageNet class probabilities of InceptionV3.

    Uses `keras.applications.InceptionV3` (Szegedy et al., 2016): images are
    tiled to RGB, resized bilinearly to `input_size` and scaled to [-1, 1];
    features are the global-average-pool output, probabilities the
    1000-way softmax. Note: Keras' ImageNet weights are not the
    `pt_inception-2015-12-05` graph used by the original TF FID code, so the
    numbers are comparable with each other, not with published FIDs.

    Args:
        weights: `"imagenet"` (downloaded once by Keras into
            `~/.keras/models`), None for random weights (tests), or a path
            to a weights file.
        input_size: side the images are resized to (at least 75).
        batch_size: images per forward pass.

    Example:
        >>> extractor = InceptionV3()                  # needs the download
        >>> feats = extractor.features(rgb_images)     # (N, 2048)
    """

    def __init__(self, weights="imagenet", input_size=299, batch_size=64):
        input_size = check_positive_int("input_size", input_size, minimum=75)
        base = keras.applications.InceptionV3(
            include_top=True, weights=weights, input_shape=(input_size, input_size, 3),
            classifier_activation=None,
        ) if input_size == 299 or weights is None else None
        if base is None:  # ImageNet weights with the top need 299x299 inputs
            raise ValueError(
                "Pretrained InceptionV3 weights need input_size=299. "
                f"Received: input_size={input_size!r}, weights={weights!r}"
            )
        pool = base.get_layer("avg_pool").output
        model = keras.Model(base.input, {"features": pool, "logits": base.output},
                            name="inception_v3_features")
        super().__init__(
            model, "inception_v3", (input_size, input_size, 3), input_range=(-1.0, 1.0),
            resize_to=(input_size, input_size), batch_size=batch_size,
        )
        self.weights = weights
        self.input_size = input_size

    def get_config(self):
        return {"weights": self.weights, "input_size": self.input_size,
                "batch_size": self.batch_size}
