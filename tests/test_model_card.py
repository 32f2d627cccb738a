"""Model cards: huggingface_hub metadata with evaluation results, and how to load."""

import pytest
from huggingface_hub import ModelCard

import keras_gan
from keras_gan.zoo.model_card import model_card

pytestmark = pytest.mark.once

METRICS = {"fid": 8.6, "kid": 0.4, "kid_std": 0.01, "precision": 0.58, "recall": 0.77,
           "class_coverage": 0.9, "n_samples": 10000, "n_reference": 10000,
           "reference": "mnist-test", "extractor": "mnist_classifier",
           "extractor_sha256": "0123456789abcdef"}


def _generator(conditional=False):
    if conditional:
        net = keras_gan.models.conditional_dcgan_generator(8, 10, (28, 28, 1), filters=(8, 4))
        return keras_gan.Generator(net, 8, num_classes=10)
    return keras_gan.Generator(keras_gan.models.dcgan_generator(8, (28, 28, 1),
                                                                filters=(8, 4)), 8)


def test_card_metadata_parses_with_huggingface_hub():
    text = model_card(_generator(), "mnist-dcgan", "A DCGAN.", metrics=METRICS,
                      hub_repo="keras-gan/mnist-dcgan", tags=("extra",))
    card = ModelCard(text)
    data = card.data.to_dict()
    assert data["library_name"] == "keras" and data["license"] == "apache-2.0"
    assert data["datasets"] == ["ylecun/mnist"]
    assert data["pipeline_tag"] == "unconditional-image-generation"
    assert {"keras-gan", "gan", "extra"} <= set(data["tags"])
    (result,) = data["model-index"][0]["results"]
    assert result["dataset"]["type"] == "ylecun/mnist" and result["dataset"]["split"] == "test"
    metrics = {m["type"]: m for m in result["metrics"]}
    assert set(metrics) == {"fid", "kid", "precision", "recall", "class_coverage"}
    assert metrics["fid"]["value"] == 8.6 and metrics["fid"]["args"]["direction"] == "lower"
    for m in metrics.values():
        assert m["args"]["extractor"] == "mnist_classifier"
        assert m["args"]["n_samples"] == 10000 and m["args"]["reference"] == "mnist-test"
    # Both ways to load are on the card.
    assert 'keras_gan.zoo.load("mnist-dcgan")' in text
    assert 'keras.saving.load_model("hf://keras-gan/mnist-dcgan")' in text
    assert "import keras_gan" in text.split("keras.saving.load_model")[0].split("```python")[-1]


def test_card_without_metrics_or_repo():
    text = model_card(_generator(conditional=True), "my-gan")
    data = ModelCard(text).data.to_dict()
    assert "model-index" not in data and "class-conditional" in data["tags"]
    assert "keras.saving.load_model" not in text  # no repo known: no Hub snippet
