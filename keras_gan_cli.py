"""Launcher of the `keras-gan` command.

It lives outside the `keras_gan` package on purpose: importing `keras_gan`
imports Keras, and `--backend` must set `KERAS_BACKEND` before that.
"""

import os
import sys

BACKENDS = ("tensorflow", "jax", "torch")


def _peek_backend(argv):
    for i, arg in enumerate(argv):
        if arg == "--backend" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--backend="):
            return arg.split("=", 1)[1]
    return None


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
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
    from keras_gan.cli.main import main as run

    return run(argv)


if __name__ == "__main__":
    sys.exit(main())
