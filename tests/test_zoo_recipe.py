"""The zoo's training recipe (zoo/recipe.py): a divergence stops the run, and
a rerun with a changed setting resumes from the last good checkpoint."""

import json
import os
import subprocess
import sys

import keras
import numpy as np
import pytest

import keras_gan

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = os.path.join(ROOT, "zoo", "mnist-dcgan", "train.py")


def train(tmp_path, *args):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    return subprocess.run(
        [sys.executable, SCRIPT, "--backend", keras.backend.backend(), "--data",
         str(tmp_path / "tiny.npz"), "--work", str(tmp_path / "work"), "--train-only",
         "--checkpoint-every", "2", *args],
        env=env, capture_output=True, text=True, timeout=600)


def test_diverged_run_resumes_from_last_good_checkpoint_with_a_changed_setting(tmp_path):
    with np.load(os.path.join(ROOT, "keras_gan", "data", "mnist_sample.npz")) as f:
        x = f["x_train"][:64]
    np.savez(tmp_path / "tiny.npz", x_train=x, y_train=np.zeros(len(x), "uint8"))
    # 64 images at batch 32: 2 steps an epoch, a checkpoint every 2 steps.
    first = train(tmp_path, "--epochs", "1")
    assert first.returncode == 0, first.stderr[-2000:]
    bad = train(tmp_path, "--epochs", "3", "--set", "optimizer.g_lr=1e38",
                "--set", "optimizer.d_lr=1e38")
    assert bad.returncode != 0
    assert "DivergenceError" in bad.stderr and "ckpt-0000000002" in bad.stderr, bad.stderr[-2000:]
    good = train(tmp_path, "--epochs", "3", "--set", "optimizer.g_lr=1e-4",
                 "--set", "optimizer.d_lr=1e-4")
    assert good.returncode == 0, good.stderr[-2000:]
    # It resumed at the last good checkpoint, with the new learning rates.
    assert "resumed from" in good.stdout and "ckpt-0000000002" in good.stdout, good.stdout
    assert "generator learning rate 0.0001 (the checkpoint had 0.001)" in good.stdout
    record = json.loads((tmp_path / "work" / "train_record.json").read_text())
    assert record["steps"] == 6
    gan = keras.saving.load_model(str(tmp_path / "work" / "gan.keras"))
    assert not keras_gan.callbacks.checkpoint.nonfinite_weights(gan)
    # The new learning rate is the one that trained after the resume.
    assert float(keras.ops.convert_to_numpy(gan.generator_optimizer.learning_rate)) == pytest.approx(1e-4)
