"""`keras_gan.Generator` and zoo folders (save_folder / load_folder), on every backend."""

import json
import os

import keras
import numpy as np
import pytest

import keras_gan
from keras_gan.errors import ZooIntegrityError
from keras_gan.zoo import hub_folder

from helpers import mnist_gan as tiny_gan


def test_from_gan_takes_the_ema_generator_and_matches_gan_generate():
    gan = tiny_gan()
    G = keras_gan.Generator.from_gan(gan)
    assert G.network is gan.generator_ema
    z = np.random.default_rng(3).standard_normal((5, 8)).astype("float32")
    np.testing.assert_allclose(G.generate(z), gan.generate(z), atol=1e-6)
    raw = keras_gan.Generator.from_gan(gan, use_ema=False)
    assert raw.network is gan.generator
    assert np.abs(raw.generate(z) - G.generate(z)).max() > 1e-4  # EMA differs after training


def test_generate_seed_is_numpy_noise_so_every_backend_agrees():
    G = keras_gan.Generator.from_gan(tiny_gan(train=False))
    z = np.random.default_rng(7).standard_normal((4, 8)).astype("float32")
    np.testing.assert_allclose(G.generate(4, seed=7), G.generate(z), atol=1e-6)
    assert not np.allclose(G.generate(4, seed=7), G.generate(4, seed=8))
    out = G.generate(3, seed=0)
    assert out.shape == (3, 28, 28, 1) and out.min() >= -1 and out.max() <= 1


def test_conditional_generate_and_label_errors():
    G = keras_gan.Generator.from_gan(tiny_gan(conditional=True, train=False))
    assert G.conditional and G.num_classes == 10
    assert G.generate(labels=[1, 2, 3], seed=0).shape == (3, 28, 28, 1)
    assert G.generate(4, labels=5, seed=0).shape == (4, 28, 28, 1)
    with pytest.raises(ValueError, match="labels=None"):
        G.generate(3)
    with pytest.raises(ValueError, match=r"\[0, 10\)"):
        G.generate(labels=[10])
    with pytest.raises(ValueError, match="one label per sample"):
        G.generate(3, labels=[1, 2])
    U = keras_gan.Generator.from_gan(tiny_gan(train=False))
    with pytest.raises(ValueError, match="unconditional"):
        U.generate(2, labels=[1, 1])
    with pytest.raises(ValueError, match=r"z.shape=\(2, 3\)"):
        U.generate(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="n=0"):
        U.generate(0)


def test_constructor_checks_and_config_round_trip():
    G = keras_gan.Generator.from_gan(tiny_gan(conditional=True, train=False), name="g")
    config = G.get_config()
    assert {"network", "latent_dim", "num_classes", "data_range", "name"} <= set(config)
    clone = keras_gan.Generator.from_config(config)
    assert (clone.latent_dim, clone.num_classes, clone.data_range, clone.name) == (8, 10, (-1.0, 1.0), "g")
    assert clone.get_config() == config
    with pytest.raises(ValueError, match="latent_dim=0"):
        keras_gan.Generator(G.network, latent_dim=0)
    with pytest.raises(ValueError, match="num_classes=1"):
        keras_gan.Generator(G.network, latent_dim=8, num_classes=1)
    with pytest.raises(TypeError, match="network=str"):
        keras_gan.Generator("G", latent_dim=8)


@pytest.mark.parametrize("conditional", [False, True])
def test_save_folder_round_trip(tmp_path, conditional):
    gan = tiny_gan(conditional=conditional)
    folder = tmp_path / "m"
    G = keras_gan.zoo.save_folder(gan, str(folder))
    assert sorted(os.listdir(folder)) == [
        "README.md", "config.json", "metadata.json", "model.weights.h5", "samples.png"]
    meta = json.loads((folder / "metadata.json").read_text())
    assert meta["latent_dim"] == 8 and meta["image_shape"] == [28, 28, 1]
    assert meta["num_classes"] == (10 if conditional else None)
    assert meta["weights_sha256"] == hub_folder.sha256_file(folder / "model.weights.h5")
    card = (folder / "README.md").read_text()
    from huggingface_hub import ModelCard

    assert ModelCard(card).data.library_name == "keras" and "![samples](samples.png)" in card
    loaded = keras_gan.zoo.load(str(folder))
    assert isinstance(loaded, keras_gan.Generator) and isinstance(loaded, keras.Model)
    z = np.random.default_rng(0).standard_normal((6, 8)).astype("float32")
    labels = [0, 1, 2, 3, 4, 9] if conditional else None
    np.testing.assert_allclose(loaded.generate(z, labels=labels), G.generate(z, labels=labels),
                               atol=1e-6)
    from PIL import Image

    grid = Image.open(folder / "samples.png")
    assert grid.size[0] > 100 and grid.size[1] > 100


def test_corrupted_weights_are_refused(tmp_path):
    folder = tmp_path / "m"
    keras_gan.zoo.save_folder(tiny_gan(train=False), str(folder), grid=False)
    data = bytearray((folder / "model.weights.h5").read_bytes())
    data[-100] ^= 0xFF
    (folder / "model.weights.h5").write_bytes(bytes(data))
    with pytest.raises(ZooIntegrityError, match="model.weights.h5.*sha256"):
        keras_gan.zoo.load(str(folder))


def _rewrite_config(folder, edit):
    path = folder / "config.json"
    config = json.loads(path.read_text())
    edit(config)
    path.write_text(json.dumps(config))


def test_configs_that_could_run_code_are_refused(tmp_path):
    folder = tmp_path / "m"
    keras_gan.zoo.save_folder(tiny_gan(train=False), str(folder), grid=False)

    def foreign_module(config):
        config["config"]["network"]["config"]["layers"][1]["module"] = "os"

    _rewrite_config(folder, foreign_module)
    with pytest.raises(ZooIntegrityError, match="module='os'"):
        keras_gan.zoo.load(str(folder))

    def lambda_layer(config):
        layer = config["config"]["network"]["config"]["layers"][1]
        layer["module"], layer["class_name"] = "keras.layers", "Lambda"

    keras_gan.zoo.save_folder(tiny_gan(train=False), str(folder), grid=False)
    _rewrite_config(folder, lambda_layer)
    with pytest.raises(ZooIntegrityError, match="Lambda"):
        keras_gan.zoo.load(str(folder))

    def not_a_generator(config):
        config["registered_name"] = "keras_gan>GAN"

    keras_gan.zoo.save_folder(tiny_gan(train=False), str(folder), grid=False)
    _rewrite_config(folder, not_a_generator)
    with pytest.raises(ZooIntegrityError, match="registered_name='keras_gan>GAN'"):
        keras_gan.zoo.load(str(folder))


def test_missing_files_and_bad_arguments(tmp_path):
    folder = tmp_path / "m"
    keras_gan.zoo.save_folder(tiny_gan(train=False), str(folder), grid=False)
    os.remove(folder / "metadata.json")
    with pytest.raises(FileNotFoundError, match="lacks metadata.json"):
        keras_gan.zoo.load(str(folder))
    with pytest.raises(FileNotFoundError, match="No such folder"):
        keras_gan.zoo.load(str(tmp_path / "nope"))
    with pytest.raises(TypeError, match="name_or_handle=3"):
        keras_gan.zoo.load(3)
    with pytest.raises(ValueError, match="hf://owner/repo"):
        keras_gan.zoo.load("hf://just-a-name")
    with pytest.raises(ValueError, match="no revisions"):
        keras_gan.zoo.load(str(tmp_path), revision="main")


def test_gan_generate_and_generator_generate_agree_for_a_seed():
    gan = tiny_gan()
    np.testing.assert_allclose(gan.generate(6, seed=4),
                               keras_gan.Generator.from_gan(gan).generate(6, seed=4), atol=1e-6)
    assert not np.allclose(gan.generate(6), gan.generate(6))  # no seed: fresh noise


def _batch_norms(network):
    return [layer for layer in network._flatten_layers(include_self=False)
            if isinstance(layer, keras.layers.BatchNormalization)]


def test_recalibrated_batch_norm_reproduces_the_training_mode_output():
    """One batch: inference with the new statistics = training mode on that batch."""
    gan = tiny_gan()
    G = keras_gan.Generator.from_gan(gan)   # the frozen EMA copy
    bns = _batch_norms(G.network)
    assert len(bns) == 3 and not G.network.trainable
    momenta = [layer.momentum for layer in bns]
    z = np.random.default_rng(4).standard_normal((64, 8)).astype("float32")
    twin = keras.models.clone_model(G.network)
    twin.set_weights(G.network.get_weights())
    for layer in _batch_norms(twin):   # batch statistics in training mode
        layer.trainable = True
    expected = keras.ops.convert_to_numpy(twin(z, training=True))  # batch statistics
    before = G.generate(z)
    assert np.abs(before - expected).max() > 1e-3  # the copied statistics differ
    assert G.recalibrate_batch_norm(n_samples=64, batch_size=64, seed=4) == 3
    np.testing.assert_allclose(G.generate(z), expected, atol=2e-5)
    # settings restored; the GAN's next step copies the online statistics back
    assert [layer.momentum for layer in bns] == momenta
    assert not any(layer.trainable for layer in bns)


def test_recalibrated_statistics_are_the_mean_of_the_batch_moments():
    """Several batches, checked against NumPy on the first batch norm's input."""
    G = keras_gan.Generator.from_gan(tiny_gan(train=False))
    first = _batch_norms(G.network)[0]
    probe = keras.Model(G.network.inputs, first.input)  # Dense output: no BN before it
    assert G.recalibrate_batch_norm(n_samples=100, batch_size=32, seed=9) == 3
    rng = np.random.default_rng(9)
    means, variances = [], []
    for n in (32, 32, 32, 4):  # the last batch is smaller, and weighs as much
        h = keras.ops.convert_to_numpy(
            probe(rng.standard_normal((n, 8)).astype("float32"))).astype("float64")
        axes = tuple(range(h.ndim - 1))
        means.append(h.mean(axes))
        variances.append(h.var(axes))
    np.testing.assert_allclose(keras.ops.convert_to_numpy(first.moving_mean),
                               np.mean(means, 0), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(first.moving_variance),
                               np.mean(variances, 0), rtol=1e-4, atol=1e-5)


def test_recalibrate_conditional_and_without_batch_norm():
    G = keras_gan.Generator.from_gan(tiny_gan(conditional=True, train=False))
    assert G.recalibrate_batch_norm(n_samples=40, batch_size=16) >= 1
    assert np.isfinite(G.generate(labels=[0, 9], seed=1)).all()
    plain = keras.Sequential([keras.Input((8,)), keras.layers.Dense(28 * 28, activation="tanh"),
                              keras.layers.Reshape((28, 28, 1))])
    G2 = keras_gan.Generator(plain, latent_dim=8)
    weights = [w.copy() for w in plain.get_weights()]
    assert G2.recalibrate_batch_norm() == 0
    for a, b in zip(weights, plain.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="n_samples"):
        G.recalibrate_batch_norm(n_samples=0)
