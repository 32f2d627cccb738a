"""The zoo's training recipe (zoo/recipe.py): a divergence stops the run, and
a rerun with a changed setting resumes from the last good checkpoint.

The three runs call the recipe's `main` in this process, as three commands
would: each builds its GAN anew and restores it from the checkpoint folder
alone. A fresh process after a real kill is tests/test_resume.py's subject.
"""

import importlib.util
import json
import os
import sys

import keras
import numpy as np
import pytest

import keras_gan

# In-process runs that sample and recalibrate thousands of images (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("optimized_xla")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = os.path.join(ROOT, "zoo", "mnist-dcgan", "train.py")


@pytest.fixture
def train(tmp_path, monkeypatch, capsys):
    # main() sets KERAS_BACKEND (configure_environment), as in a command;
    # undone after the test. The script imports zoo.recipe: the checkout's root
    # is on sys.path under `python -m pytest`.
    monkeypatch.setenv("KERAS_BACKEND", keras.backend.backend())
    monkeypatch.setattr(sys, "path", list(sys.path))
    spec = importlib.util.spec_from_file_location("zoo_mnist_dcgan_train", SCRIPT)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)

    def run(*args):
        capsys.readouterr()
        script.main(script.RECIPE, [
            "--backend", keras.backend.backend(), "--data", str(tmp_path / "tiny.npz"),
            "--work", str(tmp_path / "work"), "--train-only", "--save-freq", "2", *args])
        return capsys.readouterr().out

    return run


@pytest.mark.once  # the recipe's stop-and-resume logic; resume per backend: test_resume
def test_diverged_run_resumes_from_last_good_checkpoint_with_a_changed_setting(tmp_path, train):
    with np.load(os.path.join(ROOT, "keras_gan", "data", "mnist_sample.npz")) as f:
        x = f["x_train"][:64]
    np.savez(tmp_path / "tiny.npz", x_train=x, y_train=np.zeros(len(x), "uint8"))
    # 64 images at batch 32: 2 steps an epoch, a checkpoint every 2 steps.
    train("--epochs", "1")
    with pytest.raises(keras_gan.errors.DivergenceError, match="ckpt-0000000002"):
        train("--epochs", "3", "--set", "optimizer.g_lr=1e38", "--set", "optimizer.d_lr=1e38")
    out = train("--epochs", "3", "--set", "optimizer.g_lr=1e-4", "--set", "optimizer.d_lr=1e-4")
    # It resumed at the last good checkpoint, with the new learning rates.
    assert "resumed from" in out and "ckpt-0000000002" in out, out
    assert "generator learning rate 0.0001 (the checkpoint had 0.001)" in out
    record = json.loads((tmp_path / "work" / "train_record.json").read_text())
    assert record["steps"] == 6
    # Three commands, three runs in the card's wall-time note (not one per fit call).
    assert json.loads((tmp_path / "work" / "timing.json").read_text())["runs"] == 3
    gan = keras.saving.load_model(str(tmp_path / "work" / "gan.keras"))
    assert not keras_gan.callbacks.checkpoint.nonfinite_weights(gan)
    # The new learning rate is the one that trained after the resume.
    assert float(keras.ops.convert_to_numpy(gan.generator_optimizer.learning_rate)) == pytest.approx(1e-4)
