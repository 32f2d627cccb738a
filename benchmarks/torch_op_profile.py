"""Where a torch training step's time goes: keras_gan `fit` against native torch.

    python -m benchmarks.torch_op_profile [--steps 6] [--top 18]

Runs the benchmark's non-saturating DCGAN step (see training_speed.py) under
`cProfile` for `--steps` steps after 3 warm-up steps: the native torch code,
keras_gan's train step with Keras' own layer calls
(`KERAS_GAN_FAST_LAYERS=0`), and keras_gan's train step as it runs by
default (KERAS_BACKEND=torch, driven through `gan.train_step` on a fixed
batch), and prints the time spent inside
each torch function (cProfile's `tottime`: eager torch runs each operator
inside the Python call that issues it; the backward pass is one call,
`run_backward`), in ms per step, side by side. cProfile adds little to
calls this long; `torch.profiler` was tried first and its per-operator
overhead distorted the comparison (the two steps swapped ranks).
"""

import argparse
import os
import time

from keras_gan.utils.environment import configure_environment

configure_environment("torch")


def profile(fn, steps):
    import cProfile
    import pstats

    for _ in range(3):
        fn()
    prof = cProfile.Profile()
    start = time.perf_counter()
    prof.enable()
    for _ in range(steps):
        fn()
    prof.disable()
    wall = (time.perf_counter() - start) / steps
    table = {}
    for (path, _, name), (_, _, tottime, _, _) in pstats.Stats(prof).stats.items():
        if path == "~" and ("torch" in name or "method '" in name):
            table[name] = table.get(name, 0.0) + tottime * 1000 / steps
    python = sum(t for (path, _, _), (_, _, t, _, _) in pstats.Stats(prof).stats.items()
                 if path != "~") * 1000 / steps
    table["(Python code: Keras, keras_gan, torch.nn wrappers)"] = python
    return table, wall * 1000


def native(steps):
    import numpy as np

    from benchmarks.native import torch_dcgan

    step, _ = torch_dcgan.build("ns")
    x = torch_dcgan.to_batch(np.random.default_rng(0).uniform(-1, 1, (128, 28, 28, 1))
                             .astype("float32"))
    return profile(lambda: step(x), steps)


def keras_gan_step(steps, fast_layers=True):
    """keras_gan's step; `fast_layers=False`: Keras' own layer calls."""
    os.environ["KERAS_GAN_FAST_LAYERS"] = "1" if fast_layers else "0"
    import keras
    import numpy as np

    import keras_gan

    G = keras_gan.models.dcgan_generator(100, (28, 28, 1))
    D = keras_gan.models.dcgan_discriminator((28, 28, 1))
    gan = keras_gan.GAN(G, D, 100, seed=0)
    gan.compile(keras.optimizers.Adam(2e-4, beta_1=0.5), keras.optimizers.Adam(2e-4, beta_1=0.5))
    x = keras.ops.convert_to_tensor(
        np.random.default_rng(0).uniform(-1, 1, (128, 28, 28, 1)).astype("float32"))
    return profile(lambda: gan.train_step((x,)), steps)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--steps", type=int, default=6)
    p.add_argument("--top", type=int, default=18)
    args = p.parse_args()
    import torch

    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    a, wall_a = native(args.steps)
    k, wall_k = keras_gan_step(args.steps, fast_layers=False)
    b, wall_b = keras_gan_step(args.steps)
    print(f"\nms per step (wall): native {wall_a:.0f}, keras_gan with Keras' layer calls "
          f"{wall_k:.0f} ({wall_k / wall_a:.2f}x), keras_gan {wall_b:.0f} "
          f"({wall_b / wall_a:.2f}x)\n")
    print("| torch call (time inside) | native ms/step | keras_gan, Keras' layer calls | "
          "keras_gan | keras_gan - native |")
    print("|---|---:|---:|---:|---:|")
    keys = sorted(set(a) | set(b) | set(k),
                  key=lambda n: -max(abs(b.get(n, 0) - a.get(n, 0)), abs(k.get(n, 0) - a.get(n, 0))))
    for n in keys[: args.top]:
        print(f"| `{n}` | {a.get(n, 0):.1f} | {k.get(n, 0):.1f} | {b.get(n, 0):.1f} | "
              f"{b.get(n, 0) - a.get(n, 0):+.1f} |")
    print(f"| all | {sum(a.values()):.0f} | {sum(k.values()):.0f} | {sum(b.values()):.0f} | "
          f"{sum(b.values()) - sum(a.values()):+.0f} |")


if __name__ == "__main__":
    main()
