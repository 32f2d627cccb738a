"""Feature extractors for sample-quality metrics."""

import difflib

from keras_gan.extractors.colour_mnist_classifier import ColourMNISTClassifier
from keras_gan.extractors.colour_mnist_classifier import colour_mnist_classifier_model
from keras_gan.extractors.feature_extractor import FeatureExtractor
from keras_gan.extractors.images import standardize_images
from keras_gan.extractors.inception_v3 import InceptionV3
from keras_gan.extractors.mnist_classifier import MNISTClassifier
from keras_gan.extractors.mnist_classifier import mnist_classifier_model

EXTRACTORS = {"mnist_classifier": MNISTClassifier, "inception_v3": InceptionV3,
              "colour_mnist_classifier": ColourMNISTClassifier}


def get(identifier, **kwargs):
    """A `FeatureExtractor` from a name (`"mnist_classifier"`, `"colour_mnist_classifier"`,
    `"inception_v3"`) or itself."""
    if isinstance(identifier, FeatureExtractor):
        return identifier
    if isinstance(identifier, str) and identifier in EXTRACTORS:
        return EXTRACTORS[identifier](**kwargs)
    close = difflib.get_close_matches(str(identifier), list(EXTRACTORS), n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise ValueError(
        f"Unknown extractor.{hint} Valid names: {', '.join(sorted(EXTRACTORS))}. "
        f"Received: extractor={identifier!r}"
    )
