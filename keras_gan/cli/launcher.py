"""Launcher of the `keras-gan` command (`[project.scripts]` in pyproject.toml).

`--backend` must set `KERAS_BACKEND` before Keras is imported: this module
and `keras_gan/__init__.py` (whose names load on first access) import only
the standard library, and `configure_environment` runs before anything that
imports Keras. For `--help`, `-h` and `--version` it never imports Keras or
a backend: the argument parsers in `keras_gan/cli/` import only the
standard library (and NumPy).
"""

import contextlib
import os
import re
import sys
import threading

from keras_gan.utils.environment import configure_environment
from keras_gan.version import __version__


# Start-up lines TensorFlow's C++ runtime writes straight to file descriptor 2
# (absl logging before initialisation ignores TF_CPP_MIN_LOG_LEVEL).
FRAMEWORK_NOISE = re.compile(
    r"^(WARNING: All log messages before absl::InitializeLog\(\) is called are written to "
    r"STDERR|I0000 00:00:\S+ +\d+ \S+\.cc:\d+\] .*|To enable the following instructions: .*"
    r"rebuild TensorFlow with the appropriate compiler flags\.)$"
)


NOISE_STARTS = (b"WARNING: All log messages before absl", b"I0000 ",
                b"To enable the following instructions")


@contextlib.contextmanager
def _filtered_stderr():
    """File descriptor 2 through a filter that drops `FRAMEWORK_NOISE` lines.

    Everything else (our one-line errors, progress bars, warnings,
    tracebacks) passes through unchanged and in order.
    """
    try:
        original = os.dup(2)
    except OSError:  # no usable fd 2: nothing to filter
        yield
        return
    read_end, write_end = os.pipe()

    def pump():
        # Chunks, not lines: a progress bar's carriage-return updates (no
        # newline) pass at once; only text that may start a noise line waits
        # for its newline.
        pending = b""
        with os.fdopen(os.dup(original), "wb", buffering=0) as sink:
            while True:
                chunk = os.read(read_end, 65536)
                if not chunk:
                    break
                pending += chunk
                while b"\n" in pending:
                    line, pending = pending.split(b"\n", 1)
                    if not FRAMEWORK_NOISE.match(line.decode("utf-8", "replace").rstrip("\r")):
                        sink.write(line + b"\n")
                if pending and not any(p.startswith(pending[:len(p)]) for p in NOISE_STARTS):
                    sink.write(pending)
                    pending = b""
            if pending:
                sink.write(pending)
        os.close(read_end)

    thread = threading.Thread(target=pump, name="keras-gan-stderr", daemon=True)
    thread.start()
    sys.stderr.flush()
    os.dup2(write_end, 2)
    os.close(write_end)
    try:
        yield
    finally:
        sys.stderr.flush()
        os.dup2(original, 2)  # closes the pipe's last write end: the pump finishes
        os.close(original)
        thread.join(timeout=5)


def _peek_backend(argv):
    for i, arg in enumerate(argv):
        if arg == "--backend" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--backend="):
            return arg.split("=", 1)[1]
    return None


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--version" in argv:
        print(f"keras-gan {__version__}")
        return 0
    if not argv or any(a in ("-h", "--help") for a in argv):
        try:
            from keras_gan.cli.main import main as run

            return run(argv)
        except SystemExit as e:  # argparse printed the help (or a usage error)
            return e.code if isinstance(e.code, int) else 0
    backend = _peek_backend(argv)
    try:
        configure_environment(backend)
    except (ValueError, RuntimeError) as e:  # a bad --backend, or Keras already on another
        message = str(e).replace(f"Received: backend={backend!r}", f"Received: --backend={backend}")
        print(f"keras-gan: error: {message}", file=sys.stderr)
        return 2
    with _filtered_stderr():
        from keras_gan.cli.main import main as run

        return run(argv)


if __name__ == "__main__":
    sys.exit(main())
