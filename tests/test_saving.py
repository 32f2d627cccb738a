"""Saving: .keras round trips, resuming, cross-backend weights, generator export."""

import json
import os
import subprocess
import sys

import keras
import numpy as np
import pytest
from helpers import LATENT
from helpers import all_state
from helpers import tiny_gan
from helpers import tiny_images
from helpers import tiny_labels

import keras_gan

BACKENDS = ("tensorflow", "jax", "torch")


def same_config(a, b):
    """GAN configs equal, nested models compared by architecture (layer
    names are re-numbered when a model is rebuilt in the same session)."""
    nested = ("generator", "discriminator")
    if {k: v for k, v in a.items() if k not in nested} != {
        k: v for k, v in b.items() if k not in nested
    }:
        return False
    for key in nested:
        la, lb = a[key]["config"]["layers"], b[key]["config"]["layers"]
        strip = lambda c: {k: v for k, v in c["config"].items() if k != "name"}
        if [l["class_name"] for l in la] != [l["class_name"] for l in lb]:
            return False
        if [strip(l) for l in la] != [strip(l) for l in lb]:
            return False
    return True


def build(conditional=False):
    gan = tiny_gan(
        conditional,
        loss="hinge",
        penalty=keras_gan.penalties.R1(gamma=1.0, interval=2),
        d_steps=2,
        ema_decay=0.9,
        seed=3,
    )
    gan.compile(
        keras.optimizers.Adam(1e-3, beta_1=0.5),
        keras.optimizers.RMSprop(5e-4),
    )
    return gan


def fit_args(conditional):
    x = tiny_images(32)
    return (x, tiny_labels(32)) if conditional else (x,)


@pytest.mark.parametrize("conditional", [False, True])
def test_keras_round_trip_restores_state(tmp_path, conditional):
    gan = build(conditional)
    gan.fit(*fit_args(conditional), batch_size=16, epochs=1, verbose=0, shuffle=False)
    path = str(tmp_path / "gan.keras")
    gan.save(path)
    loaded = keras.saving.load_model(path)
    assert type(loaded) is type(gan)
    assert same_config(loaded.get_config(), gan.get_config())
    assert loaded.get_compile_config() == gan.get_compile_config()
    assert int(loaded.optimizer.iterations) == 2
    assert int(loaded.discriminator_optimizer.iterations) == 4
    before, after = all_state(gan), all_state(loaded)
    assert len(before) == len(after)
    for a, b in zip(before, after, strict=True):
        np.testing.assert_array_equal(a, b)
    assert isinstance(loaded.generator_optimizer, keras.optimizers.Adam)
    assert isinstance(loaded.discriminator_optimizer, keras.optimizers.RMSprop)


@pytest.mark.parametrize("conditional", [False, True])
def test_resume_matches_uninterrupted_training(tmp_path, conditional):
    args = fit_args(conditional)
    keras.utils.set_random_seed(7)
    straight = build(conditional)
    straight.fit(*args, batch_size=16, epochs=2, verbose=0, shuffle=False)

    keras.utils.set_random_seed(7)
    first = build(conditional)
    first.fit(*args, batch_size=16, epochs=1, verbose=0, shuffle=False)
    first.save(str(tmp_path / "half.keras"))
    resumed = keras.saving.load_model(str(tmp_path / "half.keras"))
    resumed.fit(*args, batch_size=16, epochs=1, verbose=0, shuffle=False)

    assert int(resumed.optimizer.iterations) == 4
    for a, b in zip(all_state(straight), all_state(resumed), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_config_round_trip():
    for conditional in (False, True):
        gan = tiny_gan(
            conditional,
            loss="least_squares",
            penalty=keras_gan.penalties.DRAGAN(weight=3.0, c=0.2, interval=4),
            d_steps=3,
            ema_decay=0.99,
            data_range=(0.0, 1.0),
            seed=11,
            name="my_gan",
        )
        config = gan.get_config()
        restored = type(gan).from_config(json.loads(json.dumps(config)))
        assert same_config(restored.get_config(), config)
        assert restored.name == "my_gan"
        assert restored.d_steps == 3 and restored.ema_decay == 0.99
        assert restored.data_range == (0.0, 1.0) and restored.seed == 11
        assert restored.penalty.get_config() == gan.penalty.get_config()


def test_gan_optimizer_config_round_trip():
    opt = keras_gan.GANOptimizer(
        keras.optimizers.Adam(1e-4, beta_1=0.0, beta_2=0.99),
        keras.optimizers.SGD(0.1, momentum=0.9),
        name="pair",
    )
    config = keras.optimizers.serialize(opt)
    restored = keras.optimizers.deserialize(json.loads(json.dumps(config)))
    assert restored.get_config() == opt.get_config()
    with pytest.raises(ValueError, match="two separate"):
        same = keras.optimizers.Adam()
        keras_gan.GANOptimizer(same, same)


def test_export_generator(tmp_path):
    gan = build()
    gan.fit(tiny_images(16), batch_size=16, epochs=1, verbose=0)
    z = np.random.default_rng(0).normal(size=(5, LATENT)).astype("float32")
    for use_ema in (True, False):
        path = str(tmp_path / f"g_{use_ema}.keras")
        gan.export_generator(path, use_ema=use_ema)
        G = keras.saving.load_model(path)
        assert not isinstance(G, keras_gan.GAN)
        np.testing.assert_allclose(
            keras.ops.convert_to_numpy(G(z, training=False)),
            gan.generate(z, use_ema=use_ema),
            rtol=1e-5,
            atol=1e-6,
        )


SAVER = """
import sys, numpy as np, keras
sys.path.insert(0, {tests!r})
from helpers import tiny_gan, tiny_images, LATENT
keras.utils.set_random_seed(0)
gan = tiny_gan(loss="wasserstein", penalty="wgan_gp", ema_decay=0.9, seed=1)
gan.compile()
gan.fit(tiny_images(32), batch_size=16, epochs=1, verbose=0)
gan.save_weights({out!r} + "/gan.weights.h5")
gan.save({out!r} + "/gan.keras")
z = np.random.default_rng(0).normal(size=(4, LATENT)).astype("float32")
np.savez({out!r} + "/ref.npz", z=z, ema=gan.generate(z), raw=gan.generate(z, use_ema=False))
"""


def test_weights_from_another_backend_load(tmp_path):
    here = keras.backend.backend()
    other = BACKENDS[(BACKENDS.index(here) + 1) % 3]
    script = SAVER.format(tests=os.path.dirname(__file__), out=str(tmp_path))
    env = dict(os.environ, KERAS_BACKEND=other)
    subprocess.run([sys.executable, "-c", script], env=env, check=True, timeout=300)
    ref = np.load(tmp_path / "ref.npz")

    gan = tiny_gan(loss="wasserstein", penalty="wgan_gp", ema_decay=0.9, seed=1)
    gan.load_weights(str(tmp_path / "gan.weights.h5"))
    np.testing.assert_allclose(gan.generate(ref["z"]), ref["ema"], rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(
        gan.generate(ref["z"], use_ema=False), ref["raw"], rtol=1e-4, atol=1e-5
    )
    loaded = keras.saving.load_model(str(tmp_path / "gan.keras"))
    np.testing.assert_allclose(loaded.generate(ref["z"]), ref["ema"], rtol=1e-4, atol=1e-5)
    assert int(loaded.optimizer.iterations) == 2
    loaded.fit(tiny_images(16), batch_size=16, epochs=1, verbose=0)  # keeps training
    assert int(loaded.optimizer.iterations) == 3
