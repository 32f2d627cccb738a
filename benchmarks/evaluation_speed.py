"""How long scoring 10,000 MNIST samples takes, per backend and per stage.

    python -m benchmarks.evaluation_speed --data ../shared/data/mnist.npz \
        [--backends tensorflow jax torch] [--repeats 3]

Each backend runs in its own process. The reference statistics (MNIST
test, `mnist_classifier`) are built once into a cache first; the timed
call is `Evaluator.score_images(10,000 uint8 images)`, i.e. feature
extraction plus FID, KID (100 subsets of 1,000), classifier score,
precision/recall and density/coverage. Prints the median of `--repeats`
runs after one warm-up run (which includes compilation, reported apart).
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

from keras_gan.utils.environment import configure_environment

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def child(args):
    import warnings

    from keras_gan.evaluation import Evaluator
    from keras_gan.metrics import density_coverage as dc_mod
    from keras_gan.metrics import frechet_distance as fid_mod
    from keras_gan.metrics import kernel_distance as kid_mod
    from keras_gan.metrics import precision_recall as pr_mod

    warnings.simplefilter("ignore")
    t0 = time.perf_counter()
    ev = Evaluator("mnist-test", data_path=args.data, cache_dir=args.cache_dir)
    setup = time.perf_counter() - t0
    from keras_gan.data import load_mnist

    x = load_mnist(args.data, split="train", allow_sample=False)[0][:10000]
    # Stage timings: wrap the stage functions.
    stages = {}

    def timed(name, fn):
        def wrapper(*a, **k):
            s = time.perf_counter()
            out = fn(*a, **k)
            stages[name] = stages.get(name, 0.0) + time.perf_counter() - s
            return out
        return wrapper

    ev.extractor.extract = timed("features", ev.extractor.extract)
    # Each metric class calls its functional form through its own module.
    fid_mod.frechet_distance = timed("fid", fid_mod.frechet_distance)
    kid_mod.kernel_distance = timed("kid", kid_mod.kernel_distance)
    pr_mod.precision_recall = timed("pr+dc", pr_mod.precision_recall)
    dc_mod.density_coverage = timed("pr+dc", dc_mod.density_coverage)
    s = time.perf_counter()
    ev.score_images(x)
    warmup = time.perf_counter() - s
    totals, per_stage = [], []
    for _ in range(args.repeats):
        stages.clear()
        s = time.perf_counter()
        ev.score_images(x)
        totals.append(time.perf_counter() - s)
        per_stage.append(dict(stages))
    median = sorted(range(len(totals)), key=lambda i: totals[i])[len(totals) // 2]
    print(json.dumps({"setup": setup, "warmup": warmup, "total": totals[median],
                      **per_stage[median]}))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data", "mnist.npz"))
    p.add_argument("--backends", nargs="+", default=["tensorflow", "jax", "torch"])
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--cache-dir", default=None)
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    configure_environment()  # a child: KERAS_BACKEND from its parent
    if args.child:
        return child(args)
    cache = args.cache_dir or tempfile.mkdtemp(prefix="kg-bench-")
    rows = []
    for backend in args.backends:
        env = dict(os.environ, KERAS_BACKEND=backend)
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.evaluation_speed", "--child", "--data", args.data, "--repeats",
             str(args.repeats), "--cache-dir", cache], env=env, capture_output=True, text=True,
        )
        if out.returncode:
            print(out.stderr[-3000:], file=sys.stderr)
            raise SystemExit(f"{backend} failed")
        rows.append((backend, json.loads(out.stdout.strip().splitlines()[-1])))
    import keras

    print(f"\nScoring 10,000 MNIST samples vs cached mnist-test statistics "
          f"({platform.machine()}, {os.cpu_count()} CPUs, keras {keras.__version__}); "
          f"median of {args.repeats}, seconds\n")
    cols = ["features", "fid", "kid", "pr+dc", "total", "warmup", "setup"]
    print("| backend | " + " | ".join(cols) + " |")
    print("|---|" + "---:|" * len(cols))
    for backend, r in rows:
        print(f"| {backend} | " + " | ".join(f"{r.get(c, 0):.3f}" for c in cols) + " |")
    print("\nwarmup = first call (includes compiling the extractor); setup = loading the "
          "extractor and the cached reference statistics.")


if __name__ == "__main__":
    main()
