"""`import keras_gan` loads Keras only when a name needs it; entry points set the
environment through `configure_environment` first (docs/design.md, "Entry
points and the environment")."""

import os
import subprocess
import sys

import keras
import pytest
from helpers import tiny_gan
from helpers import tiny_images

import keras_gan
from keras_gan.utils.environment import configure_environment

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HEAVY = ("keras", "tensorflow", "jax", "torch")


def python(code):
    env = dict(os.environ, KERAS_BACKEND=keras.backend.backend())
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout.strip().splitlines()[-1]


def test_launcher_and_package_import_no_framework():
    out = python(
        "import sys\n"
        "import keras_gan, keras_gan.cli.launcher, keras_gan.cli.main\n"
        "from keras_gan.utils.environment import configure_environment\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    assert out == "[]"


def test_names_load_on_first_access():
    out = python(
        "import sys\n"
        "import keras_gan\n"
        "listed = {'GAN', 'models', 'save_image_grid', '__version__'} <= set(dir(keras_gan))\n"
        "before = 'keras' in sys.modules\n"
        "from keras_gan import GAN\n"
        "ok = GAN is keras_gan.gan.GAN and callable(keras_gan.models.dcgan_generator)\n"
        "print(listed, before, ok, 'keras' in sys.modules)")
    assert out == "True False True True"


def test_load_model_after_import_keras_then_keras_gan(tmp_path):
    gan = tiny_gan(False, seed=0)
    gan.compile()
    gan.fit(tiny_images(16), batch_size=8, epochs=1, verbose=0)
    path = str(tmp_path / "gan.keras")
    gan.save(path)
    out = python(
        "import keras, keras_gan\n"
        f"gan = keras.saving.load_model({path!r})\n"
        "print(type(gan).__name__, int(gan.optimizer.iterations))")
    assert out == "GAN 2"


def test_configure_environment(monkeypatch):
    monkeypatch.delenv("TF_CPP_MIN_LOG_LEVEL", raising=False)
    monkeypatch.setenv("TF_ENABLE_ONEDNN_OPTS", "0")  # an explicit value wins
    current = keras.backend.backend()
    assert configure_environment(current) == current
    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == "3"
    assert os.environ["TF_ENABLE_ONEDNN_OPTS"] == "0"
    with pytest.raises(ValueError, match="Received: backend='tensorlfow'"):
        configure_environment("tensorlfow")
    other = "jax" if current != "jax" else "torch"
    with pytest.raises(RuntimeError, match=f"already imported with backend '{current}'"):
        configure_environment(other)
    assert os.environ["KERAS_BACKEND"] == current
    assert keras_gan.GAN is keras_gan.gan.GAN
