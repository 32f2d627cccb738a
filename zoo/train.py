"""Runs a zoo model's `zoo/<name>/train.py`, from the repository root:

    python -m zoo.train mnist-dcgan --data ../shared/data/mnist.npz
    python -m zoo.train mnist-classifier --data ../shared/data/mnist.npz --epochs 15

The folders are named as the Hub repos (`mnist-dcgan`), which Python cannot
import, so this module finds the script by path and runs it as `__main__`
with the remaining arguments; the script imports the shared code as
`zoo.recipe`. `python -m zoo.train --list` prints the names.
"""

import os
import runpy
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def names():
    """The zoo folders that have a `train.py`."""
    return sorted(n for n in os.listdir(HERE) if os.path.isfile(os.path.join(HERE, n, "train.py")))


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "--list"):
        print(__doc__ if argv[:1] != ["--list"] else "\n".join(names()))
        return 0
    name, rest = argv[0], argv[1:]
    if name not in names():
        raise SystemExit(f"zoo.train: error: no zoo/{name}/train.py. Valid: "
                         f"{', '.join(names())}. Received: {name!r}")
    path = os.path.join(HERE, name, "train.py")
    saved = sys.argv
    sys.argv = [path, *rest]  # the script's argparse reads them
    try:
        runpy.run_path(path, run_name="__main__")
    finally:
        sys.argv = saved
    return 0


if __name__ == "__main__":
    sys.exit(main())
