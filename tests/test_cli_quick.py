"""`keras-gan --help` / `--version` answer fast, without importing Keras or a backend."""

import os
import subprocess
import sys
import time

import pytest

import keras_gan

pytestmark = pytest.mark.once

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROBE = """
import sys, time
start = time.perf_counter()
from keras_gan.cli.launcher import main
code = main(sys.argv[1:])
elapsed = time.perf_counter() - start
heavy = sorted(m for m in ("keras", "tensorflow", "jax", "torch", "keras_gan.gan")
               if m in sys.modules)
print(f"PROBE code={code} seconds={elapsed:.3f} heavy={','.join(heavy) or '-'}")
"""


def probe(*argv):
    proc = subprocess.run([sys.executable, "-c", PROBE, *argv], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    line = [l for l in proc.stdout.splitlines() if l.startswith("PROBE")][-1]
    fields = dict(part.split("=", 1) for part in line.split()[1:])
    return proc, int(fields["code"]), float(fields["seconds"]), fields["heavy"]


@pytest.mark.parametrize("argv", [["--help"], ["train", "--help"], ["sample", "-h"],
                                  ["evaluate", "--help"], ["zoo", "--help"],
                                  ["zoo", "list", "--help"]])
def test_help_imports_no_framework(argv):
    proc, code, seconds, heavy = probe(*argv)
    assert code == 0, proc.stderr
    assert heavy == "-", f"--help imported {heavy}"
    assert "usage: keras-gan" in proc.stdout
    assert proc.stderr == ""  # no TensorFlow/absl start-up lines
    assert seconds < 2.0, seconds  # about 0.3 s on the 2-core machine (docs/cli.md)


def test_version():
    proc, code, _, heavy = probe("--version")
    assert code == 0 and heavy == "-"
    assert f"keras-gan {keras_gan.__version__}" in proc.stdout


def test_no_framework_start_up_lines_on_stderr(tmp_path):
    """TensorFlow's C++ start-up lines (absl, oneDNN, CPU features) are dropped;
    our own one-line error still gets through, alone."""
    bad = tmp_path / "notes.npy"
    bad.write_text("x,y\n")
    proc = subprocess.run(
        [sys.executable, "-c", "import sys; from keras_gan.cli.launcher import main; sys.exit(main())",
         "--backend", "tensorflow", "evaluate", str(bad)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"})
    assert proc.returncode == 2
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("keras-gan evaluate: error:"), proc.stderr


def test_the_filter_keeps_everything_else():
    from keras_gan.cli import launcher

    noise = ["WARNING: All log messages before absl::InitializeLog() is called are written "
             "to STDERR",
             "I0000 00:00:1796156431.752019   31280 port.cc:153] oneDNN custom operations "
             "are on. You may see slightly different numerical results."]
    kept = ["keras-gan train: error: x", "I0000 is not a log line", "WARNING: something else",
            "100/200 ━━━━━━━━━━ 1s 5ms/step"]
    assert all(launcher.FRAMEWORK_NOISE.match(line) for line in noise)
    assert not any(launcher.FRAMEWORK_NOISE.match(line) for line in kept)
