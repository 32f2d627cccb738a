"""`keras-gan evaluate`: inputs of every accepted form, JSON output, one-line errors."""

import json
import os
import subprocess
import sys

import keras
import numpy as np
import pytest
from PIL import Image

import keras_gan
from keras_gan.cli.main import main

REPO = os.path.join(os.path.dirname(__file__), "..")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cli")
    path = keras_gan.data.mnist.SAMPLE_PATH
    xtr, _, _ = keras_gan.data.load_mnist(path, split="train")
    xte, yte, _ = keras_gan.data.load_mnist(path, split="test")
    x = xte[:200]
    out = {"reference": str(tmp / "real.npz"), "cache": str(tmp / "cache")}
    np.savez(out["reference"], x=xtr)
    out["npz"] = str(tmp / "uint8.npz")
    np.savez(out["npz"], samples=x, labels=yte[:200])
    out["npy"] = str(tmp / "nchw.npy")
    np.save(out["npy"], (x[:, None] / 255.0).astype("float32"))
    out["npy_signed"] = str(tmp / "nhwc_signed.npy")
    np.save(out["npy_signed"], (x[..., None] / 127.5 - 1).astype("float32"))
    folder = tmp / "pngs"
    folder.mkdir()
    for i, img in enumerate(x):
        Image.fromarray(img).save(folder / f"{i:04d}.png")
    out["png"] = str(folder)
    return out


def run_cli(capsys, *argv):
    code = main(["evaluate", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def common(files):
    return ["--reference", files["reference"], "--cache-dir", files["cache"],
            "--kid-subsets", "10", "--kid-subset-size", "100"]


def test_json_output_is_the_same_for_every_input_form(files, capsys):
    results = {}
    for key in ("npz", "npy", "npy_signed", "png"):
        code, out, err = run_cli(capsys, files[key], "--json", *common(files))
        assert code == 0, err
        results[key] = json.loads(out)
    for key in ("fid", "kid", "classifier_score", "precision", "recall", "n_samples",
                "extractor", "density", "coverage", "reference"):
        assert key in results["npz"]
    assert results["npz"]["extractor"] == "mnist_classifier"
    assert results["npz"]["n_samples"] == 200
    assert results["npz"]["class_accuracy"] >= 0.98  # labels stored in the npz
    for key in ("npy", "npy_signed", "png"):
        assert results[key]["fid"] == pytest.approx(results["npz"]["fid"], rel=1e-4, abs=1e-4)
        assert results[key]["precision"] == pytest.approx(results["npz"]["precision"], abs=0.01)


def test_table_output_names_extractor_and_warns_about_count(files, capsys):
    code, out, _ = run_cli(capsys, files["npz"], *common(files))
    assert code == 0
    assert "FID" in out and "mnist_classifier" in out and "200 samples" in out
    assert "fewer than 10,000 samples" in out


def test_scores_a_saved_gan(files, capsys, tmp_path):
    G = keras_gan.models.dcgan_generator(8, (28, 28, 1), filters=(8, 8, 4))
    D = keras_gan.models.dcgan_discriminator((28, 28, 1), filters=(4, 8))
    gan = keras_gan.GAN(G, D, 8)
    gan.compile()
    path = str(tmp_path / "gan.keras")
    gan.save(path)
    code, out, err = run_cli(capsys, path, "--json", "--n-samples", "150", "--seed", "4",
                             *common(files))
    assert code == 0, err
    result = json.loads(out)
    assert result["n_samples"] == 150 and result["fid"] > 0
    gan.export_generator(str(tmp_path / "g.keras"))
    code, out, err = run_cli(capsys, str(tmp_path / "g.keras"), "--json", "--n-samples", "150",
                             *common(files))
    assert code == 0, err


@pytest.mark.parametrize("make,match", [
    (lambda t: str(t / "missing.npz"), "missing.npz"),
    (lambda t: _save(t / "bad_shape.npy", np.zeros((20, 28, 28, 2), "uint8")),
     r"images.shape=\(20, 28, 28, 2\)"),
    (lambda t: _save(t / "nan.npy", np.full((20, 28, 28), np.nan, "float32")),
     "NaN or inf"),
    (lambda t: _save(t / "big.npy", np.zeros((20, 32, 32), "uint8")),
     "size 28x28"),
    (lambda t: _save(t / "few.npy", np.zeros((2, 28, 28), "uint8")), "Too few samples"),
])
def test_errors_are_one_line_with_nonzero_exit(files, capsys, tmp_path, make, match):
    code, out, err = run_cli(capsys, make(tmp_path), *common(files))
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) >= 1 and "Traceback" not in err
    assert lines[-1].startswith("keras-gan evaluate: error:")
    assert __import__("re").search(match, lines[-1]), lines[-1]


def test_bad_numbers_and_range(files, capsys):
    code, _, err = run_cli(capsys, files["npz"], "--n-samples", "0", *common(files))
    assert code == 2 and "--n-samples=0" in err
    code, _, err = run_cli(capsys, files["npz"], "--range", "0,2,3", *common(files))
    assert code == 2 and "data_range='0,2,3'" in err


def _save(path, array):
    np.save(path, array)
    return str(path)


def test_console_script_sets_backend_and_fails_cleanly(tmp_path):
    other = {"tensorflow": "torch", "jax": "tensorflow", "torch": "jax"}[keras.backend.backend()]
    env = dict(os.environ, PYTHONPATH=os.path.abspath(REPO))
    proc = subprocess.run(
        [sys.executable, "-c", "import sys; from keras_gan.cli.launcher import main; sys.exit(main())",
         "--backend", other, "evaluate", str(tmp_path / "nothing.npz")],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "nothing.npz" in proc.stderr.strip().splitlines()[-1]
    help_text = subprocess.run(
        [sys.executable, "-c", "import sys; from keras_gan.cli.launcher import main; sys.exit(main())",
         "evaluate", "--help"], capture_output=True, text=True, env=env, timeout=300,
    ).stdout
    assert "--json" in help_text and "10,000" in help_text
