"""Peak memory while training from a stream larger than memory, per backend.

    python -m benchmarks.memory_streaming [--backends tensorflow jax torch]
        [--epochs 6] [--steps 40] [--batch-size 64]

A `keras.utils.PyDataset` synthesises every batch on the fly (28x28 images,
as if read from disk): over all epochs the stream is `epochs x steps x
batch` images, far more than is ever held in memory. The DCGAN trains with
a keras_gan `Checkpoint` each epoch. The script prints the resident memory
(RSS) after each epoch and its growth from epoch 2 (after compilation) to
the last: flat memory means no leak per step or per epoch.
"""

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile

from keras_gan.utils.environment import configure_environment


def rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def child(args):
    import keras
    import numpy as np

    import keras_gan

    class Stream(keras.utils.PyDataset):
        def __init__(self):
            super().__init__()
            self.epoch = 0

        def __len__(self):
            return args.steps

        def __getitem__(self, i):
            rng = np.random.default_rng([self.epoch, i])
            return rng.uniform(-1, 1, (args.batch_size, 28, 28, 1)).astype("float32")

        def on_epoch_end(self):
            self.epoch += 1

    per_epoch = []

    class Measure(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            per_epoch.append(rss_mb())

    keras.utils.set_random_seed(0)
    G = keras_gan.models.dcgan_generator(100, (28, 28, 1))
    D = keras_gan.models.dcgan_discriminator((28, 28, 1))
    gan = keras_gan.GAN(G, D, 100, penalty=keras_gan.penalties.R1(1.0, interval=4))
    gan.compile()
    with tempfile.TemporaryDirectory() as tmp:
        gan.fit(Stream(), epochs=args.epochs, verbose=0, callbacks=[
            keras_gan.callbacks.Checkpoint(tmp, epoch_freq=1), Measure()])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rss": per_epoch, "peak": peak}))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--backends", nargs="+", default=["tensorflow", "jax", "torch"])
    p.add_argument("--epochs", type=int, default=6)
    p.add_argument("--steps", type=int, default=40)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    configure_environment()  # a child: KERAS_BACKEND from its parent
    if args.child:
        return child(args)
    rows = []
    for backend in args.backends:
        env = dict(os.environ, KERAS_BACKEND=backend)
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.memory_streaming", "--child", "--epochs", str(args.epochs), "--steps",
             str(args.steps), "--batch-size", str(args.batch_size)],
            env=env, capture_output=True, text=True,
        )
        if out.returncode:
            print(out.stderr[-3000:], file=sys.stderr)
            raise SystemExit(f"{backend} failed")
        rows.append((backend, json.loads(out.stdout.strip().splitlines()[-1])))
    images = args.epochs * args.steps * args.batch_size
    print(f"\nStreaming {images:,} synthetic 28x28 images ({args.epochs} epochs x "
          f"{args.steps} steps x {args.batch_size}); DCGAN + R1 (interval 4) + "
          f"Checkpoint per epoch; {platform.machine()}, {os.cpu_count()} CPUs\n")
    print("| backend | RSS per epoch (MB) | growth epoch 2 -> last (MB) | peak RSS (MB) |")
    print("|---|---|---:|---:|")
    for backend, r in rows:
        rss = r["rss"]
        print(f"| {backend} | {' '.join(f'{v:.0f}' for v in rss)} | "
              f"{rss[-1] - rss[1]:+.1f} | {r['peak']:.0f} |")


if __name__ == "__main__":
    main()
