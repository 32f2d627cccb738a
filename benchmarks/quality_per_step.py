"""Quality per step: FID, precision and recall of one recipe at fixed step counts.

    python -m benchmarks.quality_per_step --data ../shared/data/mnist.npz \
        --recipe dcgan --steps 12000 --eval-every 4000 \
        --set 'discriminator.args.filters=[32,64,128]' --label d3s

Trains a recipe of `keras_gan.models.recipes` (with `--set` overrides, dotted
keys and JSON values) from scratch with a fixed seed, and after every
`--eval-every` steps scores 10,000 samples of its EMA generator, with the
batch-norm statistics recalibrated on 8,192 of its own samples, against the
MNIST test digits (keras_gan's `mnist_classifier` features). Prints one JSON
line per evaluation (step, training seconds, FID, precision, recall, class
coverage; for a class-conditional recipe such as `cdcgan`, also the share
of samples classified as the digit asked for, and FID, precision and recall
with each digit asked for as often as the training set has it instead of
equally often) and appends it to `--out`.
Where `time_to_quality.py` compares recipes at equal wall time, this
compares them at equal steps, which two runs sharing a machine cannot
distort; it is how docs/benchmarks.md's "A deeper discriminator" table was
measured (`--threads 1`, two runs at a time).

`--init-from DIR` starts from the latest checkpoint in a
`keras_gan.callbacks.Checkpoint` folder (a zoo run's `work/checkpoints`)
instead of from scratch, with the recipe's (or `--set`) learning rates,
and counts steps on from the checkpoint's (the data order starts afresh):
how a finished zoo model goes on improving, or not, with more steps or
another setting.
"""

import argparse
import json
import os
import time
import warnings

from keras_gan.utils.environment import configure_environment


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", required=True, help="mnist.npz with x_train and x_test")
    p.add_argument("--recipe", default="dcgan")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    p.add_argument("--label", default=None, help="name of the run in the output")
    p.add_argument("--steps", type=int, default=12000)
    p.add_argument("--eval-every", type=int, default=4000)
    p.add_argument("--samples", type=int, default=10000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=0,
                   help="TensorFlow intra- and inter-op threads (0: TensorFlow's default)")
    p.add_argument("--init-from", default=None, metavar="DIR",
                   help="a Checkpoint folder: continue from its latest checkpoint")
    p.add_argument("--out", default=os.path.join("outputs", "quality_per_step.jsonl"))
    args = p.parse_args(argv)
    for name in ("steps", "eval_every", "samples"):
        if getattr(args, name) < 1:
            p.error(f"--{name.replace('_', '-')} must be >= 1, got {getattr(args, name)}")
    return args


def main(argv=None):
    args = parse_args(argv)
    configure_environment(os.environ.get("KERAS_BACKEND", "tensorflow"))
    import keras

    if args.threads and keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        tf.config.threading.set_intra_op_parallelism_threads(args.threads)
        tf.config.threading.set_inter_op_parallelism_threads(args.threads)
    import keras_gan
    from keras_gan.evaluation import Evaluator
    from keras_gan.evaluation import labels_in_shares
    from keras_gan.models import recipes

    recipe = recipes.get_recipe(args.recipe)
    try:
        recipes.apply_overrides(recipe, args.set)
    except ValueError as e:
        raise SystemExit(f"--set: {e}")
    keras.utils.set_random_seed(args.seed)
    conditional = bool(recipe.get("conditional"))
    gan = recipes.build_gan(recipe, seed=args.seed, num_classes=10 if conditional else None,
                            total_steps=args.steps)  # the run's length, for optimizer.lr_decay
    first = 0
    if args.init_from:
        state = keras_gan.callbacks.Checkpoint(args.init_from).restore(gan)
        if state is None:
            raise SystemExit(f"--init-from: no checkpoint in {args.init_from!r}")
        first = int(state["step"])
    x, y, _ = keras_gan.data.load_mnist(args.data, split="train", allow_sample=False)
    images = keras_gan.data.to_gan_range(x)
    labels = y.astype("int32") if conditional else None
    stream = keras_gan.training.EpochBatches(images, labels, batch_size=recipe["batch_size"],
                                             seed=args.seed, repeat=True)
    evaluator = Evaluator("mnist-test", data_path=args.data)
    label = args.label or " ".join([args.recipe, *args.set])
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    trained = 0.0
    for i in range(args.steps // args.eval_every):
        start = time.time()
        gan.fit(stream, epochs=1, steps_per_epoch=args.eval_every, verbose=0, shuffle=False)
        trained += time.time() - start
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            scores = evaluator.score_generator(gan, args.samples, seed=0, recalibrate=True)
        row = {"label": label, "step": first + (i + 1) * args.eval_every,
               "train_s": round(trained),
               **{k: round(v, 4) for k, v in keras_gan.metrics.metric_values(scores).items()}}
        if conditional:
            # Equal shares above; here each class as often as the training
            # set has it (keras_gan.evaluation.labels_in_shares).
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                shares = evaluator.score_generator(
                    G, args.samples, seed=0,
                    labels=labels_in_shares(args.samples, labels, 10))
            row.update({f"{k}_training_shares": round(v, 4)
                        for k, v in keras_gan.metrics.metric_values(shares).items()})
        print(json.dumps(row), flush=True)
        with open(args.out, "a") as f:
            f.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    main()
