"""Time to quality: FID, precision and recall against training wall time.

    python -m benchmarks.time_to_quality --data ../shared/data/mnist.npz \
        --minutes 60 --eval-at 1 2 5 10 20 30 60

Trains each run for a wall-clock budget and scores 10,000 samples (seed 0;
the EMA generator where the recipe keeps one, its batch-norm statistics
recalibrated on 8,192 of its samples as for the zoo models) against the
MNIST test digits at fixed points of *training* time, with keras_gan's MNIST
classifier as the extractor. The time spent scoring is not counted as
training time; start-up (building, tracing) is. Runs:

- a recipe of `keras_gan.models.recipes` through `GAN.fit` (`--run LABEL
  RECIPE [KEY=VALUE ...]`, KEY a dotted recipe path, VALUE JSON), by default
  the recipes of the zoo models; a recipe that decays its learning rates
  over the last part of its steps (`optimizer.lr_decay`, as `cdcgan`) runs
  with `optimizer.lr_decay=null`, since a time budget has no step count;
- `tutorial-native`: the tensorflow.org tutorial in plain TensorFlow
  (zoo/baselines/tf_tutorial_dcgan.py), the comparison point.

Each run is its own process. `--parallel 2 --threads 1` runs two at once,
each pinned to one core, so that every run has the same machine and the
three default runs finish in about two hours (the headline table in
docs/benchmarks.md); `--parallel 1` gives each run all cores. Writes
`OUT/time_to_quality.json`, `OUT/time_to_quality.png` (FID against minutes,
log scales; needs matplotlib, the `bench` extra) and one sample grid per run
and evaluation point, and prints a table and the headline figures.

`--keep-done` keeps the stored result of every run that finished with the
same settings and trains only the others, so a run of several hours can be
made in sittings: one `--run` per sitting, then the full command again
(everything kept) for the report. A run stopped before its last score point
is trained again from the start.
"""

import argparse
import datetime
import json
import math
import os
import platform
import subprocess
import sys
import time

from keras_gan.utils.environment import configure_environment

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
NATIVE_TUTORIAL = "tutorial-native"


def parse_value(text):
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def parse_runs(specs):
    """`[[label, recipe, k=v, ...], ...]` -> list of run dicts."""
    runs = []
    for spec in specs:
        if len(spec) < 2 and spec[0] != NATIVE_TUTORIAL:
            raise SystemExit(f"--run needs LABEL RECIPE [KEY=VALUE ...]. Received: {spec}")
        label = spec[0]
        recipe = spec[1] if len(spec) > 1 else NATIVE_TUTORIAL
        overrides = {}
        for item in spec[2:]:
            if "=" not in item:
                raise SystemExit(f"--run overrides are KEY=VALUE. Received: {item!r}")
            key, value = item.split("=", 1)
            overrides[key] = parse_value(value)
        runs.append({"label": label, "recipe": recipe, "overrides": overrides})
    return runs


def default_runs():
    from zoo.recipe import resolve
    from zoo.recipe import zoo_recipes

    runs = [{"label": NATIVE_TUTORIAL, "recipe": NATIVE_TUTORIAL, "overrides": {}}]
    for name, zoo in zoo_recipes().items():
        recipe = resolve(zoo)
        if recipe["conditional"]:  # unconditional models only
            continue
        if recipe["optimizer"].get("lr_decay") is not None:
            # Its rates decay over the last part of a run's steps; a time
            # budget has none: the same recipe at constant rates (the zoo
            # run up to where its decay starts), labelled as such.
            runs.append({"label": f"{name}-constant-lr", "recipe": zoo["recipe"],
                         "overrides": {"optimizer.lr_decay": None}})
        else:
            runs.append({"label": name, "recipe": zoo["recipe"], "overrides": {}})
    return runs


def resolve_run(run):
    """The recipe a run trains: its named recipe with its `KEY=VALUE` overrides."""
    from keras_gan.models import recipes

    return recipes.get_recipe(run["recipe"], **{
        k.replace(".", "__"): v for k, v in run["overrides"].items()})


def check_runs(runs):
    """Refuses, before any training, a run whose recipe is unknown or decays its rates.

    A recipe's `optimizer.lr_decay` decays the learning rates over the last
    part of a run's *steps*; a run here has a wall-clock budget and no step
    count, so the schedule has no length. Such a run is named with the
    override that trains it at constant rates.
    """
    for run in runs:
        if run["recipe"] == NATIVE_TUTORIAL:
            continue
        try:
            recipe = resolve_run(run)
        except ValueError as e:
            raise SystemExit(f"--run {run['label']}: {e}")
        decay = recipe.get("optimizer", {}).get("lr_decay")
        if decay is not None:
            raise SystemExit(
                f"--run {run['label']}: recipe {run['recipe']!r} decays its learning rates "
                "over the last part of a run's steps, and a time-budget run has no step "
                "count: add optimizer.lr_decay=null to train it at constant rates. "
                f"Received: optimizer.lr_decay={decay!r}")


# ----------------------------------------------------------------- worker
def worker(spec):
    """Trains one run in this process and returns its record."""
    configure_environment(spec["backend"])
    import warnings

    warnings.simplefilter("ignore")
    import keras
    import numpy as np

    import keras_gan
    from keras_gan.evaluation import Evaluator

    evaluator = Evaluator("mnist-test", data_path=spec["data"])
    eval_at = sorted(60.0 * m for m in spec["eval_at"])
    points = []
    label = spec["label"]
    grid_dir = spec["grids"]
    os.makedirs(grid_dir, exist_ok=True)
    z_grid = np.random.default_rng(0).standard_normal((64, 100)).astype("float32")

    def score(sample_fn, steps, train_seconds):
        t = time.perf_counter()
        images = sample_fn(spec["samples"])
        scores = evaluator.score_images(images)
        point = {"minutes": round(train_seconds / 60.0, 3), "steps": int(steps)}
        point.update({k: round(v, 5)
                      for k, v in keras_gan.metrics.metric_values(scores).items()})
        point["eval_seconds"] = round(time.perf_counter() - t, 1)
        # A 1-minute load average above the run's threads means it shared
        # the machine: its minutes are then not comparable.
        point["load"] = round(os.getloadavg()[0], 2)
        points.append(point)
        keras_gan.save_image_grid(sample_fn(64, z_grid), os.path.join(
            grid_dir, f"{label}-{train_seconds / 60:05.1f}min.png"), nrow=8, scale=2)
        print(f"[{label}] {point['minutes']:.1f} min, {steps} steps: fid={point['fid']:.3f} "
              f"precision={point['precision']:.3f} recall={point['recall']:.3f}", flush=True)

    if spec["recipe"] == NATIVE_TUTORIAL:
        info = _run_native_tutorial(spec, eval_at, score)
    else:
        info = _run_recipe(spec, eval_at, score, keras, keras_gan)
    return dict(spec, points=points, date=datetime.date.today().isoformat(), **info)


def _run_recipe(spec, eval_at, score, keras, keras_gan):
    from keras_gan.models import recipes

    recipe = resolve_run(spec)
    keras.utils.set_random_seed(spec["seed"])
    x, _, _ = keras_gan.data.load_mnist(spec["data"])
    images = keras_gan.data.to_gan_range(x)
    gan = recipes.build_gan(recipe, seed=spec["seed"])

    def sample_fn(n, z=None):
        return gan.generate(n if z is None else z[:, :gan.latent_dim], seed=0)

    clock = {"train": 0.0, "start": None, "next": 0}

    class Budget(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            clock["start"] = time.perf_counter()

        def on_train_batch_end(self, batch, logs=None):
            now = time.perf_counter()
            elapsed = clock["train"] + now - clock["start"]
            if elapsed < eval_at[clock["next"]]:
                return
            clock["train"] = elapsed
            if logs and not all(math.isfinite(float(v)) for v in logs.values()):
                print(f"[{spec['label']}] diverged: {logs}", flush=True)
                self.model.stop_training = True
                return
            steps = int(keras.ops.convert_to_numpy(gan.optimizer.iterations))
            # Scored as the zoo and `make demo` score: the EMA generator's
            # batch-norm statistics measured on its own samples (its next
            # update copies G's back, so training is unchanged).
            keras_gan.Generator.from_gan(gan).recalibrate_batch_norm()
            score(sample_fn, steps, elapsed)
            clock["next"] += 1
            if clock["next"] == len(eval_at):
                self.model.stop_training = True
            clock["start"] = time.perf_counter()

    # One endless stream (one Keras iterator for the whole run: no stall at
    # epoch starts on TensorFlow), in epochs of the data.
    stream = keras_gan.training.EpochBatches(images, batch_size=recipe["batch_size"],
                                             seed=spec["seed"], repeat=True)
    start = time.perf_counter()
    gan.fit(stream, epochs=10**6, steps_per_epoch=stream.batches_per_epoch, verbose=0,
            shuffle=False, callbacks=[Budget()])
    return {"resolved_recipe": recipe, "wall_seconds": round(time.perf_counter() - start, 1),
            "parameters": {"generator": gan.generator.count_params(),
                           "discriminator": gan.discriminator.count_params()}}


def _run_native_tutorial(spec, eval_at, score):
    import numpy as np
    import tensorflow as tf

    from zoo.baselines.tf_tutorial_dcgan import build_tutorial

    t0 = time.perf_counter()
    G, dataset, train_step = build_tutorial(spec["data"], spec["seed"])

    def sample_fn(n, z=None):
        if z is None:
            z = np.random.default_rng(0).standard_normal((n, 100)).astype("float32")
        return np.concatenate([G(z[i:i + 500], training=False).numpy()
                               for i in range(0, len(z), 500)])

    train, steps, nxt = time.perf_counter() - t0, 0, 0
    while nxt < len(eval_at):
        start = time.perf_counter()
        for batch in dataset:
            train_step(batch)
            steps += 1
            now = time.perf_counter()
            if train + now - start >= eval_at[nxt]:
                break
        train += time.perf_counter() - start
        if train >= eval_at[nxt]:
            score(sample_fn, steps, train)
            nxt += 1
    del tf
    return {"resolved_recipe": {"description": "tensorflow.org DCGAN tutorial in plain "
                                "TensorFlow (zoo/baselines/tf_tutorial_dcgan.py)",
                                "batch_size": 256}}


# ----------------------------------------------------------------- driver
def launch(spec, cores, threads, log_dir):
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    if threads:
        env.update(TF_NUM_INTRAOP_THREADS=str(threads), TF_NUM_INTEROP_THREADS="1",
                   OMP_NUM_THREADS=str(threads), XLA_FLAGS="--xla_cpu_multi_thread_eigen=false")
    cmd = [sys.executable, "-m", "benchmarks.time_to_quality", "--worker", json.dumps(spec)]
    if cores is not None and hasattr(os, "sched_setaffinity"):
        cmd = ["taskset", "-c", ",".join(map(str, cores))] + cmd
    log = open(os.path.join(log_dir, f"{spec['label']}.log"), "w")
    return subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT), log


# What makes a stored run the same run (--keep-done).
SAME_RUN_KEYS = ("recipe", "overrides", "backend", "eval_at", "samples", "seed", "threads",
                 "parallel")


def finished_run(spec):
    """The stored record of `spec`'s run when it finished with the same settings, else None."""
    try:
        with open(spec["result"]) as f:
            record = json.load(f)
    except (OSError, ValueError):
        return None
    same = all(record.get(k) == spec[k] for k in SAME_RUN_KEYS)
    complete = len(record.get("points", [])) == len(spec["eval_at"])
    return record if same and complete else None


def minutes_to_reach(points, fid):
    for p in points:
        if p["fid"] <= fid:
            return p["minutes"]
    return None


def report(records, out, meta):
    lines = ["| run | minutes | steps | FID | precision | recall |",
             "|---|---:|---:|---:|---:|---:|"]
    for r in records:
        for p in r["points"]:
            lines.append(f"| {r['label']} | {p['minutes']:.1f} | {p['steps']} | "
                         f"{p['fid']:.3f} | {p['precision']:.3f} | {p['recall']:.3f} |")
    table = "\n".join(lines)
    print(table)
    tutorial = next((r for r in records if r["recipe"] == NATIVE_TUTORIAL and r["points"]), None)
    if tutorial:
        best = min(p["fid"] for p in tutorial["points"])
        print(f"\nThe tutorial's best FID in {tutorial['points'][-1]['minutes']:.0f} min: "
              f"{best:.3f}. Minutes to reach it:")
        for r in records:
            m = minutes_to_reach(r["points"], best)
            print(f"  {r['label']}: {'not reached' if m is None else f'{m:.1f}'}")
    marks = [m for m in (10, 30, 60) if any(p["minutes"] >= m * 0.99 for r in records
                                              for p in r["points"])]
    if marks:
        print("\nFID reached after " + ", ".join(f"{m}" for m in marks) + " minutes:")
        for r in records:
            cells = []
            for m in marks:
                seen = [p["fid"] for p in r["points"] if p["minutes"] <= m * 1.01]
                cells.append(f"{min(seen):.3f}" if seen else "-")
            print(f"  {r['label']}: " + " / ".join(cells))
    with open(os.path.join(out, "time_to_quality.json"), "w") as f:
        json.dump(dict(meta, runs=records), f, indent=1)
    plot(records, os.path.join(out, "time_to_quality.png"), meta)


def plot(records, path, meta):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed (pip install '.[bench]'): no plot written")
        return
    fig, ax = plt.subplots(figsize=(7, 4.5), dpi=110)
    for r in records:
        if r["points"]:
            ax.plot([p["minutes"] for p in r["points"]], [p["fid"] for p in r["points"]],
                    marker="o", label=r["label"])
    ax.axhline(meta.get("real_fid", 0.12), color="grey", ls="--", lw=1,
               label="real test digits vs themselves (0.12)" if "real_fid" not in meta else
               f"real digits ({meta['real_fid']})")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("training wall time (minutes)")
    ax.set_ylabel("FID (10,000 samples, mnist_classifier)")
    ax.set_title(meta.get("title", "Time to quality"), fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    print(f"plot: {path}")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--worker", help=argparse.SUPPRESS)
    p.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data", "mnist.npz"))
    p.add_argument("--run", nargs="+", action="append", metavar="ARG",
                   help="LABEL RECIPE [KEY=VALUE ...], or tutorial-native; repeatable "
                        "(default: tutorial-native and the unconditional zoo recipes)")
    p.add_argument("--minutes", type=float, default=60.0, help="training budget per run")
    p.add_argument("--eval-at", type=float, nargs="+", default=[1, 2, 5, 10, 20, 30, 60],
                   help="minutes of training time at which to score")
    p.add_argument("--samples", type=int, default=10000)
    p.add_argument("--backend", default="tensorflow", choices=["tensorflow", "jax", "torch"])
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--parallel", type=int, default=1, help="runs at once")
    p.add_argument("--threads", type=int, default=0,
                   help="threads (and pinned cores) per run; 0: all")
    p.add_argument("--out", default=os.path.join(ROOT, "outputs", "time_to_quality"))
    p.add_argument("--keep-done", action="store_true",
                   help="keep the results of runs already in OUT/runs with the same settings "
                        "instead of training them again (a long run over several sittings)")
    args = p.parse_args(argv)
    if args.worker:
        spec = json.loads(args.worker)
        record = worker(spec)
        for key in ("grids", "result"):  # checkout-relative: the record is committed
            record[key] = _in_checkout(record[key])
        with open(spec["result"], "w") as f:
            json.dump(record, f, indent=1)
        return
    runs = parse_runs(args.run) if args.run else default_runs()
    check_runs(runs)
    eval_at = sorted(m for m in args.eval_at if m <= args.minutes)
    if not eval_at or eval_at[-1] < args.minutes:
        eval_at.append(args.minutes)
    os.makedirs(os.path.join(args.out, "runs"), exist_ok=True)
    pending = []
    ncpu = os.cpu_count() or 1
    for run in runs:
        spec = dict(run, backend=args.backend, data=args.data, eval_at=eval_at,
                    samples=args.samples, seed=args.seed, threads=args.threads or ncpu,
                    parallel=args.parallel, grids=os.path.join(args.out, "grids"),
                    result=os.path.join(args.out, "runs", f"{run['label']}.json"))
        done = finished_run(spec) if args.keep_done else None
        if done:
            print(f"kept {spec['label']} (trained on {done.get('date', '?')})", flush=True)
        else:
            pending.append(spec)
    start = time.time()
    active, free = [], list(range(args.parallel))
    while pending or active:
        while pending and free:
            slot = free.pop(0)
            cores = (list(range(slot * args.threads, (slot + 1) * args.threads))
                     if args.threads else None)
            if cores and max(cores) >= ncpu:
                cores = None
            spec = pending.pop(0)
            proc, log = launch(spec, cores, args.threads, os.path.join(args.out, "runs"))
            print(f"started {spec['label']} (cores {cores or 'all'})", flush=True)
            active.append((proc, log, slot, spec))
        time.sleep(2)
        for item in list(active):
            proc, log, slot, spec = item
            if proc.poll() is not None:
                log.close()
                active.remove(item)
                free.append(slot)
                print(f"finished {spec['label']} (exit {proc.returncode})", flush=True)
    records = []
    for run in runs:
        path = os.path.join(args.out, "runs", f"{run['label']}.json")
        if os.path.exists(path):
            with open(path) as f:
                records.append(json.load(f))
    import keras

    dates = sorted({r.get("date", datetime.date.today().isoformat()) for r in records})
    meta = {
        "date": " to ".join(dict.fromkeys([dates[0], dates[-1]])) if dates else
                datetime.date.today().isoformat(),
        "machine": f"{_cpu_name()}, {ncpu} cores",
        "threads_per_run": args.threads or ncpu,
        "parallel": args.parallel,
        "backend": args.backend,
        "versions": {"python": platform.python_version(), "keras": keras.__version__},
        "command": " ".join([os.path.relpath(__file__, ROOT)] + (argv or sys.argv[1:])),
        "samples": args.samples,
        "extractor": "mnist_classifier",
        "reference": "mnist-test",
        "total_minutes": round((time.time() - start) / 60, 1),
        "title": f"{_cpu_name()}, {args.threads or ncpu} thread(s) per run, {args.backend}",
    }
    report(records, args.out, meta)


def _in_checkout(path):
    """`path` relative to the checkout when it lies inside it, else unchanged."""
    relative = os.path.relpath(os.path.abspath(path), ROOT)
    return path if relative.startswith(os.pardir) else relative


def _cpu_name():
    from zoo.zoo_finalize import _cpu_name as cpu_name

    return cpu_name()


if __name__ == "__main__":
    main()
