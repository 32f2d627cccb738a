"""The built wheel works on its own: a fresh virtual environment with one backend.

Builds the wheel (`pip wheel --no-deps`), installs it with JAX into a new
venv (no access to this checkout: the script runs from a temporary folder),
and checks that the package data came along: the zoo table, the MNIST
classifier's weights, the bundled MNIST sample, and that a 2-step `fit` runs.
About 40 s, most of it pip installing JAX and Keras (without byte-compiling).
"""

import os
import subprocess
import sys
import zipfile

import pytest

pytestmark = pytest.mark.once

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = r"""
import json, os, sys
os.environ["KERAS_BACKEND"] = "jax"
import numpy as np
import keras_gan
assert "site-packages" in keras_gan.__file__, keras_gan.__file__
names = [m["name"] for m in keras_gan.zoo.list_models()]
ex = keras_gan.extractors.MNISTClassifier()            # shipped weights
x, y, source = keras_gan.data.load_mnist(keras_gan.data.mnist.SAMPLE_PATH, split="test")
probs = ex.probabilities(x[:200])
G = keras_gan.models.dcgan_generator(8, (28, 28, 1), filters=(8, 4))
D = keras_gan.models.dcgan_discriminator((28, 28, 1), filters=(4, 8))
gan = keras_gan.GAN(G, D, 8, seed=0)
gan.compile()
gan.fit(keras_gan.data.to_gan_range(x[:16]), epochs=1, batch_size=8, verbose=0)
print(json.dumps({"models": names, "accuracy": float((probs.argmax(1) == y[:200]).mean()),
                  "steps": int(gan.optimizer.iterations), "version": keras_gan.__version__}))
"""


def test_wheel_installs_and_runs_with_one_backend(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", ROOT, "--no-deps", "-q", "-w",
                    str(dist)], check=True, timeout=300, capture_output=True)
    (wheel,) = list(dist.glob("keras_gan-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for data in ("keras_gan/zoo/presets.json", "keras_gan/data/mnist_sample.npz",
                 "keras_gan/cli/launcher.py"):
        assert data in names, data
    assert any(n.startswith("keras_gan/extractors/weights/") and n.endswith(".h5")
               for n in names)
    assert not any(n.startswith(("tests/", "zoo/", "docs/")) for n in names)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = str(venv / "bin" / "python")
    # --no-compile: byte-compiling JAX and Keras is much of the install time
    # (the test took 65 s in a full run before, 38 s alone after).
    proc = subprocess.run([python, "-m", "pip", "install", "-q", "--no-compile", "-c",
                           os.path.join(ROOT, "constraints.txt"), str(wheel), "jax"],
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "KERAS"))}
    proc = subprocess.run([python, "-c", SCRIPT], cwd=str(tmp_path), env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    import json

    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert {"mnist-dcgan", "mnist-wgan-gp", "mnist-cdcgan"} <= set(result["models"])
    assert result["accuracy"] > 0.95 and result["steps"] == 2
    proc = subprocess.run([str(venv / "bin" / "keras-gan"), "--version"], capture_output=True,
                          text=True, timeout=60)
    assert proc.stdout.strip() == f"keras-gan {result['version']}"
