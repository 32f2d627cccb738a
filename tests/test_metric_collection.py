"""The Evaluator's metrics as a collection: columns, needs, and a metric added the new way."""

import keras
import numpy as np
import pytest

import keras_gan
from keras_gan import evaluation
from keras_gan.callbacks.evaluation_callback import EvaluationCallback
from keras_gan.cli.evaluate import format_table
from keras_gan.metrics import ClassCoverage
from keras_gan.metrics.quality_metric import quality_metric
from keras_gan.zoo.model_card import model_card


@pytest.fixture(scope="module")
def sample():
    path = keras_gan.data.mnist.SAMPLE_PATH
    xtr, _, _ = keras_gan.data.load_mnist(path, split="train")
    xte, yte, _ = keras_gan.data.load_mnist(path, split="test")
    return xtr, xte, yte


@pytest.fixture(scope="module")
def extractor():
    return keras_gan.extractors.MNISTClassifier()


def reference_class_coverage(probabilities, classes=None):
    """Independent loop version of ClassCoverage."""
    classes = probabilities.shape[1] if classes is None else classes
    predicted = [int(np.argmax(row)) for row in probabilities]
    shares = [predicted.count(c) / len(predicted) for c in range(classes)]
    return min(min(1.0, classes * s) for s in shares), shares


def test_class_coverage_against_a_reference():
    rng = np.random.default_rng(0)
    for classes, n, drop in ((10, 500, None), (10, 400, 3), (4, 37, None)):
        logits = rng.normal(size=(n, classes))
        if drop is not None:
            logits[:, drop] = -1e9  # a dropped mode
        p = np.exp(logits - logits.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        out = ClassCoverage().compute(None, evaluation.FakeFeatures(np.zeros((n, 2)), p))
        expected, shares = reference_class_coverage(p)
        np.testing.assert_allclose(out["class_coverage"], expected, rtol=1e-12)
        np.testing.assert_allclose(out["class_shares"], shares, rtol=1e-12)
        assert (out["class_coverage"] == 0.0) == (drop is not None)
    # A rejection class (the last) counts in N, not among the classes.
    p = np.eye(4)[[0, 1, 2, 3, 3, 0, 1, 2]]
    out = ClassCoverage().compute(None, evaluation.FakeFeatures(np.zeros((8, 2)), p,
                                                                data_classes=3))
    assert out["class_shares"] == [0.25, 0.25, 0.25]
    np.testing.assert_allclose(out["class_coverage"], 0.75)
    np.testing.assert_allclose(out["class_coverage"], reference_class_coverage(p, 3)[0])
    # Exactly balanced classes cover fully.
    p = np.eye(5)[np.arange(50) % 5]
    assert ClassCoverage().compute(None, evaluation.FakeFeatures(np.zeros((50, 2)), p))[
        "class_coverage"] == 1.0


def test_collection_needs_columns_and_minimum():
    c = evaluation.MetricCollection(["fid", "precision_recall", "class_coverage"])
    assert c.names == ["fid", "precision_recall", "class_coverage"]
    assert c.needs == {"moments", "features", "radii", "probabilities"}
    assert [col.key for col in c.columns] == ["fid", "precision", "recall", "class_coverage"]
    assert c.min_samples() == 4  # precision/recall with k = 3
    assert [col.direction for col in c.columns] == ["lower", "higher", "higher", "higher"]
    with pytest.raises(ValueError, match=r"Each metric once"):
        evaluation.MetricCollection(["fid", "fid"])
    with pytest.raises(ValueError, match=r"Unknown metric 'fld'.*Did you mean 'fid'"):
        evaluation.MetricCollection(["fld"])


def test_metric_config_round_trip():
    for name in evaluation.METRICS:
        metric = quality_metric.get(name)
        restored = quality_metric.get(keras.saving.serialize_keras_object(metric))
        assert type(restored) is type(metric)
        assert restored.get_config() == metric.get_config()
    kid = quality_metric.get_class("kid")(num_subsets=7, subset_size=9, seed=3)
    config = kid.get_config()
    assert type(kid)(**config).get_config() == config
    assert (config["num_subsets"], config["subset_size"], config["seed"]) == (7, 9, 3)
    # A config saved by the Evaluator's former KID class ("keras_gan>KID", "subsets").
    old = {"module": None, "class_name": "KID", "registered_name": "keras_gan>KID",
           "config": {"subsets": 7, "subset_size": 9, "seed": 3}}
    restored = quality_metric.get(old)
    assert isinstance(restored, keras_gan.metrics.KernelDistance)
    assert restored.get_config() == config


def test_one_class_per_metric_streams_and_scores(extractor, sample):
    """The class the Evaluator uses is the streaming Keras metric: same values both ways."""
    xtr, xte, _ = sample
    real = extractor.extract(xtr[:300])
    fake = extractor.extract(xte[:200])
    for name in ("fid", "kid", "precision_recall", "density_coverage", "classifier_score",
                 "class_coverage"):
        cls = quality_metric.get_class(name)
        assert issubclass(cls, keras.metrics.Metric) and cls.columns
    m = keras_gan.metrics.FrechetDistance()
    for i in range(0, 300, 128):
        m.update_state(real["features"][i:i + 128], real=True)
    for i in range(0, 200, 64):
        m.update_state(fake["features"][i:i + 64])
    assert m.feature_dim == real["features"].shape[1]
    np.testing.assert_allclose(m.result(), keras_gan.metrics.fid_from_features(
        real["features"], fake["features"]), rtol=1e-4)
    cc = keras_gan.metrics.ClassCoverage(data_classes=10)
    cc.update_state(fake["probabilities"][:77])
    cc.update_state(fake["probabilities"][77:])
    expected, shares = reference_class_coverage(fake["probabilities"], 10)
    np.testing.assert_allclose(cc.result()["class_coverage"], expected)
    cc.reset_state()
    with pytest.raises(ValueError, match="no samples"):
        cc.result()


def test_default_evaluator_reports_class_coverage(sample, extractor, tmp_path):
    xtr, xte, yte = sample
    ev = evaluation.Evaluator(xtr, extractor, kid_subsets=5, kid_subset_size=50,
                              cache_dir=str(tmp_path))
    assert "class_coverage" in ev.metrics
    with pytest.warns(UserWarning):
        scores = ev.score_images(xte)
    probs = extractor.extract(xte)["probabilities"]
    assert extractor.data_classes == 10 and probs.shape[1] == 11  # 10 = "not a digit"
    np.testing.assert_allclose(scores["class_coverage"],
                               reference_class_coverage(probs, 10)[0])
    assert 0.5 < scores["class_coverage"] <= 1.0  # real digits cover every class


@pytest.fixture
def toy_metric():
    """A metric added the new way: one class, registered; nothing else edited."""

    @evaluation.register_metric("toy_mean_norm")
    class ToyMeanNorm(evaluation.QualityMetric):
        needs = ("features",)
        columns = (evaluation.Column("toy_mean_norm", "Toy mean norm", "lower", ".3f"),)
        order = 99

        def compute(self, reference, fake):
            return {"toy_mean_norm": float(np.linalg.norm(fake.features, axis=1).mean())}

    yield ToyMeanNorm
    quality_metric._classes.pop("toy_mean_norm")


def test_a_new_metric_reaches_table_logs_and_card(toy_metric, sample, extractor, tmp_path,
                                                   monkeypatch):
    xtr, xte, _ = sample
    ev = evaluation.Evaluator(xtr, extractor, metrics=["fid", "toy_mean_norm"],
                              cache_dir=str(tmp_path))
    with pytest.warns(UserWarning):
        scores = ev.score_images(xte)
    feats = extractor.extract(xte)["features"]
    np.testing.assert_allclose(scores["toy_mean_norm"], np.linalg.norm(feats, axis=1).mean(),
                               rtol=1e-5)
    # The CLI table,
    table = format_table({**scores, "seconds": 0.0}, "x.npz", ev.columns)
    assert "Toy mean norm ↓" in table and f"{scores['toy_mean_norm']:.3f}" in table
    # the callback's logs,
    G = keras_gan.models.dcgan_generator(8, (28, 28, 1), filters=(8, 4))
    D = keras_gan.models.dcgan_discriminator((28, 28, 1), filters=(4, 8))
    gan = keras_gan.GAN(G, D, 8, seed=0)
    gan.compile()
    callback = EvaluationCallback(ev, n_samples=20, verbose=0)
    callback.set_model(gan)
    logs = {}
    with pytest.warns(UserWarning):
        callback.on_epoch_end(0, logs)
    assert set(logs) == {"fid", "toy_mean_norm"}
    # and the model card show it.
    card = model_card(gan.as_generator(), "toy", metrics=scores)
    assert f"| Toy mean norm ↓ | {scores['toy_mean_norm']:.3f} |" in card
    # and the history plot draws its curve from the callback's logs.
    from matplotlib.axes import Axes

    drawn = []
    plot = Axes.plot
    monkeypatch.setattr(Axes, "plot", lambda ax, xs, ys, *a, **k: (
        drawn.append((ax.get_title(), k.get("label"), list(ys))), plot(ax, xs, ys, *a, **k))[1])
    keras_gan.save_history_plot([{"step": 10, "d_loss": 1.0, **logs},
                                 {"step": 20, "d_loss": 0.9, **logs}], str(tmp_path / "h.png"))
    assert ("", "Toy mean norm", [logs["toy_mean_norm"]] * 2) in drawn
    # Its run record (a checkpoint's scores, a benchmark's points) keeps it too.
    assert keras_gan.metrics.metric_values(scores) == {
        "fid": scores["fid"], "toy_mean_norm": scores["toy_mean_norm"]}


@pytest.mark.once
def test_cli_help_lists_every_bundled_metric():
    """`keras-gan evaluate --help` reads the metric files, so it cannot miss one."""
    from keras_gan.cli.evaluate import bundled_metric_names

    assert bundled_metric_names() == list(evaluation.METRICS)
