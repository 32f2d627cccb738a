"""keras_gan's `fit` against the same GAN written natively in each framework.

    python -m benchmarks.training_speed [--repeats 2] [--steps 8] [--blocks 3]
        [--only tensorflow jax torch] [--objectives ns wgan_gp r1 r1_lazy]
        [--data ../shared/data/mnist.npz] [--json results.json]
        [--steps-per-execution 1 4] [--keras-layer-calls] [--keras-gan-only]

The model is the tensorflow.org MNIST DCGAN (G 2.33 M, D 0.21 M parameters),
latent 100, batch 128, Adam(2e-4, beta_1=0.5). Objectives: `ns`
(non-saturating) and `wgan_gp` (Wasserstein + WGAN-GP, lambda 10, one D
step per G step); for keras_gan only, also `r1` (non-saturating + R1,
gamma 10, every D step) and `r1_lazy` (the same R1 every 16th D step, timed
over whole 16-step periods), to give each penalty's cost against a plain
step. Every measurement runs in a fresh process:

- native TensorFlow: `tf.function` + `GradientTape`, fused Adam kernel,
  without and with XLA (`jit_compile=True`); with `--tutorial`, also the
  tensorflow.org tutorial's *simultaneous* step (another, cheaper algorithm:
  shown for scale, not counted as "best native");
- native PyTorch: `nn.Module` + `torch.optim.Adam`, eager, and with the
  forward/backward halves under `torch.compile`;
- native JAX: Flax linen + Optax, one `jax.jit` step with donated state;
- keras_gan: `GAN.fit` with the backend's defaults, on in-memory batches
  (a backend tensor, repeated), and, for `ns`, on real MNIST arrays
  (`fit(x, batch_size=128)`: Keras' own input pipeline); with
  `--steps-per-execution`, also with other `steps_per_execution` values;
  with `--keras-layer-calls`, also on TF and torch with Keras' own layer
  calls instead of keras_gan's fast ones (`KERAS_GAN_FAST_LAYERS=0`).

All processes run in turn, `--repeats` times, alternating, so slow and fast
moments of the machine are shared out. Each process warms up (compilation
included) for 3 steps, then times `--blocks` blocks of `--steps` steps (the
result is read back after each block). The table shows the median over all
blocks of all repeats, keras_gan/native ratios against the best native
variant of the same framework, and each process' peak resident memory.
"""

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time

from keras_gan.utils.environment import configure_environment

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WARMUP = 3
LAZY_INTERVAL = 16
# Objectives only keras_gan is timed on (no native code): the penalty's cost.
KERAS_GAN_ONLY = ("r1", "r1_lazy")

NATIVE = {  # (backend, variant): module, build kwargs
    ("tensorflow", "tf.function"): ("tf_dcgan", {}),
    ("tensorflow", "tf.function + XLA"): ("tf_dcgan", {"jit_compile": True}),
    # Not the same algorithm: the tutorial's simultaneous step (see tf_dcgan.build);
    # shown for scale, never used as the "best native".
    ("tensorflow", "tutorial simultaneous step"): ("tf_dcgan", {"simultaneous": True}),
    ("torch", "eager"): ("torch_dcgan", {}),
    ("torch", "torch.compile"): ("torch_dcgan", {"compile": True}),
    ("jax", "flax + optax, jit"): ("jax_dcgan", {}),
}


# ------------------------------------------------------------------ children
def _timed_blocks(step_once, sync, steps, blocks):
    for _ in range(WARMUP):
        sync(step_once())
    rates = []
    for _ in range(blocks):
        start = time.perf_counter()
        for _ in range(steps):
            out = step_once()
        sync(out)
        rates.append(steps / (time.perf_counter() - start))
    return rates


def _batch(n=128, seed=0):
    import numpy as np

    return np.random.default_rng(seed).uniform(-1, 1, (n, 28, 28, 1)).astype("float32")


def child_native(cfg, steps, blocks):
    import importlib

    module_name, kwargs = NATIVE[(cfg["backend"], cfg["variant"])]
    module = importlib.import_module(f"benchmarks.native.{module_name}")
    step, n_params = module.build(cfg["objective"], **kwargs)
    x = module.to_batch(_batch())
    rates = _timed_blocks(lambda: step(x), module.sync, steps, blocks)
    return {"rates": rates, "params": n_params}


def child_keras_gan(cfg, steps, blocks):
    import keras
    import numpy as np

    import keras_gan

    G = keras_gan.models.dcgan_generator(100, (28, 28, 1))
    D = keras_gan.models.dcgan_discriminator((28, 28, 1))
    objective = cfg["objective"]
    wgan = objective == "wgan_gp"
    penalty = {
        "wgan_gp": keras_gan.penalties.WGANGP(weight=10.0),
        "r1": keras_gan.penalties.R1(gamma=10.0),
        "r1_lazy": keras_gan.penalties.R1(gamma=10.0, interval=LAZY_INTERVAL),
    }.get(objective)
    gan = keras_gan.GAN(G, D, 100, loss="wasserstein" if wgan else "non_saturating",
                        penalty=penalty, seed=0)

    def adam():
        return keras.optimizers.Adam(2e-4, beta_1=0.5, beta_2=0.999, epsilon=1e-7)

    spe = cfg.get("steps_per_execution", 1)
    gan.compile(adam(), adam(), steps_per_execution=spe)
    # Block edges fall on execution boundaries: with `steps_per_execution`
    # k, callbacks see every k-th step only (warm-up and blocks round up).
    warmup = -(-WARMUP // spe) * spe
    steps = -(-steps // spe) * spe
    if objective == "r1_lazy":  # every block holds whole penalty periods
        steps = -(-steps // LAZY_INTERVAL) * LAZY_INTERVAL
    total = warmup + steps * blocks
    marks = {warmup - 1: None}
    marks.update({warmup - 1 + steps * (i + 1): None for i in range(blocks)})

    class Clock(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            if batch in marks:
                float(logs["d_loss"])  # the step has finished
                marks[batch] = time.perf_counter()

    if cfg["data"] == "mnist":
        x = keras_gan.data.to_gan_range(
            keras_gan.data.load_mnist(cfg["mnist"], split="train", allow_sample=False)[0])
        gan.fit(x, batch_size=128, steps_per_epoch=total, epochs=1, shuffle=True,
                callbacks=[Clock()], verbose=0)
    else:
        data = _tensor_batches(_batch(), total)
        gan.fit(data, steps_per_epoch=total, epochs=1, callbacks=[Clock()], verbose=0)
    times = [marks[k] for k in sorted(marks)]
    rates = [steps / (b - a) for a, b in zip(times, times[1:])]
    n_params = sum(int(np.prod(w.shape)) for w in G.weights + D.weights)
    return {"rates": rates, "params": n_params}


def _tensor_batches(x, total):
    """The same batch `total` times, already a backend tensor (no input pipeline)."""
    import keras

    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        return tf.data.Dataset.from_tensors(tf.constant(x)).repeat(total)
    tensor = keras.ops.convert_to_tensor(x)

    def batches():
        for _ in range(total):
            yield (tensor,)

    return batches()


def child(cfg, steps, blocks):
    configure_environment(cfg["backend"])
    if cfg.get("keras_layer_calls"):  # Keras' own layer calls (before keras_gan's fast ones)
        os.environ["KERAS_GAN_FAST_LAYERS"] = "0"
    import warnings

    warnings.simplefilter("ignore")
    start = time.perf_counter()
    try:
        if cfg["kind"] == "native":
            out = child_native(cfg, steps, blocks)
        else:
            out = child_keras_gan(cfg, steps, blocks)
    except Exception as e:  # e.g. torch.compile and double backward
        out = {"error": f"{type(e).__name__}: {str(e).splitlines()[0][:160]}"}
    out["seconds"] = time.perf_counter() - start
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


# -------------------------------------------------------------------- runner
def configs(args):
    found = []
    for objective in args.objectives:
        for backend in args.only:
            natives = [] if args.keras_gan_only or objective in KERAS_GAN_ONLY else NATIVE
            for (b, variant) in natives:
                tutorial = variant.startswith("tutorial")
                if tutorial and (objective != "ns" or not args.tutorial):
                    continue
                if b == backend:
                    found.append(dict(kind="native", backend=b, variant=variant,
                                      objective=objective))
            found.append(dict(kind="keras_gan", backend=backend, variant="fit",
                              objective=objective, data="tensor"))
            if objective in KERAS_GAN_ONLY:  # the penalty's cost: plain fit only
                continue
            for spe in args.steps_per_execution:
                # Keras' torch trainer runs one step per call; ns shows the effect.
                if spe != 1 and backend != "torch" and objective == "ns":
                    found.append(dict(kind="keras_gan", backend=backend,
                                      variant=f"fit, steps_per_execution={spe}",
                                      objective=objective, data="tensor",
                                      steps_per_execution=spe))
            if backend != "jax" and args.keras_layer_calls:
                found.append(dict(kind="keras_gan", backend=backend,
                                  variant="fit, Keras' own layer calls",
                                  objective=objective, data="tensor", keras_layer_calls=True))
            if objective == "ns" and args.data and os.path.exists(args.data):
                found.append(dict(kind="keras_gan", backend=backend, variant="fit, MNIST arrays",
                                  objective=objective, data="mnist", mnist=args.data))
    return found


def versions():
    out = {"python": platform.python_version()}
    for name in ("keras", "tensorflow", "jax", "jaxlib", "torch", "flax", "optax", "numpy"):
        try:
            out[name] = __import__(name).__version__
        except Exception:  # noqa: BLE001 (not installed)
            pass
    return out


def run_child(cfg, args):
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.training_speed", "--child", json.dumps(cfg),
         "--steps", str(args.steps), "--blocks", str(args.blocks)],
        capture_output=True, text=True, timeout=args.timeout,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    if not lines:
        return {"error": (proc.stderr.strip().splitlines() or ["no output"])[-1][:160]}
    return json.loads(lines[-1][len("RESULT "):])


def key(cfg):
    return (cfg["backend"], cfg["objective"], cfg["kind"], cfg["variant"])


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeats", type=int, default=2)
    p.add_argument("--steps", type=int, default=8)
    p.add_argument("--blocks", type=int, default=3)
    p.add_argument("--only", nargs="+", default=["tensorflow", "torch", "jax"])
    p.add_argument("--objectives", nargs="+", default=["ns", "wgan_gp"])
    p.add_argument("--keras-gan-only", action="store_true",
                   help="only keras_gan's fit (e.g. to A/B a change to keras_gan)")
    p.add_argument("--tutorial", action="store_true",
                   help="also time the TF tutorial's simultaneous step (another algorithm)")
    p.add_argument("--steps-per-execution", nargs="+", type=int, default=[1],
                   help="also time keras_gan with these steps_per_execution values")
    p.add_argument("--keras-layer-calls", action="store_true",
                   help="also time keras_gan on TF and torch with KERAS_GAN_FAST_LAYERS=0")
    p.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data", "mnist.npz"))
    p.add_argument("--json", help="also write the results here")
    p.add_argument("--timeout", type=int, default=900)
    p.add_argument("--child", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        print("RESULT " + json.dumps(child(json.loads(args.child), args.steps, args.blocks)))
        return

    configure_environment()
    todo = configs(args)
    results = {key(c): {"cfg": c, "rates": [], "peak_mb": [], "errors": []} for c in todo}
    started = time.time()
    for rep in range(args.repeats):
        for cfg in todo:
            out = run_child(cfg, args)
            r = results[key(cfg)]
            if "error" in out:
                r["errors"].append(out["error"])
            else:
                r["rates"].extend(out["rates"])
                r["peak_mb"].append(out["peak_mb"])
                r["params"] = out.get("params")
            label = " ".join(str(v) for v in key(cfg))
            rate = statistics.median(out["rates"]) if out.get("rates") else float("nan")
            print(f"[{rep + 1}/{args.repeats}] {label:<55} {rate:6.2f} steps/s "
                  f"{out.get('peak_mb', 0):6.0f} MB {out.get('error', '')}", flush=True)
    print_tables(results, args, time.time() - started)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"date": time.strftime("%Y-%m-%d"), "machine": machine(),
                       "versions": versions(), "command": " ".join(sys.argv),
                       "results": [dict(r["cfg"], median=_median(r), rates=r["rates"],
                                        peak_mb=max(r["peak_mb"], default=None),
                                        errors=r["errors"]) for r in results.values()]},
                      f, indent=1)


def _median(r):
    return statistics.median(r["rates"]) if r["rates"] else None


def machine():
    return f"{platform.machine()}, {os.cpu_count()} CPU cores, {platform.system()}"


def _keras_gan_fit(results, backend, objective):
    for r in results.values():
        c = r["cfg"]
        if (c["backend"], c["objective"], c["kind"], c["variant"]) == (
                backend, objective, "keras_gan", "fit"):
            return _median(r)
    return None


def print_tables(results, args, seconds):
    print(f"\n{machine()}; {json.dumps(versions())}")
    print(f"median steps/s over {args.repeats} repeats x {args.blocks} blocks of "
          f"{args.steps} steps ({seconds / 60:.0f} min)\n")
    print("| backend | objective | implementation | steps/s | vs best native | peak MB |")
    print("|---|---|---|---:|---:|---:|")
    for backend in args.only:
        for objective in args.objectives:
            rows = [r for r in results.values()
                    if r["cfg"]["backend"] == backend and r["cfg"]["objective"] == objective]
            natives = [_median(r) for r in rows if r["cfg"]["kind"] == "native" and _median(r)
                       and not r["cfg"]["variant"].startswith("tutorial")]
            best = max(natives) if natives else None
            for r in rows:
                c, m = r["cfg"], _median(r)
                name = (c["variant"] if c["kind"] == "native" else f"keras_gan {c['variant']}")
                if m is None:
                    print(f"| {backend} | {objective} | {name} | n/a | | |"
                          f" <!-- {r['errors'][:1]} -->")
                    continue
                ratio = f"{m / best:.2f}x" if best else ""
                print(f"| {backend} | {objective} | {name} | {m:.2f} | {ratio} | "
                      f"{max(r['peak_mb']):.0f} |")
    penalised = [o for o in args.objectives if o != "ns"]
    if "ns" in args.objectives and penalised:
        print("\nkeras_gan fit: time per step against a plain (ns) step\n")
        print("| backend | " + " | ".join(penalised) + " |")
        print("|---|" + "---:|" * len(penalised))
        for backend in args.only:
            plain = _keras_gan_fit(results, backend, "ns")
            cells = []
            for o in penalised:
                rate = _keras_gan_fit(results, backend, o)
                cells.append(f"{plain / rate:.2f}x" if plain and rate else "n/a")
            print(f"| {backend} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
