"""Feature extractors and image standardisation."""

import numpy as np
import pytest

import keras_gan
from keras_gan import extractors
from keras_gan.extractors import standardize_images


@pytest.fixture(scope="module")
def mnist_sample():
    x, y, _ = keras_gan.data.load_mnist(keras_gan.data.mnist.SAMPLE_PATH, split="test")
    return x, y


@pytest.fixture(scope="module")
def classifier():
    return extractors.MNISTClassifier()


def test_every_layout_and_range_standardizes_to_the_same_images():
    rng = np.random.default_rng(0)
    u8 = rng.integers(0, 256, size=(5, 28, 28)).astype("uint8")
    expected = u8[..., None].astype("float32") / 255.0
    variants = {
        "uint8 NHW": u8,
        "uint8 NHWC": u8[..., None],
        "uint8 NCHW": u8[:, None],
        "float 0..1": u8 / 255.0,
        "float -1..1": u8 / 127.5 - 1.0,
        "float 0..255": u8.astype("float64"),
        "int64 0..255": u8.astype("int64"),
        "float32 NCHW -1..1": (u8[:, None] / 127.5 - 1.0).astype("float32"),
    }
    for name, x in variants.items():
        out, _ = standardize_images(x)
        np.testing.assert_allclose(out, expected, atol=1e-6, err_msg=name)
    out, used = standardize_images(u8 / 255.0, data_range="-1,1")  # explicit wins
    assert used == "-1,1" and out.min() >= 0.5 - 1e-6


@pytest.mark.parametrize("images,match", [
    (np.zeros((4, 28, 28, 2)), r"images.shape=\(4, 28, 28, 2\)"),
    (np.zeros((4, 28)), r"images.shape=\(4, 28\)"),
    (np.zeros((0, 28, 28)), "No images"),
    (np.full((3, 28, 28), 300.0), "max=300"),
    (np.array([["a"]]), "dtype"),
])
def test_standardize_rejects_bad_images(images, match):
    with pytest.raises(ValueError, match=match):
        standardize_images(images)


def test_standardize_names_nonfinite_images():
    x = np.zeros((6, 28, 28), "float32")
    x[4, 3, 3] = np.inf
    x[5, 0, 0] = np.nan
    with pytest.raises(ValueError, match=r"2 of 6 images \(first bad index: 4\)"):
        standardize_images(x)
    with pytest.raises(ValueError, match="data_range='0,1'"):
        standardize_images(np.full((2, 4, 4), -1.0), data_range="0,1")
    with pytest.raises(ValueError, match="data_range='1,2,3'"):
        standardize_images(np.zeros((2, 4, 4)), data_range="1,2,3")


def test_mnist_classifier_is_accurate_and_calibrated(classifier, mnist_sample):
    x, y = mnist_sample
    out = classifier.extract(x)
    assert out["features"].shape == (500, 128)
    np.testing.assert_allclose(out["probabilities"].sum(axis=1), 1.0, rtol=1e-5)
    accuracy = np.mean(out["probabilities"].argmax(axis=1) == y)
    assert accuracy >= 0.99, accuracy
    assert out["probabilities"].shape == (500, 11)
    # Features are unit-scale on real digits (the recipe normalises them).
    assert 0.5 < out["features"].std(axis=0).mean() < 1.5


def test_mnist_classifier_is_robust_to_haze_and_noise(classifier, mnist_sample):
    x, y = mnist_sample
    clean = x.astype("float32") / 255.0
    rng = np.random.default_rng(0)
    hazy = np.clip(0.1 + 0.9 * clean + 0.05 * rng.standard_normal(clean.shape), 0, 1)
    a, b = classifier.extract(clean), classifier.extract(hazy.astype("float32"))
    assert np.mean(b["probabilities"].argmax(1) == y) >= 0.98
    cos = np.sum(a["features"] * b["features"], 1) / (
        np.linalg.norm(a["features"], axis=1) * np.linalg.norm(b["features"], axis=1))
    assert np.median(cos) > 0.9, np.median(cos)


def test_mnist_classifier_rejects_noise_as_not_a_digit(classifier):
    rng = np.random.default_rng(5)
    noise = rng.uniform(0, 1, (200, 28, 28)).astype("float32")
    probs = classifier.probabilities(noise)
    assert np.mean(probs.argmax(1) == extractors.mnist_classifier.NOT_A_DIGIT) > 0.99


def test_mnist_classifier_full_test_accuracy(classifier, mnist_path):
    x, y, _ = keras_gan.data.load_mnist(mnist_path, split="test")
    accuracy = np.mean(classifier.probabilities(x).argmax(axis=1) == y)
    assert accuracy >= 0.993, accuracy


def test_mnist_classifier_pinned_feature_slice(classifier, mnist_sample):
    # Same weights file, same numbers, on every backend.
    x, _ = mnist_sample
    feats = classifier.features(x[:2])
    np.testing.assert_allclose(feats[:, :4], PINNED_FEATURES, rtol=1e-3, atol=1e-3)


def test_extractor_rejects_mismatched_images(classifier):
    with pytest.raises(ValueError, match=r"size 28x28\. Received: images of size 32x32"):
        classifier.extract(np.zeros((2, 32, 32), "uint8"))
    with pytest.raises(ValueError, match="Received: images with 3 channels"):
        classifier.extract(np.zeros((2, 28, 28, 3), "uint8"))


def test_extractor_fingerprint_tracks_weights(classifier):
    other = extractors.MNISTClassifier()
    assert other.fingerprint() == classifier.fingerprint()
    kernel = other.model.get_layer("logits").kernel
    kernel.assign(kernel.value * 1.001)
    other._fingerprint = None
    assert other.fingerprint() != classifier.fingerprint()


def test_inception_v3_code_path_with_random_weights():
    ext = extractors.InceptionV3(weights=None, input_size=75, batch_size=2)
    gray = np.random.default_rng(0).integers(0, 256, (3, 28, 28)).astype("uint8")
    out = ext.extract(gray)  # grayscale is tiled to RGB and resized
    assert out["features"].shape == (3, 2048)
    assert out["probabilities"].shape == (3, 1000)
    assert ext.describe()["name"] == "inception_v3"
    with pytest.raises(ValueError, match="input_size=128"):
        extractors.InceptionV3(weights="imagenet", input_size=128)


def test_get_extractor_suggests_names():
    with pytest.raises(ValueError, match="Did you mean 'mnist_classifier'"):
        extractors.get("mnist_clasifier")
    with pytest.raises(FileNotFoundError, match="weights='missing.h5'"):
        extractors.MNISTClassifier(weights="missing.h5")


# Features of the first two bundled test digits with the shipped weights.
PINNED_FEATURES = np.array([[-1.44315, -0.19085, -1.34554, 0.55735],
                            [-2.12996, -2.5594, 1.17392, -1.21982]])


@pytest.fixture(scope="module")
def colour_sample(mnist_sample):
    x, y = mnist_sample  # the bundled 500 test digits, painted with the test split's seed
    data = keras_gan.data.colour_mnist(x, y, image_size=32, seed=1)
    return data["images"], y.astype("int64"), data["pairs"]


@pytest.fixture(scope="module")
def colour_classifier():
    return extractors.get("colour_mnist_classifier")


def test_colour_classifier_knows_digits_colours_and_pairs(colour_classifier, colour_sample,
                                                          mnist_sample):
    from keras_gan.extractors.colour_mnist_classifier import joint_class

    x, digits, pairs = colour_sample
    out = colour_classifier.extract(x)
    assert out["features"].shape == (500, 128) and out["probabilities"].shape == (500, 120)
    predicted = out["probabilities"].argmax(1)
    assert np.mean(predicted % 12 == pairs) == 1.0
    assert np.mean(predicted // 12 == digits) >= COLOUR_DIGIT_ACCURACY
    assert np.mean(predicted == joint_class(digits, pairs)) >= COLOUR_DIGIT_ACCURACY
    assert 0.5 < out["features"].std(axis=0).mean() < 1.5  # unit-scale on real images
    # A digit in another colour pair is another class, and far in feature space.
    swapped = keras_gan.data.colour_mnist(mnist_sample[0][:50], digits[:50], seed=7)
    moved = swapped["pairs"] != pairs[:50]
    assert (colour_classifier.probabilities(swapped["images"]).argmax(1)[moved] % 12
            == swapped["pairs"][moved]).all()


def test_colour_classifier_pinned_feature_slice(colour_classifier, colour_sample):
    feats = colour_classifier.features(colour_sample[0][:2])
    np.testing.assert_allclose(feats[:, :4], PINNED_COLOUR_FEATURES, rtol=1e-3, atol=1e-3)


def test_colour_mnist_reference_by_name(colour_classifier, tmp_path):
    ev = keras_gan.evaluation.Evaluator("colour-mnist32-test", colour_classifier,
                                        metrics=["fid", "precision_recall"],
                                        data_path=keras_gan.data.mnist.SAMPLE_PATH,
                                        cache_dir=str(tmp_path))
    assert ev.reference.dataset == "colour-mnist32-test" and ev.reference.count == 500
    assert ev.reference.extractor == "colour_mnist_classifier"


# The shipped colour_mnist_classifier: 99.35 % of the 10,000 held-out Colour
# MNIST 32 test images right (digit and colour pair); 99.6 % of this sample.
COLOUR_DIGIT_ACCURACY = 0.99
PINNED_COLOUR_FEATURES = np.array([[-1.62074, -1.98801, -1.81853, -1.57188],
                                   [-1.55208, -1.73837, -1.45621, -1.3584]])
