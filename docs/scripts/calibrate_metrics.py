"""Calibration table for the MNIST metrics: how known corruptions score.

    python -m docs.scripts.calibrate_metrics --data ../shared/data/mnist.npz [--write]

Reference: the 10,000 MNIST test digits. Each case is 10,000 images built
from the 60,000 training digits (never the test digits), scored with
keras_gan's `mnist_classifier` extractor. `--write` replaces the table in
docs/evaluation.md between the CALIBRATION markers.
"""

import argparse
import datetime
import os
import platform
import time
import warnings

import numpy as np

from keras_gan.utils.environment import configure_environment

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
configure_environment(os.environ.get("KERAS_BACKEND", "tensorflow"))

import keras  # noqa: E402

from keras_gan.evaluation import Evaluator  # noqa: E402
from keras_gan.metrics import columns_for  # noqa: E402

N = 10000
BEGIN, END = "<!-- CALIBRATION:BEGIN -->", "<!-- CALIBRATION:END -->"


def box_blur(x):
    padded = np.pad(x, ((0, 0), (1, 1), (1, 1)), mode="constant")
    out = np.zeros_like(x)
    for dy in range(3):
        for dx in range(3):
            out += padded[:, dy:dy + x.shape[1], dx:dx + x.shape[2]]
    return out / 9.0


def cases(x_train, y_train, seed=0):
    rng = np.random.default_rng(seed)
    base = x_train[rng.choice(len(x_train), N, replace=False)].astype("float32") / 255.0

    def noisy(sigma):
        return np.clip(base + sigma * rng.standard_normal(base.shape), 0, 1).astype("float32")

    low = np.flatnonzero(y_train < 5)
    ones = np.flatnonzero(y_train == 1)
    return [
        ("train digits (the floor)", base),
        ("background haze +0.1", (0.1 + 0.9 * base).astype("float32")),
        ("Gaussian noise σ=0.1", noisy(0.1)),
        ("Gaussian noise σ=0.3", noisy(0.3)),
        ("3×3 box blur", box_blur(base)),
        ("digits 0–4 only", x_train[rng.choice(low, N, replace=False)]),
        ("a single digit (1)*", x_train[rng.choice(ones, N, replace=True)]),
        ("uniform noise", rng.uniform(0, 1, base.shape).astype("float32")),
    ]


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data", "mnist.npz"))
    p.add_argument("--write", action="store_true", help="update docs/evaluation.md")
    p.add_argument("--cache-dir", default=None)
    args = p.parse_args()
    from keras_gan.data import load_mnist

    x_train, y_train, _ = load_mnist(args.data, split="train", allow_sample=False)
    evaluator = Evaluator("mnist-test", data_path=args.data, cache_dir=args.cache_dir)
    rows = []
    for name, images in cases(x_train, y_train):
        start = time.time()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = evaluator.score_images(images)
        rows.append((name, r))
        print(f"{name:<28} " + "  ".join(f"{c.key} {c.format(r[c.key])}"
                                         for c in columns_for(r))
              + f"  ({time.time() - start:.1f} s)", flush=True)
    r0 = rows[0][1]
    header = (
        f"Extractor `{r0['extractor']}` (weights sha256 `{r0['extractor_sha256']}…`), "
        f"reference `{r0['reference']}` ({r0['n_reference']} images), {N} samples per "
        f"row; generated {datetime.date.today()} on {platform.machine()} "
        f"({os.cpu_count()} CPUs), Keras {keras.__version__} / "
        f"{keras.backend.backend()}, by `python -m docs.scripts.calibrate_metrics --write`."
    )
    # Every registered metric's columns (keras_gan.metrics), in table order.
    columns = columns_for(r0)
    table = [
        header, "",
        "| case | " + " | ".join(f"{c.label} {c.arrow}".strip() for c in columns) + " |",
        "|---|" + "---:|" * len(columns),
    ]
    for name, r in rows:
        table.append(f"| {name} | " + " | ".join(c.format(r[c.key]) for c in columns) + " |")
    table.append("")
    table.append("\\* drawn with replacement from the 6,742 training 1s, so some images repeat.")
    text = "\n".join(table)
    print(text)
    if args.write:
        path = os.path.join(ROOT, "docs", "evaluation.md")
        with open(path) as f:
            doc = f.read()
        start, end = doc.index(BEGIN) + len(BEGIN), doc.index(END)
        with open(path, "w") as f:
            f.write(doc[:start] + "\n" + text + "\n" + doc[end:])
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
