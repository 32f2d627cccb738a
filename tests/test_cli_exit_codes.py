"""`keras-gan` exit codes: 0 ok, 2 usage/input, 1 runtime (network, integrity, divergence), 130 Ctrl-C."""

import os

import numpy as np
import pytest

import keras_gan
from keras_gan.cli import main as cli

pytestmark = pytest.mark.once  # the dispatch does not depend on the backend


def run(capsys, argv):
    try:
        code = cli.main(argv)
    except SystemExit as e:  # argparse
        code = e.code
    err = capsys.readouterr().err.strip()
    return code, err


def test_usage_errors_exit_2(capsys):
    code, err = run(capsys, ["evaluate"])
    assert code == 2 and "usage:" in err
    code, err = run(capsys, ["train", "--epochs", "x"])
    assert code == 2 and "invalid int value" in err


def test_input_errors_exit_2(capsys, tmp_path):
    code, err = run(capsys, ["evaluate", str(tmp_path / "missing.npz")])
    assert code == 2 and err.count("\n") == 0 and "missing.npz" in err
    code, err = run(capsys, ["zoo", "load", "no-such-zoo-model"])
    assert code == 2 and "Unknown zoo model" in err


@pytest.fixture
def folder(tmp_path):
    G = keras_gan.models.dcgan_generator(8, (8, 8, 1), filters=(8, 4))
    path = str(tmp_path / "tiny")
    keras_gan.zoo.hub_folder.save_folder(keras_gan.Generator(G, 8), path, grid=False)
    return path


def test_integrity_failure_exits_1(capsys, folder):
    assert run(capsys, ["zoo", "load", folder])[0] == 0
    weights = os.path.join(folder, "model.weights.h5")
    data = bytearray(open(weights, "rb").read())
    data[-100] ^= 0xFF  # one flipped byte
    open(weights, "wb").write(bytes(data))
    code, err = run(capsys, ["zoo", "load", folder])
    assert code == 1 and err.count("\n") == 0 and "does not match its recorded sha256" in err


@pytest.mark.parametrize("error, expected", [
    (ConnectionError("the Hub cannot be reached"), 1),
    (TimeoutError("timed out"), 1),
    (keras_gan.errors.DivergenceError("step 3: non-finite d_loss"), 1),
    (ValueError("Expected x. Received: x=1"), 2),
    (FileNotFoundError("No such file. Received: x"), 2),
    (KeyboardInterrupt(), 130),
])
def test_each_kind_of_failure_has_its_code(capsys, monkeypatch, error, expected):
    def fail(args):
        raise error

    monkeypatch.setattr(cli.COMMANDS["evaluate"], "run", fail)
    code, err = run(capsys, ["evaluate", "x.npz"])
    assert code == expected
    assert err.count("\n") == 0 and err.startswith("keras-gan evaluate:")


def test_a_bug_keeps_its_traceback(monkeypatch):
    def fail(args):
        raise RuntimeError("a bug")

    monkeypatch.setattr(cli.COMMANDS["evaluate"], "run", fail)
    with pytest.raises(RuntimeError, match="a bug"):
        cli.main(["evaluate", "x.npz"])


def _bad_files(tmp_path):
    good = tmp_path / "good.npz"
    np.savez(good, x=np.arange(3 * 28 * 28, dtype="uint8").reshape(3, 28, 28))
    data = good.read_bytes()
    files = {
        "notes.txt.npz": (b"just some notes\n", "is not a NumPy .npz file"),
        "truncated.npz": (data[: len(data) // 2], "truncated or damaged .npz"),
        "flipped.npz": (data[:200] + bytes(b ^ 0xFF for b in data[200:400]) + data[400:],
                        "damaged .npz"),
        "notes.npy": (b"x,y\n1,2\n", "is not a NumPy .npy file"),
    }
    np.savez(tmp_path / "objects.npz", x=np.array([{"a": 1}, None], dtype=object))
    out = {"objects.npz": (None, "arrays of Python objects")}
    for name, (content, _) in files.items():
        (tmp_path / name).write_bytes(content)
    out.update({name: files[name] for name in files})
    return out


def test_files_that_are_not_what_their_name_says(capsys, tmp_path):
    for name, (_, phrase) in _bad_files(tmp_path).items():
        code, err = run(capsys, ["evaluate", str(tmp_path / name)])
        assert code == 2, (name, err)
        assert err.count("\n") == 0 and phrase in err, (name, err)
        assert "allow_pickle" not in err and "unsafe" not in err, (name, err)


def test_progress_on_stderr_json_alone_on_stdout_and_quiet(capsys, tmp_path):
    import json

    x, _, _ = keras_gan.data.load_mnist(keras_gan.data.mnist.SAMPLE_PATH, split="test")
    np.savez(tmp_path / "samples.npz", x=x[:200])
    np.savez(tmp_path / "real.npz", x=x[200:])
    G = keras_gan.models.dcgan_generator(8, (28, 28, 1), filters=(8, 4))
    model = str(tmp_path / "g.keras")
    keras_gan.Generator(G, 8).save(model)
    common = ["--reference", str(tmp_path / "real.npz"), "--cache-dir", str(tmp_path / "c"),
              "--metrics", "fid,class_coverage", "--json"]
    for target in (str(tmp_path / "samples.npz"), model):
        assert cli.main(["evaluate", target, "--n-samples", "50", *common]) == 0
        captured = capsys.readouterr()
        result = json.loads(captured.out)  # stdout: exactly one JSON object
        assert "fid" in result and "class_coverage" in result
        assert "Loading the extractor" in captured.err and "/" in captured.err  # a bar
        assert cli.main(["evaluate", target, "--n-samples", "50", "--quiet", *common]) == 0
        captured = capsys.readouterr()
        assert json.loads(captured.out)["fid"] == result["fid"]
        assert captured.err == ""
    assert cli.main(["sample", model, "-n", "20", "--out", str(tmp_path / "s.npz")]) == 0
    captured = capsys.readouterr()
    assert "20/20" in captured.err and captured.out.startswith("Wrote 20 samples")
