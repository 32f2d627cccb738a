"""Reference statistics cache, Evaluator and EvaluationCallback."""

import os

import keras
import numpy as np
import pytest

import keras_gan
from keras_gan import evaluation
from keras_gan.evaluation import reference_statistics as refstats


@pytest.fixture(scope="module")
def sample():
    path = keras_gan.data.mnist.SAMPLE_PATH
    xtr, ytr, _ = keras_gan.data.load_mnist(path, split="train")
    xte, yte, _ = keras_gan.data.load_mnist(path, split="test")
    return xtr, ytr, xte, yte


@pytest.fixture(scope="module")
def extractor():
    return keras_gan.extractors.MNISTClassifier()


@pytest.fixture(scope="module")
def evaluator(sample, extractor, tmp_path_factory):
    return evaluation.Evaluator(sample[0], extractor, kid_subsets=20, kid_subset_size=200,
                                cache_dir=str(tmp_path_factory.mktemp("cache")))


def test_reference_cache_is_reused_and_keyed_by_weights_and_data(sample, extractor, tmp_path,
                                                                 monkeypatch):
    xtr = sample[0][:300]
    first = evaluation.load_reference_statistics(xtr, extractor, cache_dir=str(tmp_path))
    files = os.listdir(tmp_path)
    assert len(files) == 1 and extractor.fingerprint()[:12] in files[0]
    assert first.count == 300 and first.features.shape == (300, 128)
    np.testing.assert_allclose(first.mean, extractor.features(xtr).astype("float64").mean(0),
                               rtol=1e-5, atol=1e-6)

    def fail(*args, **kwargs):
        raise AssertionError("recomputed although cached")

    monkeypatch.setattr(refstats, "compute_reference_statistics", fail)
    again = evaluation.load_reference_statistics(xtr, extractor, cache_dir=str(tmp_path))
    np.testing.assert_array_equal(again.covariance, first.covariance)
    np.testing.assert_array_equal(again.radii_for(3), first.radii_for(3))
    monkeypatch.undo()

    # Other data -> another entry.
    evaluation.load_reference_statistics(xtr[:200], extractor, cache_dir=str(tmp_path))
    assert len(os.listdir(tmp_path)) == 2
    # Changed weights -> another entry, and old statistics are refused.
    changed = keras_gan.extractors.MNISTClassifier()
    bias = changed.model.get_layer("features").bias
    bias.assign(bias.value + 0.01)
    changed._fingerprint = None
    evaluation.load_reference_statistics(xtr, changed, cache_dir=str(tmp_path))
    assert len(os.listdir(tmp_path)) == 3
    with pytest.raises(ValueError, match="another extractor"):
        evaluation.load_reference_statistics(first, changed)


def test_reference_statistics_file_round_trip(sample, extractor, tmp_path):
    stats = evaluation.compute_reference_statistics(sample[0][:100], extractor, "tiny")
    path = str(tmp_path / "ref.npz")
    stats.save(path)
    loaded = evaluation.load_reference_statistics(path, extractor)
    assert loaded.dataset == "tiny" and loaded.count == 100
    np.testing.assert_array_equal(loaded.features, stats.features)
    assert sorted(loaded.radii) == [3, 5]


def test_reference_needs_mnist_or_says_what_to_do(extractor, tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr(keras.datasets.mnist, "load_data", lambda: (_ for _ in ()).throw(
        OSError("offline")))
    with pytest.raises(FileNotFoundError, match="data_path= / --data"):
        evaluation.load_reference_statistics("mnist-test", extractor, cache_dir=False)
    stats = evaluation.load_reference_statistics("mnist-test", extractor, cache_dir=False,
                                                 allow_sample=True)
    assert stats.dataset == "mnist-sample-test" and stats.count == 500


def test_evaluator_ranks_corruptions_like_a_person(evaluator, sample):
    _, _, xte, yte = sample
    rng = np.random.default_rng(0)
    clean = xte / 255.0
    noisy = np.clip(clean + 0.3 * rng.standard_normal(clean.shape), 0, 1)
    uniform = rng.uniform(0, 1, clean.shape)
    with pytest.warns(UserWarning, match="ideally 10000"):
        scores = [evaluator.score_images(x, labels=yte) for x in (xte, noisy, uniform)]
    fids = [s["fid"] for s in scores]
    kids = [s["kid"] for s in scores]
    assert fids[0] < fids[1] < fids[2], fids
    assert kids[0] < kids[1] < kids[2], kids
    assert scores[0]["precision"] > 0.8 and scores[0]["recall"] > 0.8
    assert scores[2]["precision"] < 0.1 and scores[2]["coverage"] < 0.1
    assert scores[0]["classifier_score"] > 8 > scores[2]["classifier_score"]
    assert scores[0]["class_accuracy"] >= 0.99
    for s in scores:
        assert s["extractor"] == "mnist_classifier" and s["n_samples"] == 500
        assert s["reference"] == "custom" and s["n_reference"] == 2000


def test_evaluator_rejects_bad_input(evaluator):
    with pytest.raises(ValueError, match="first bad index: 1"):
        evaluator.score_images(np.stack([np.zeros((28, 28)), np.full((28, 28), np.nan)]))
    with pytest.raises(ValueError, match=r"Too few samples .*Received: 3 samples"):
        evaluator.score_images(np.zeros((3, 28, 28), "uint8"))
    with pytest.raises(ValueError, match="Received: metrics=\\['fid', 'is'\\]"):
        evaluation.Evaluator(evaluator.reference, evaluator.extractor, metrics=["fid", "is"])
    with pytest.raises(ValueError, match=r"labels.shape=\(2,\)"):
        evaluator.score_images(np.zeros((5, 28, 28), "uint8"), labels=[1, 2])


def _gan(conditional=False):
    if conditional:
        G = keras_gan.models.conditional_dcgan_generator(8, 10, (28, 28, 1), embedding_dim=4,
                                                         filters=(8, 8, 4))
        D = keras_gan.models.conditional_dcgan_discriminator(10, (28, 28, 1), filters=(4, 8))
        return keras_gan.ConditionalGAN(G, D, 8, num_classes=10)
    G = keras_gan.models.dcgan_generator(8, (28, 28, 1), filters=(8, 8, 4))
    D = keras_gan.models.dcgan_discriminator((28, 28, 1), filters=(4, 8))
    return keras_gan.GAN(G, D, 8)


def test_score_generator_is_seeded_and_balanced(evaluator):
    gan = _gan(conditional=True)
    a = evaluator.score_generator(gan, n_samples=200, seed=3)
    b = evaluator.score_generator(gan, n_samples=200, seed=3)
    assert a["fid"] == b["fid"] and "class_accuracy" in a
    images, labels, _ = evaluation.draw_samples(gan.generator, 30, seed=1)
    np.testing.assert_array_equal(np.bincount(labels), np.full(10, 3))
    assert images.shape == (30, 28, 28, 1)


@pytest.mark.once  # NumPy only
def test_labels_in_shares():
    # Shares 1/3 and 2/3 of 10: exact counts 3.33 and 6.67 -> 3 and 7.
    np.testing.assert_array_equal(evaluation.labels_in_shares(10, [0, 1, 1]), [0] * 3 + [1] * 7)
    # MNIST's training labels (counts 5,923 / 6,742 / 5,958 / 6,131 / 5,842 /
    # 5,421 / 5,918 / 6,265 / 5,851 / 5,949) scaled to 10,000 samples by hand:
    # 987.17, 1123.67, 993.0, 1021.83, 973.67, 903.5, 986.33, 1044.17, 975.17,
    # 991.5; floors sum to 9,995, and the five largest remainders (.83, .67,
    # .67, .5, .5) get one more each.
    y = np.repeat(np.arange(10), [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949])
    got = np.bincount(evaluation.labels_in_shares(10000, y[::-1].reshape(-1, 2)))
    np.testing.assert_array_equal(got, [987, 1124, 993, 1022, 974, 904, 986, 1044, 975, 991])
    # Balanced data gives the balanced labels; a class the data lacks gets none.
    np.testing.assert_array_equal(np.bincount(evaluation.labels_in_shares(30, np.arange(10))),
                                  np.full(10, 3))
    np.testing.assert_array_equal(
        np.bincount(evaluation.labels_in_shares(4, [0, 2], num_classes=4), minlength=4),
        [2, 0, 2, 0])
    with pytest.raises(ValueError, match="Received: num_classes=2"):
        evaluation.labels_in_shares(4, [0, 2], num_classes=2)
    with pytest.raises(ValueError, match="dtype=float64"):
        evaluation.labels_in_shares(4, [0.0, 1.0])
    with pytest.raises(ValueError, match="n=0"):
        evaluation.labels_in_shares(0, [0, 1])


def test_callback_logs_metrics_for_checkpoint_and_early_stopping(evaluator, sample, tmp_path):
    x = keras_gan.data.to_gan_range(sample[0][:256])
    gan = _gan()
    gan.compile()
    best = str(tmp_path / "best.keras")
    callback = keras_gan.callbacks.EvaluationCallback(evaluator, epoch_freq=2, n_samples=100,
                                                      verbose=0)
    history = gan.fit(x, batch_size=64, epochs=3, verbose=0, callbacks=[
        callback,
        keras.callbacks.ModelCheckpoint(best, monitor="fid", mode="min", save_best_only=True),
        keras.callbacks.EarlyStopping(monitor="fid", mode="min", patience=5),
    ])
    # epoch_freq=2 and the last epoch: epochs 2 and 3.
    assert [h["epoch"] for h in callback.history] == [2, 3]
    assert len(history.history["fid"]) == 2
    assert history.history["fid"] == [h["fid"] for h in callback.history]
    for key in ("kid", "classifier_score", "precision", "recall", "density", "coverage"):
        assert key in history.history
    # The callback saw the trained weights, not a stale copy (JAX's state sync).
    # It scores as the cards do: batch-norm statistics recalibrated first.
    after = evaluator.score_generator(gan, n_samples=100, seed=0, recalibrate=True)
    assert after["fid"] == pytest.approx(callback.history[-1]["fid"], rel=1e-6)
    assert os.path.exists(best)
    assert isinstance(keras.saving.load_model(best), keras_gan.GAN)


def test_callback_argument_errors():
    with pytest.raises(ValueError, match="epoch_freq=0"):
        keras_gan.callbacks.EvaluationCallback(epoch_freq=0)
    with pytest.raises(ValueError, match="not both"):
        keras_gan.callbacks.EvaluationCallback(object(), data_path="x")
