"""A small MNIST classifier used as the feature extractor for MNIST metrics."""

import os

import keras
from keras import layers

from keras_gan.extractors.feature_extractor import FeatureExtractor

WEIGHTS_PATH = os.path.join(
    os.path.dirname(__file__), "weights", "mnist_classifier.weights.h5"
)


NOT_A_DIGIT = 10


def mnist_classifier_model(num_classes=11, name="mnist_classifier"):
    """The extractor's network: a 4-convolution CNN with a 128-d feature layer.

    `Conv(32) -> pool -> Conv(64) -> Conv(64) -> pool -> Conv(128) -> pool ->
    Dense(128) [features] -> ReLU -> Dropout(0.4) -> Dense(11) [logits]`,
    every convolution 3x3 followed by BatchNormalization and ReLU. Input:
    `(N, 28, 28, 1)` float images in [0, 1]. Classes 0-9 are the digits;
    class 10 means "not a digit" (noise, scrambled strokes, blank images),
    so that garbage gets features of its own instead of the features of
    the digit it looks least unlike.

    Args:
        num_classes: size of the logits.
        name: model name.

    Returns:
        A functional `keras.Model` with two outputs, `features` (N, 128),
        the pre-activation of the penultimate layer, and `logits`
        (N, num_classes).

    Example:
        >>> model = mnist_classifier_model()
        >>> [tuple(t.shape) for t in model.outputs]
        [(None, 128), (None, 11)]
    """
    inputs = keras.Input((28, 28, 1), name="images")
    features, x = classifier_trunk(inputs)
    logits = layers.Dense(num_classes, name="logits")(x)
    return keras.Model(inputs, {"features": features, "logits": logits}, name=name)


def classifier_trunk(inputs):
    """The extractors' shared body: four 3x3 convolutions, then the 128-d feature layer.

    `Conv(32) -> pool -> Conv(64) -> Conv(64) -> pool -> Conv(128) -> pool ->
    Dense(128)`, each convolution with BatchNormalization and ReLU; layer
    names `conv0..3`, `bn0..3`, `pool0/2/3`, `features` (the weight files
    depend on them).

    Returns:
        `(features, hidden)`: the feature layer's pre-activations, and
        `Dropout(0.4)(ReLU(features))` for the classification head.
    """
    x = inputs
    for i, filters in enumerate((32, 64, 64, 128)):
        x = layers.Conv2D(filters, 3, padding="same", use_bias=False, name=f"conv{i}")(x)
        x = layers.BatchNormalization(name=f"bn{i}")(x)
        x = layers.ReLU()(x)
        if i != 1:
            x = layers.MaxPooling2D(name=f"pool{i}")(x)
    x = layers.Flatten()(x)
    features = layers.Dense(128, name="features")(x)
    return features, layers.Dropout(0.4)(layers.ReLU()(features))


class MNISTClassifier(FeatureExtractor):
    """Features and class probabilities from keras_gan's MNIST classifier.

    The network (`mnist_classifier_model`) was trained by
    `zoo/mnist-classifier/train.py` on the 60,000 MNIST training digits with
    shifts, rotations, zoom, background haze and pixel noise, plus an 11th
    "not a digit" class of noise and scrambled images, and reaches 99.38 %
    accuracy on the 10,000 test digits (see that folder's model card).
    Features are the 128-d pre-activations of its penultimate layer,
    scaled to unit average variance on real digits; probabilities cover
    the 10 digits and "not a digit" (index 10). Every metric computed with
    it is reported as `extractor="mnist_classifier"`.

    Args:
        weights: path to a `.weights.h5` file for `mnist_classifier_model()`
            (default: the weights shipped with keras_gan).
        batch_size: images per forward pass.

    Example:
        >>> extractor = MNISTClassifier()
        >>> feats = extractor.features(images)        # (N, 128)
        >>> probs = extractor.probabilities(images)   # (N, 10)
    """

    def __init__(self, weights=None, batch_size=500):
        path = WEIGHTS_PATH if weights is None else weights
        if not os.path.exists(path):
            raise FileNotFoundError(
                f"No weights file for the MNIST classifier. Received: weights={path!r}"
            )
        model = mnist_classifier_model()
        model.load_weights(path)
        super().__init__(model, "mnist_classifier", (28, 28, 1), batch_size=batch_size)
        self.data_classes = 10  # index 10 is "not a digit"
        self.weights = weights
        self.weights_path = path

    def get_config(self):
        return {"weights": self.weights, "batch_size": self.batch_size}
