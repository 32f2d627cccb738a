"""Scores a checkpoint of a zoo training run as the model card scores the final GAN.

    python -m zoo.score_checkpoint zoo/mnist-wgan-gp/train.py \\
        zoo/mnist-wgan-gp/work/checkpoints/ckpt-0000075000 --epochs 64

Builds the recipe's GAN (the `--epochs` of the run, for a recipe whose
learning rates decay over it), loads the checkpoint's weights and prints one
JSON line: the step and the card's metrics (`zoo_finalize.score_ema_generator`:
the recalibrated EMA generator, 10,000 samples against the MNIST test
digits, `mnist_classifier` features). `Checkpoint` keeps only the newest
checkpoints, so copy the ones to score before training moves on.
"""

import argparse
import importlib.util
import json
import os

from keras_gan.utils.environment import configure_environment

HERE = os.path.dirname(os.path.abspath(__file__))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("train_py", help="the zoo model's train.py")
    p.add_argument("checkpoint", help="a ckpt-<step> folder written by keras_gan's Checkpoint")
    p.add_argument("--epochs", type=int, help="the run's epochs (default: the recipe's)")
    p.add_argument("--data", default=os.path.join(HERE, "..", "..", "shared", "data", "mnist.npz"),
                   help="mnist.npz with the MNIST test digits")
    p.add_argument("--backend", default="tensorflow", choices=["tensorflow", "jax", "torch"])
    args = p.parse_args(argv)
    configure_environment(args.backend)  # as the recipe trains
    from zoo.recipe import build_gan
    from zoo.recipe import resolve
    from zoo.zoo_finalize import score_ema_generator

    spec = importlib.util.spec_from_file_location("zoo_train", args.train_py)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    recipe = resolve(module.RECIPE)
    gan = build_gan(recipe, 60000, args.epochs)
    gan.load_weights(os.path.join(args.checkpoint, "gan.weights.h5"))
    with open(os.path.join(args.checkpoint, "state.json")) as f:
        step = json.load(f)["step"]
    _, _, _, scores = score_ema_generator(gan, recipe["name"], args.data)
    from keras_gan.metrics import metric_values

    values = metric_values(scores)
    print(json.dumps({"step": step, **{k: round(v, 5) for k, v in values.items()}}))


if __name__ == "__main__":
    main()
