"""A Colour MNIST 32 classifier: the feature extractor for colour-digit metrics."""

import os

import keras
from keras import layers
from keras import ops

from keras_gan.extractors.feature_extractor import FeatureExtractor
from keras_gan.extractors.mnist_classifier import classifier_trunk

WEIGHTS_PATH = os.path.join(
    os.path.dirname(__file__), "weights", "colour_mnist_classifier.weights.h5"
)
NUM_DIGITS = 10
NUM_PAIRS = 12  # keras_gan.data.PAIRS


def joint_class(digit, pair):
    """The classifier's class of a digit drawn in a colour pair: `digit * 12 + pair`."""
    return digit * NUM_PAIRS + pair


def colour_mnist_classifier_model(num_classes=NUM_DIGITS * NUM_PAIRS, factorized=True,
                                  name="colour_mnist_classifier"):
    """The extractor's network: a 4-convolution CNN with a 128-d feature layer.

    `Conv(32) -> pool -> Conv(64) -> Conv(64) -> pool -> Conv(128) -> pool ->
    Dense(128) [features] -> ReLU -> Dropout(0.4) -> logits`, every
    convolution 3x3 followed by BatchNormalization and ReLU (the MNIST
    classifier's layout, on `(N, 32, 32, 3)` images in [0, 1]). The 120
    classes are every (digit, colour pair) of Colour MNIST 32:
    `joint_class(digit, pair)`, so the features must tell shape, colour
    and their pairing apart. With `factorized=True` the logits are
    `a_digit + b_pair` from a 10-way digit head and a 12-way colour head
    (the shipped model: its digit accuracy is that of a 10-way classifier);
    else one `Dense(num_classes)`.

    Args:
        num_classes: size of the logits (without `factorized`).
        factorized: digit and colour heads, summed into the joint logits.
        name: model name.

    Returns:
        A functional `keras.Model` with outputs `features` (N, 128) and
        `logits` (N, num_classes).

    Example:
        >>> model = colour_mnist_classifier_model()
        >>> tuple(model.outputs[1].shape)
        (None, 120)
    """
    inputs = keras.Input((32, 32, 3), name="images")
    features, x = classifier_trunk(inputs)
    if not factorized:
        logits = layers.Dense(num_classes, name="logits")(x)
        return keras.Model(inputs, {"features": features, "logits": logits}, name=name)
    # logit(digit, pair) = a_digit + b_pair: a digit head and a colour head,
    # read as one distribution over the 120 (digit, pair) classes.
    digit = layers.Dense(NUM_DIGITS, name="digit_logits")(x)
    pair = layers.Dense(NUM_PAIRS, name="pair_logits")(x)
    logits = ops.reshape(ops.expand_dims(digit, 2) + ops.expand_dims(pair, 1),
                         (-1, NUM_DIGITS * NUM_PAIRS))
    return keras.Model(inputs, {"features": features, "logits": logits}, name=name)


class ColourMNISTClassifier(FeatureExtractor):
    """Features and class probabilities for Colour MNIST 32 (`keras_gan.data.colour_mnist`).

    The network (`colour_mnist_classifier_model`) was trained by
    `python -m zoo.train colour-mnist-classifier` on the 60,000 Colour MNIST
    32 training images (colour seed 0) with small shifts and pixel noise,
    and gets 99.35 % of the 10,000 held-out test images (colour seed 1)
    right, digit and colour pair (the pair: 100 %; model card:
    zoo/colour-mnist-classifier/README.md). Features are
    the 128-d pre-activations of its penultimate layer, scaled to unit
    average variance on real images; probabilities cover the 120
    (digit, colour pair) classes. Metrics computed with it are reported as
    `extractor="colour_mnist_classifier"`.

    Args:
        weights: path to a `.weights.h5` file for
            `colour_mnist_classifier_model()` (default: the shipped weights).
        batch_size: images per forward pass.

    Example:
        >>> ev = keras_gan.evaluation.Evaluator("colour-mnist32-test",
        ...                                     extractor="colour_mnist_classifier")
    """

    def __init__(self, weights=None, batch_size=500):
        path = WEIGHTS_PATH if weights is None else weights
        if not os.path.exists(path):
            raise FileNotFoundError(
                f"No weights file for the Colour MNIST classifier. Received: weights={path!r}"
            )
        model = colour_mnist_classifier_model()
        model.load_weights(path)
        super().__init__(model, "colour_mnist_classifier", (32, 32, 3), batch_size=batch_size)
        self.weights = weights
        self.weights_path = path

    def get_config(self):
        return {"weights": self.weights, "batch_size": self.batch_size}
