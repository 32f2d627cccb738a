"""`keras-gan sample MODEL`: samples from a saved GAN or generator to PNG or .npz."""

import argparse
import contextlib
import os
import sys

import numpy as np

HELP = """Draw samples from a saved .keras GAN (keras_gan.GAN / ConditionalGAN)
or generator model, or from a zoo model (a zoo name such as mnist-dcgan, an
hf://owner/repo handle or a zoo folder; see `keras-gan zoo list`), and write a PNG grid (--out ends in .png) or an .npz
(images uint8 under 'samples', labels under 'labels') that
`keras-gan evaluate` reads."""


def add_parser(sub):
    p = sub.add_parser("sample", help="samples from a saved model to PNG or .npz",
                       description=HELP,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model", metavar="MODEL",
                   help="a saved .keras GAN or generator, a zoo name, hf://owner/repo or a zoo folder")
    p.add_argument("--revision", help="Hub revision for a zoo name or hf:// handle")
    p.add_argument("--out", default="samples.png", help="output .png or .npz")
    p.add_argument("-n", "--n-samples", type=int, default=64,
                   help="number of samples; without --labels, a conditional model's PNG "
                        "grid has one row per class of round(sqrt(N)) samples")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--labels", help="comma-separated classes for a conditional model "
                                    "(default: the classes in turn)")
    p.add_argument("--no-ema", action="store_true", help="use the raw generator of a GAN")
    p.add_argument("--scale", type=int, default=2, help="PNG upscaling")
    p.add_argument("--batch-size", type=int, default=500)
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar (stderr)")
    return p


def run(args):
    for name in ("n_samples", "scale", "batch_size"):
        if getattr(args, name) < 1:
            flag = "--" + name.replace("_", "-")
            raise ValueError(f"{flag} must be >= 1. Received: {flag}={getattr(args, name)}")
    if not args.out.endswith((".png", ".npz")):
        raise ValueError(f"--out must end in .png or .npz. Received: --out={args.out!r}")
    labels = None
    if args.labels:
        try:
            labels = [int(v) for v in args.labels.split(",")]
        except ValueError:
            raise ValueError(
                f"--labels must be comma-separated integers. Received: --labels={args.labels!r}"
            ) from None
        labels = np.resize(np.asarray(labels, "int32"), args.n_samples)

    from keras_gan.cli.evaluate import _load_model
    from keras_gan.evaluation.sampling import draw_samples
    from keras_gan.generator import Generator
    from keras_gan.utils.atomic import atomic_path
    from keras_gan.utils.image_grid import class_grid_labels
    from keras_gan.utils.image_grid import save_image_grid

    if os.path.isfile(args.model):
        model = _load_model(args.model)
    elif args.model.endswith(".keras"):
        raise FileNotFoundError(f"No such model file. Received: MODEL={args.model!r}")
    else:
        import keras_gan

        model = keras_gan.zoo.load(args.model, revision=args.revision)
    generator = Generator.from_gan(model, use_ema=False if args.no_ema else None)
    n_samples, nrow = args.n_samples, None
    if args.out.endswith(".png") and generator.conditional and labels is None:
        # The zoo cards' layout: one row per class.
        labels, nrow = class_grid_labels(generator.num_classes, args.n_samples)
        n_samples = len(labels)
    with contextlib.redirect_stdout(sys.stderr):  # Keras' Progbar writes to stdout
        images, labels, (low, high) = draw_samples(
            generator, n_samples, seed=args.seed, labels=labels, batch_size=args.batch_size,
            verbose=0 if args.quiet else 1)
    images = (np.asarray(images, "float32") - low) / (high - low) * 2.0 - 1.0
    if args.out.endswith(".png"):
        with atomic_path(args.out) as tmp:
            save_image_grid(images, tmp, nrow=nrow, scale=args.scale)
    else:
        pixels = np.clip(np.rint((images + 1.0) * 127.5), 0, 255).astype("uint8")
        arrays = {"samples": pixels}
        if labels is not None:
            arrays["labels"] = np.asarray(labels)
        with atomic_path(args.out) as tmp:
            np.savez_compressed(tmp, **arrays)
    print(f"Wrote {n_samples} samples to {args.out}")
    return 0
