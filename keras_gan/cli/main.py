"""`keras-gan` subcommand dispatch and one-line error reporting."""

import argparse
import sys
import warnings

from keras_gan.cli import evaluate
from keras_gan.cli import sample
from keras_gan.cli import train
from keras_gan.cli import zoo

COMMANDS = {"train": train, "sample": sample, "evaluate": evaluate, "zoo": zoo}
# Exit codes: 0 success, 1 runtime failure, 2 usage or input error, 130 Ctrl-C.
EXIT_RUNTIME, EXIT_USAGE, EXIT_INTERRUPTED = 1, 2, 130


def _runtime_errors():
    """Failures of the run itself (network, integrity, divergence): one line, exit 1.

    Checked before `USER_ERRORS` (`ZooIntegrityError` is a `ValueError`).
    Imported lazily: `--help` must not import keras_gan's package.
    """
    from keras_gan.errors import DivergenceError
    from keras_gan.errors import ZooIntegrityError

    return (ConnectionError, TimeoutError, ZooIntegrityError, DivergenceError,
            FloatingPointError)


# Errors caused by the user's input or usage: one line, exit code 2.
USER_ERRORS = (ValueError, FileNotFoundError, NotADirectoryError, IsADirectoryError,
               PermissionError, KeyError)


def build_parser():
    parser = argparse.ArgumentParser(
        prog="keras-gan",
        description="GANs with Keras 3 on TensorFlow, JAX and PyTorch.",
    )
    from keras_gan.version import __version__

    parser.add_argument("--version", action="version", version=f"keras-gan {__version__}")
    parser.add_argument(
        "--backend", choices=("tensorflow", "jax", "torch"),
        help="Keras backend (sets KERAS_BACKEND before Keras is imported)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, module in COMMANDS.items():
        module.add_parser(sub)
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            return COMMANDS[args.command].run(args) or 0
    except KeyboardInterrupt:
        print(f"keras-gan {args.command}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as e:
        if not isinstance(e, _runtime_errors() + USER_ERRORS):
            raise  # a bug: keep the traceback
        message = e.args[0] if isinstance(e, KeyError) and e.args else e
        print(f"keras-gan {args.command}: error: {message}", file=sys.stderr)
        return EXIT_RUNTIME if isinstance(e, _runtime_errors()) else EXIT_USAGE
