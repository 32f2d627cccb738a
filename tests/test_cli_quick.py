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
import keras_gan_cli
code = keras_gan_cli.main(sys.argv[1:])
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
