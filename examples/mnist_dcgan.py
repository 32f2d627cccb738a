"""Train a DCGAN on MNIST and write sample grids: the Quickstart's main job.

    python examples/mnist_dcgan.py [--data PATH/mnist.npz] [--backend jax]

Trains keras_gan's `dcgan-short` recipe (`keras_gan.models.recipes`: the
lean `dcgan` recipe, chosen for quality per minute on a CPU, with the
learning rates that do best in a run of minutes; docs/benchmarks.md) for
`--steps` steps or `--max-minutes` minutes of training, whichever ends
first. Uses full MNIST when `--data` or Keras' cache has it, else
(offline) the real MNIST sample bundled with keras_gan, and says which. Writes to
`--out`: `samples.png` (final 8x8 grid), `epoch_NNN.png` (a grid every
`--grid-every` steps), `history.png` (loss and D-output curves),
`gan.keras` (resumable),
`generator.keras` (standalone), `history.json`, and `metrics.json`: FID, KID,
classifier score, precision/recall and density/coverage of 10,000 samples
against the MNIST test digits (extractor: keras_gan's MNIST classifier).
"""

import argparse
import json
import os
import sys
import time

from keras_gan.utils.environment import configure_environment


STEPS = 5000
# The Quickstart promises samples within 6 minutes of training on 2 CPU
# cores; the rest is the margin for the step and grid that end the run.
MAX_MINUTES = 5.8


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", default=None, help="path to mnist.npz (x_train, y_train, ...)")
    p.add_argument("--backend", default=None, choices=["tensorflow", "jax", "torch"],
                   help="Keras backend (default: KERAS_BACKEND or tensorflow)")
    p.add_argument("--recipe", default="dcgan-short",
                   help="a recipe of keras_gan.models.recipes (default: dcgan-short)")
    p.add_argument("--steps", type=int, default=STEPS,
                   help=f"training steps (default {STEPS})")
    p.add_argument("--max-minutes", type=float, default=MAX_MINUTES,
                   help=f"stop training after this many minutes even if --steps are not done "
                        f"(default {MAX_MINUTES}; 0: no limit)")
    p.add_argument("--epochs", type=int, default=None,
                   help="train whole passes over the data instead of --steps")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="override a recipe value (dotted key, JSON value), "
                        "e.g. optimizer.lr_decay=0.5")
    p.add_argument("--batch-size", type=int, default=None, help="default: the recipe's")
    p.add_argument("--max-images", type=int, default=60000,
                   help="train on at most this many images")
    p.add_argument("--latent-dim", type=int, default=None, help="default: the recipe's")
    p.add_argument("--grid-every", type=int, default=1000,
                   help="steps between the epoch_NNN.png grids")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", default="outputs/mnist_dcgan")
    p.add_argument("--eval-samples", type=int, default=10000,
                   help="samples scored at the end (0: skip the evaluation)")
    args = p.parse_args(argv)
    for name in ("epochs", "steps", "batch_size", "max_images", "latent_dim", "grid_every"):
        if getattr(args, name) is not None and getattr(args, name) < 1:
            p.error(f"--{name.replace('_', '-')} must be >= 1, got {getattr(args, name)}")
    if not args.max_minutes >= 0:
        p.error(f"--max-minutes must be >= 0, got {args.max_minutes}")
    return args


def main(argv=None):
    args = parse_args(argv)
    # The backend, TensorFlow's log level and its oneDNN switch, before Keras
    # is imported: without oneDNN the demo takes about twice as long on CPUs
    # older than AVX-512 VNNI (docs/design.md, "TensorFlow's oneDNN switch").
    configure_environment(args.backend or os.environ.get("KERAS_BACKEND", "tensorflow"))
    import keras
    import numpy as np

    import keras_gan
    from keras_gan.data import load_mnist
    from keras_gan.data import to_gan_range
    from keras_gan.models import recipes

    recipe = recipes.get_recipe(args.recipe)
    for name in ("batch_size", "latent_dim"):
        if getattr(args, name) is not None:
            recipe[name] = getattr(args, name)
    try:
        recipes.apply_overrides(recipe, args.set)
    except ValueError as e:
        raise SystemExit(f"--set: {e}")
    keras.utils.set_random_seed(args.seed)
    x, _, source = load_mnist(args.data)
    images = to_gan_range(x[: args.max_images])
    # One endless stream of shuffled epochs (one Keras iterator for the
    # whole run), cut into chunks of --grid-every steps for the grids.
    stream = keras_gan.training.EpochBatches(images, batch_size=recipe["batch_size"],
                                             seed=args.seed, repeat=True)
    steps = args.epochs * stream.batches_per_epoch if args.epochs else args.steps
    chunk = min(args.grid_every, steps)
    print(f"backend={keras.backend.backend()} data={source} images={len(images)} "
          f"recipe={args.recipe} batch_size={recipe['batch_size']} steps={steps}"
          + (f" (at most {args.max_minutes:g} minutes)" if args.max_minutes else ""), flush=True)

    gan = recipes.build_gan(recipe, seed=args.seed, total_steps=steps)
    os.makedirs(args.out, exist_ok=True)
    z = np.random.default_rng(args.seed).normal(size=(64, gan.latent_dim)).astype("float32")

    # Each chunk's logs and the step it ended at, across both fit calls below:
    # the history plot's points.
    step_history = keras_gan.callbacks.StepHistory()

    class Grid(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            path = os.path.join(args.out, f"epoch_{epoch + 1:03d}.png")
            keras_gan.save_image_grid(gan.generate(z), path, nrow=8, scale=2)

    # One clock for both fit calls below.
    limit = [keras_gan.callbacks.TimeLimit(args.max_minutes)] if args.max_minutes else []
    start = time.time()
    verbose = 2 if not sys.stdout.isatty() else "auto"
    history = gan.fit(stream, epochs=steps // chunk, steps_per_epoch=chunk,
                      callbacks=[Grid(), step_history] + limit, verbose=verbose, shuffle=False)
    stopped = bool(limit) and limit[0].expired
    if steps % chunk and not stopped:  # the rest, from where the stream stopped
        done = steps - steps % chunk
        first_epoch, start_batch = divmod(done, stream.batches_per_epoch)
        rest = keras_gan.training.EpochBatches(
            images, batch_size=recipe["batch_size"], seed=args.seed, first_epoch=first_epoch,
            start_batch=start_batch, repeat=True)
        more = gan.fit(rest, epochs=steps // chunk + 1, initial_epoch=steps // chunk,
                       steps_per_epoch=steps % chunk, callbacks=[Grid(), step_history] + limit,
                       verbose=verbose, shuffle=False)
        stopped = bool(limit) and limit[0].expired
        for k, v in more.history.items():
            history.history[k].extend(v)
    elapsed = time.time() - start
    # The EMA generator's batch-norm layers still hold the online G's moving
    # statistics: measure its own on 8,192 of its samples (a few seconds;
    # docs/concepts.md). It shares its network with `gan`, so the grid, the
    # saved models and the scores below all use them.
    start_bn = time.time()
    recalibrated = keras_gan.Generator.from_gan(gan).recalibrate_batch_norm()
    if recalibrated:
        print(f"recalibrated {recalibrated} batch-norm layers of the "
              f"{'EMA ' if gan.generator_ema is not None else ''}generator on 8,192 samples "
              f"({time.time() - start_bn:.0f}s)")

    samples = os.path.join(args.out, "samples.png")
    keras_gan.save_image_grid(gan.generate(z), samples, nrow=8, scale=2)
    gan.save(os.path.join(args.out, "gan.keras"))
    gan.export_generator(os.path.join(args.out, "generator.keras"))
    from keras_gan.utils.run_record import write_run_record

    record = write_run_record(
        os.path.join(args.out, "history.json"), steps=int(gan.optimizer.iterations),
        history=history, epoch_logs=step_history,
        timing={"seconds": round(elapsed, 1), "runs": 1, "stopped_by_time_limit": stopped,
                "max_minutes": args.max_minutes or None},
        config={"recipe": args.recipe, "data": source, "images": len(images),
                "batch_size": recipe["batch_size"]})
    from keras_gan.utils.history_plot import save_history_plot

    save_history_plot(step_history, os.path.join(args.out, "history.png"),
                      title=f"{args.recipe} recipe, {record['steps']} steps")
    print(f"trained {record['steps']} steps in {elapsed:.0f}s"
          + (f" (stopped at the {args.max_minutes:g}-minute limit)" if stopped else "")
          + f"; sample grid: {samples}")
    print(f"resume with keras.saving.load_model({os.path.join(args.out, 'gan.keras')!r})")
    if args.eval_samples:
        evaluate(gan, args, source)


def evaluate(gan, args, source):
    import warnings

    from keras_gan.evaluation import Evaluator

    start = time.time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        evaluator = Evaluator("mnist-test", data_path=args.data, allow_sample=True)
        scores = evaluator.score_generator(gan, n_samples=args.eval_samples, seed=args.seed)
    with open(os.path.join(args.out, "metrics.json"), "w") as f:
        json.dump(scores, f, indent=1)
    print(f"{scores['n_samples']} samples vs {scores['reference']} "
          f"({scores['extractor']}): fid={scores['fid']:.3f} kid={scores['kid']:.4f} "
          f"classifier_score={scores['classifier_score']:.2f} "
          f"precision={scores['precision']:.3f} recall={scores['recall']:.3f} "
          f"density={scores['density']:.3f} coverage={scores['coverage']:.3f} "
          f"({time.time() - start:.0f}s)")


if __name__ == "__main__":
    main()
