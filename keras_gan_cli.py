"""Launcher of the `keras-gan` command.

It lives outside the `keras_gan` package on purpose: importing `keras_gan`
imports Keras, and `--backend` must set `KERAS_BACKEND` before that. For
`--help`, `-h` and `--version` it never imports Keras or a backend: the
argument parsers in `keras_gan/cli/` import only the standard library (and
NumPy), and are loaded without running `keras_gan/__init__.py`.
"""

import contextlib
import importlib
import importlib.util
import os
import re
import sys
import threading
import types

BACKENDS = ("tensorflow", "jax", "torch")
QUICK = ("-h", "--help", "--version")


def version():
    """keras_gan's version, read from keras_gan/version.py without importing the package."""
    spec = importlib.util.find_spec("keras_gan")
    path = os.path.join(list(spec.submodule_search_locations)[0], "version.py")
    namespace = {}
    with open(path) as f:
        exec(compile(f.read(), path, "exec"), namespace)
    return namespace["__version__"]


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


def _parse_only(argv):
    """Runs `keras_gan.cli.main.main(argv)` for help output, without `keras_gan/__init__.py`."""
    if "keras_gan" in sys.modules:  # already imported for real: use it
        from keras_gan.cli.main import main as run

        return run(argv)
    spec = importlib.util.find_spec("keras_gan")
    stub = types.ModuleType("keras_gan")
    stub.__path__ = list(spec.submodule_search_locations)
    saved = dict(sys.modules)
    sys.modules["keras_gan"] = stub
    try:
        return importlib.import_module("keras_gan.cli.main").main(argv)
    finally:  # the stub and what it loaded must not outlive the parse
        for name in [n for n in sys.modules if n == "keras_gan" or n.startswith("keras_gan.")]:
            if name not in saved:
                del sys.modules[name]


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
        print(f"keras-gan {version()}")
        return 0
    if not argv or any(a in ("-h", "--help") for a in argv):
        try:
            return _parse_only(argv)
        except SystemExit as e:  # argparse printed the help (or a usage error)
            return e.code if isinstance(e.code, int) else 0
    backend = _peek_backend(argv)
    if backend is not None:
        if backend not in BACKENDS:
            print(f"keras-gan: error: unknown backend. Valid: {', '.join(BACKENDS)}. "
                  f"Received: --backend={backend}", file=sys.stderr)
            return 2
        if "keras" in sys.modules and os.environ.get("KERAS_BACKEND") != backend:
            print(f"keras-gan: error: Keras is already imported with another backend. "
                  f"Received: --backend={backend}", file=sys.stderr)
            return 2
        os.environ["KERAS_BACKEND"] = backend
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    # oneDNN kernels on every x86 CPU, not only AVX-512 VNNI ones
    # (docs/design.md, "TensorFlow's oneDNN switch"); set 0 to opt out.
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1")
    with _filtered_stderr():
        from keras_gan.cli.main import main as run

        return run(argv)


if __name__ == "__main__":
    sys.exit(main())
