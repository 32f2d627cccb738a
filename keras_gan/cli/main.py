"""`keras-gan` subcommand dispatch and one-line error reporting."""

import argparse
import sys
import warnings

from keras_gan.cli import evaluate
from keras_gan.cli import sample
from keras_gan.cli import train
from keras_gan.cli import zoo

COMMANDS = {"train": train, "sample": sample, "evaluate": evaluate, "zoo": zoo}
# Errors caused by the user's input: reported as one line, exit code 2.
USER_ERRORS = (ValueError, FileNotFoundError, NotADirectoryError, PermissionError, KeyError,
               FloatingPointError, ConnectionError)


def build_parser():
    parser = argparse.ArgumentParser(
        prog="keras-gan",
        description="GANs with Keras 3 on TensorFlow, JAX and PyTorch.",
    )
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
    except USER_ERRORS as e:
        message = e.args[0] if isinstance(e, KeyError) and e.args else e
        print(f"keras-gan {args.command}: error: {message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"keras-gan {args.command}: interrupted", file=sys.stderr)
        return 130
