"""The speed benchmark's native code still runs and builds the same GAN.

Not a timing test (the benchmark is `benchmarks/training_speed.py`): it
checks that the native step of the current backend's framework runs (both
objectives, finite losses that move) and that its model is the size of
keras_gan's DCGAN pair, so the comparison stays like with like.
"""

import importlib
import os
import sys

import keras
import numpy as np
import pytest

import keras_gan

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODULES = {"tensorflow": "tf_dcgan", "torch": "torch_dcgan", "jax": "jax_dcgan"}


@pytest.fixture(scope="module")
def native():
    if keras.backend.backend() == "jax":
        pytest.importorskip("flax", reason="the JAX native code needs the bench extra")
        pytest.importorskip("optax", reason="the JAX native code needs the bench extra")
    sys.path.insert(0, ROOT)
    try:
        yield importlib.import_module(f"benchmarks.native.{MODULES[keras.backend.backend()]}")
    finally:
        sys.path.remove(ROOT)


def test_native_model_is_keras_gans_dcgan_size(native):
    _, n_params = native.build("ns")
    G = keras_gan.models.dcgan_generator(100, (28, 28, 1))
    D = keras_gan.models.dcgan_discriminator((28, 28, 1))
    # Weights + batch-norm statistics of G, and D's weights.
    assert n_params == sum(int(np.prod(w.shape)) for w in G.weights + D.weights) == 2_543_809


@pytest.mark.parametrize("objective", ["ns", "wgan_gp"])
def test_native_step_runs(native, objective):
    step, _ = native.build(objective)
    x = native.to_batch(
        np.random.default_rng(0).uniform(-1, 1, (128, 28, 28, 1)).astype("float32")
    )
    first = native.sync(step(x))
    second = native.sync(step(x))
    assert len(first) == 2 and np.all(np.isfinite(first + second))
    assert first != second  # the weights moved
