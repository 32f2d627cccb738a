"""Shared training recipe for the MNIST zoo generators (not part of the package).

Each `zoo/<name>/train.py` holds its settings as plain data (`RECIPE`) and
calls `main(RECIPE)`; `zoo/train.py` runs it by name, from the repository
root:

    python -m zoo.train mnist-dcgan --data ../shared/data/mnist.npz

Stage 1 trains on the 60,000 MNIST training digits with a fixed seed, with
`keras_gan.callbacks.Checkpoint` in `zoo/<name>/work/` (rerun the command
after an interruption and it continues at the exact step). Stage 2 takes
the EMA generator, scores 10,000 samples against the MNIST test digits with
keras_gan's MNIST classifier and writes `zoo/<name>/hub/`: exactly the
files published to the Hub (config, weights, model card, sample grid).
"""

import argparse
import json
import os
import time

from keras_gan.utils.environment import configure_environment

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def parse_args(recipe, argv=None):
    from keras_gan.utils.deprecation import add_deprecated_flag

    p = argparse.ArgumentParser(description=f"Train the zoo model {recipe['name']!r}.")
    p.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data", "mnist.npz"),
                   help="mnist.npz with x_train/y_train/x_test/y_test")
    p.add_argument("--backend", default="tensorflow", choices=["tensorflow", "jax", "torch"])
    p.add_argument("--epochs", type=int, default=recipe["epochs"])
    p.add_argument("--work", default=os.path.join(HERE, recipe["name"], "work"))
    p.add_argument("--hub", default=os.path.join(HERE, recipe["name"], "hub"))
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="override a recipe value (dotted key, JSON value), e.g. "
                        "optimizer.g_lr=2e-4; a rerun resumes from the last checkpoint "
                        "with it (e.g. after DivergenceGuard stopped a run)")
    p.add_argument("--save-freq", type=int, default=250, help="steps between checkpoints")
    add_deprecated_flag(p, "--checkpoint-every", "--save-freq", dest="save_freq", type=int)
    p.add_argument("--train-only", action="store_true")
    p.add_argument("--finalize-only", action="store_true")
    return p.parse_args(argv)


def zoo_recipes():
    """`{zoo name: RECIPE}` of every `zoo/<name>/train.py`."""
    import importlib.util

    out = {}
    for name in sorted(os.listdir(HERE)):
        path = os.path.join(HERE, name, "train.py")
        if name.startswith("mnist-") and os.path.exists(path) and name != "mnist-classifier":
            spec = importlib.util.spec_from_file_location(f"zoo_{name}", path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            out[name] = module.RECIPE
    return out


def resolve(zoo, sets=()):
    """The zoo entry merged over its `keras_gan.models.recipes` recipe.

    `sets`: `"dotted.key=JSON value"` overrides (`--set`).
    """
    from keras_gan.models import recipes

    recipe = recipes.get_recipe(zoo["recipe"])
    recipe.update({k: v for k, v in zoo.items() if k != "recipe"})
    recipe["recipe"] = zoo["recipe"]
    try:
        recipes.apply_overrides(recipe, sets)
    except ValueError as e:
        raise SystemExit(f"--set: {e}")
    recipe["overrides"] = list(sets)
    recipe["conditional"] = bool(recipe.get("conditional"))
    return recipe


def build_gan(recipe, n_images=60000, epochs=None):
    from keras_gan.models import recipes

    epochs = recipe["epochs"] if epochs is None else epochs
    return recipes.build_gan(recipe, num_classes=10 if recipe["conditional"] else None,
                             seed=recipe["seed"],  # total_steps: for an optimizer.lr_decay
                             total_steps=recipes.run_steps(recipe, n_images, epochs))


def train(recipe, args):
    import keras

    import keras_gan

    keras.utils.set_random_seed(recipe["seed"])
    x, y, _ = keras_gan.data.load_mnist(args.data, split="train", allow_sample=False)
    y = y.astype("int32")
    images = keras_gan.data.to_gan_range(x)
    gan = build_gan(recipe, len(images), args.epochs)
    os.makedirs(args.work, exist_ok=True)
    callbacks = [
        keras_gan.callbacks.DivergenceGuard(),
        keras_gan.callbacks.Checkpoint(os.path.join(args.work, "checkpoints"),
                                       save_freq=args.save_freq, keep=2, verbose=1),
        keras_gan.callbacks.SampleGrid(os.path.join(args.work, "grids"), scale=2),
    ]
    timing_path = os.path.join(args.work, "timing.json")
    timing = {"seconds": 0.0, "runs": 0}
    if os.path.exists(timing_path):
        with open(timing_path) as f:
            timing = json.load(f)

    def save_timing():
        with open(timing_path, "w") as f:
            json.dump(timing, f)

    class Clock(keras.callbacks.Callback):
        """Adds up training wall time across resumed runs (timing.json), at
        every checkpoint and epoch end, and the highest 1-minute load average
        seen: above the core count, other jobs shared the machine."""

        def _record(self):
            now = time.time()
            timing["seconds"] += now - self.t
            self.t = now
            timing["max_load"] = round(max(timing.get("max_load", 0.0), os.getloadavg()[0]), 2)
            save_timing()

        def on_train_batch_end(self, batch, logs=None):
            self.batches += 1
            if self.batches % args.save_freq == 0:
                self._record()

        def on_epoch_end(self, epoch, logs=None):
            self._record()

        def on_train_begin(self, logs=None):  # once per fit call: a resume makes two
            self.t = time.time()
            self.batches = 0

    print(f"[{recipe['name']}] backend={keras.backend.backend()} images={len(images)} "
          f"epochs={args.epochs}", flush=True)
    labels = y if recipe.get("conditional") else None
    timing["runs"] += 1  # this process: one run, however many fit calls resuming takes
    save_timing()
    history = gan.fit(images, labels, epochs=args.epochs, batch_size=recipe["batch_size"],
                      callbacks=callbacks + [Clock()], verbose=2)
    gan.save(os.path.join(args.work, "gan.keras"))
    from keras_gan.utils.run_record import write_run_record

    record = write_run_record(
        os.path.join(args.work, "train_record.json"),
        steps=int(keras.ops.convert_to_numpy(gan.optimizer.iterations)), history=history,
        timing=dict(timing, seconds=round(timing["seconds"], 1)),
        config={"recipe": recipe["name"], "epochs": args.epochs,
                "batch_size": recipe["batch_size"]})
    print(f"[{recipe['name']}] trained {record['steps']} steps in "
          f"{record['timing']['seconds']} s", flush=True)


def main(zoo, argv=None):
    args = parse_args(zoo, argv)
    configure_environment(args.backend)  # before resolve() imports Keras
    recipe = resolve(zoo, args.set)
    if not args.finalize_only:
        train(recipe, args)
    if not args.train_only:
        from zoo.zoo_finalize import finalize

        finalize(recipe, args)
