"""`keras-gan train`: train a GAN from the command line, resumably."""

import argparse
import os
import signal
import sys
import time

HELP = """Train a DCGAN (or a class-conditional DCGAN) on MNIST, on images in
an .npz file, or on a folder of PNG/JPEG/BMP pictures (--data DIR
--image-size 32; class sub-folders become the labels of --model
conditional-dcgan). Progress, checkpoints, sample grids and (for 28x28
grayscale data) FID etc. go to --out.

Rerun the same command to resume: training continues from the latest
checkpoint in OUT/checkpoints at the exact step. Ctrl-C saves a checkpoint
at the next step boundary and tells you how to resume; a second Ctrl-C
stops at once (the last periodic checkpoint remains). --max-minutes M
does the same after M minutes of training, so a long run can be trained
in sittings: rerun the command for the next M minutes."""


def add_parser(sub):
    from keras_gan.utils.deprecation import add_deprecated_flag

    p = sub.add_parser("train", help="train a GAN (resumable)", description=HELP,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", default="mnist",
                   help="'mnist', an .npz with images (x/images/samples) and, for "
                        "--model conditional-dcgan, labels (y/labels), or a folder of "
                        "images (searched recursively; streamed, never all in memory)")
    p.add_argument("--image-size", type=int, default=None,
                   help="for a folder: the square side images are centre-cropped and "
                        "resized to (a multiple of 4; required with a folder)")
    p.add_argument("--channels", type=int, default=None, choices=(1, 3),
                   help="for a folder: 3 (RGB) or 1 (grayscale); default: the files'")
    p.add_argument("--skip-bad-images", action="store_true",
                   help="for a folder: leave out unreadable, truncated or too-small files "
                        "(counted) instead of stopping")
    p.add_argument("--mnist", metavar="MNIST_NPZ",
                   help="path of mnist.npz (default: $KERAS_GAN_MNIST, Keras' cache, "
                        "download, else the bundled 2,000-digit sample)")
    p.add_argument("--model", default=None, choices=("dcgan", "conditional-dcgan"),
                   help="dcgan (default recipe 'dcgan') or conditional-dcgan (default "
                        "recipe 'cdcgan')")
    p.add_argument("--recipe", default=None,
                   help="a recipe of keras_gan.models.recipes (architecture, loss, penalty, "
                        "optimizer, batch size): dcgan, cdcgan, wgan-gp, tutorial, ... "
                        "The flags below override its values")
    p.add_argument("--loss", default=None, help="adversarial loss (default: the recipe's)")
    p.add_argument("--penalty", default=None,
                   help="r1 (gamma 1), r2, wgan_gp, dragan or none (default: the recipe's)")
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--batch-size", type=int, default=None, help="default: the recipe's")
    p.add_argument("--latent-dim", type=int, default=None, help="default: the recipe's")
    p.add_argument("--lr", type=float, default=None,
                   help="Adam learning rate of G and D (default: the recipe's)")
    p.add_argument("--d-steps", type=int, default=None, help="default: the recipe's")
    p.add_argument("--ema", type=float, default=None,
                   help="EMA decay, 0: no EMA (default: the recipe's)")
    p.add_argument("--max-images", type=int, default=None)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", default="outputs/train")
    p.add_argument("--save-freq", type=int, default=200,
                   help="steps between checkpoints, as Checkpoint(save_freq=) (default 200)")
    add_deprecated_flag(p, "--checkpoint-every", "--save-freq", dest="save_freq", type=int)
    p.add_argument("--max-minutes", type=float, default=None,
                   help="stop after this many minutes of training in this run, with a "
                        "checkpoint to resume from (default: no limit)")
    p.add_argument("--eval-freq", type=int, default=0,
                   help="epochs between FID evaluations, as EvaluationCallback(epoch_freq=) "
                        "(28x28 grayscale only; 0: off)")
    add_deprecated_flag(p, "--eval-every", "--eval-freq", dest="eval_freq", type=int)
    p.add_argument("--eval-samples", type=int, default=10000)
    p.add_argument("--tensorboard", action="store_true",
                   help="log losses and sample grids to OUT/tensorboard (needs TensorFlow installed)")
    p.add_argument("--verbose", type=int, default=None, help="Keras fit verbosity")
    return p


def _check(args):
    for name in ("epochs", "batch_size", "latent_dim", "d_steps", "save_freq",
                 "eval_samples"):
        value = getattr(args, name)
        if value is not None and value < 1:
            flag = "--" + name.replace("_", "-")
            raise ValueError(f"{flag} must be >= 1. Received: {flag}={value}")
    if args.max_images is not None and args.max_images < 1:
        raise ValueError(f"--max-images must be >= 1. Received: --max-images={args.max_images}")
    if args.lr is not None and not args.lr > 0:
        raise ValueError(f"--lr must be positive. Received: --lr={args.lr}")
    if args.ema is not None and not 0 <= args.ema < 1:
        raise ValueError(f"--ema must be in [0, 1). Received: --ema={args.ema}")
    if args.max_minutes is not None and not 0 < args.max_minutes < float("inf"):
        raise ValueError(f"--max-minutes must be a positive number. "
                         f"Received: --max-minutes={args.max_minutes}")
    if args.eval_freq < 0:
        raise ValueError(f"--eval-freq must be >= 0. Received: --eval-freq={args.eval_freq}")


def load_image_folder(args, batch_size):
    """`(ImageFolder, labels or None, source)` for `--data DIR`."""
    from keras_gan.data import image_folder

    if args.image_size is None:
        raise ValueError(f"A folder needs --image-size (e.g. 32). Received: --data={args.data!r}")
    if args.image_size % 4:
        raise ValueError(f"The DCGAN needs image sides divisible by 4. "
                         f"Received: --image-size={args.image_size}")
    conditional = args.model == "conditional-dcgan"
    data = image_folder(args.data, args.image_size, channels=args.channels,
                        labels="inferred" if conditional else None, batch_size=batch_size,
                        seed=args.seed, skip_bad_images=args.skip_bad_images,
                        max_images=args.max_images, verbose=1)
    if conditional and data.labels is None:
        raise ValueError("--model conditional-dcgan needs one sub-folder per class in the "
                         f"folder. Received: --data={args.data!r}")
    return data, data.labels, args.data


def load_training_data(args):
    """`(images in [-1, 1] NHWC, labels or None, source)`."""
    import numpy as np

    from keras_gan.data import load_mnist
    from keras_gan.evaluation.sample_io import load_samples
    from keras_gan.extractors.images import standardize_images

    if args.data == "mnist":
        x, y, source = load_mnist(args.mnist or os.environ.get("KERAS_GAN_MNIST"))
    else:
        if not os.path.exists(args.data):
            raise FileNotFoundError(f"No such data file. Received: --data={args.data!r}")
        x, y = load_samples(args.data)
        source = args.data
    if args.max_images:
        x = x[: args.max_images]
        y = None if y is None else y[: args.max_images]
    images, _ = standardize_images(x, what="training images")
    images = images * 2.0 - 1.0
    if args.model == "conditional-dcgan":
        if y is None:
            raise ValueError(
                f"--model conditional-dcgan needs labels in the data. Received: --data={args.data!r}"
            )
        y = np.asarray(y).astype("int32")
    else:
        y = None
    h, w = images.shape[1:3]
    if h % 4 or w % 4:
        raise ValueError(
            f"The DCGAN needs image sides divisible by 4. Received: images of size {h}x{w}"
        )
    return images, y, source


def resolve_recipe(args):
    """The recipe `args` select (`--recipe` or `--model`'s), with the flags applied."""
    from keras_gan.models import recipes

    name = args.recipe or ("cdcgan" if args.model == "conditional-dcgan" else "dcgan")
    recipe = recipes.get_recipe(name)
    model = "conditional-dcgan" if recipe.get("conditional") else "dcgan"
    if args.model is not None and args.model != model:
        raise ValueError(
            f"The recipe {name!r} trains a {model}, not a {args.model}. "
            f"Received: --recipe={name} --model={args.model}"
        )
    args.model = model
    if args.loss is not None:
        recipe["loss"] = args.loss
    if args.penalty is not None:
        recipe["penalty"] = (None if args.penalty == "none" else
                             {"name": "r1", "args": {"gamma": 1.0}} if args.penalty == "r1"
                             else {"name": args.penalty, "args": {}})
    for flag, key in (("batch_size", "batch_size"), ("latent_dim", "latent_dim"),
                      ("d_steps", "d_steps")):
        if getattr(args, flag) is not None:
            recipe[key] = getattr(args, flag)
    if args.lr is not None:
        recipe["optimizer"].update(g_lr=args.lr, d_lr=args.lr)
    if args.ema is not None:
        recipe["ema_decay"] = args.ema or None
    recipe["name"] = name
    return recipe


def _penalty_name(recipe):
    return recipe["penalty"]["name"] if recipe.get("penalty") else "none"


def _resume_command():
    return "keras-gan " + " ".join(sys.argv[1:]) if sys.argv[1:] else "the same command"


def run(args):
    _check(args)
    import keras

    import keras_gan

    from keras_gan.models import recipes

    recipe = resolve_recipe(args)
    keras.utils.set_random_seed(args.seed)
    if os.path.isdir(args.data):
        images, labels, source = load_image_folder(args, recipe["batch_size"])
        num_classes = images.num_classes
        n_images, image_shape = len(images.images), images.image_shape
    else:
        if args.image_size is not None or args.channels is not None:
            raise ValueError(f"--image-size and --channels apply to a folder of images. "
                             f"Received: --data={args.data!r}")
        images, labels, source = load_training_data(args)
        num_classes = int(labels.max()) + 1 if labels is not None else None
        n_images, image_shape = len(images), images.shape[1:]
    total = recipes.run_steps(recipe, n_images, args.epochs)  # steps of the whole run
    gan = recipes.build_gan(recipe, image_shape=image_shape, num_classes=num_classes,
                            seed=args.seed, total_steps=total)  # for optimizer.lr_decay
    ckpt_dir = os.path.join(args.out, "checkpoints")
    checkpoint = keras_gan.callbacks.Checkpoint(ckpt_dir, save_freq=args.save_freq)

    limit = keras_gan.callbacks.TimeLimit(args.max_minutes, verbose=False) if args.max_minutes \
        else None

    class Interrupt(keras.callbacks.Callback):
        """After the first Ctrl-C or at the time limit: checkpoint at the next
        step boundary, then stop."""

        requested = False
        saved = None

        def on_train_batch_end(self, batch, logs=None):
            stop = Interrupt.requested or (limit is not None and limit.expired)
            if stop and self.saved is None:
                self.saved = checkpoint.save(checkpoint._epoch, checkpoint._batch)
                self.model.stop_training = True

    def handler(signum, frame):
        if Interrupt.requested:  # second Ctrl-C: stop now
            raise KeyboardInterrupt
        Interrupt.requested = True
        print("\nInterrupt: saving a checkpoint after this step "
              "(Ctrl-C again to stop at once)...", file=sys.stderr, flush=True)

    interrupt = Interrupt()
    step_history = keras_gan.callbacks.StepHistory()  # the history plot's points
    callbacks = [keras_gan.callbacks.DivergenceGuard(), checkpoint, step_history,
                 keras_gan.callbacks.SampleGrid(os.path.join(args.out, "grids"))]
    if args.eval_freq and tuple(image_shape) == (28, 28, 1):
        callbacks.insert(0, keras_gan.callbacks.EvaluationCallback(
            epoch_freq=args.eval_freq, n_samples=args.eval_samples, allow_sample=True,
            data_path=args.mnist or os.environ.get("KERAS_GAN_MNIST")))
    if args.tensorboard:
        callbacks.append(keras_gan.callbacks.TensorBoardLogger(os.path.join(args.out, "tensorboard")))
    if limit is not None:
        callbacks.append(limit)
    callbacks.append(interrupt)  # after the limit: it saves once the limit has expired
    print(f"keras-gan train: backend={keras.backend.backend()} data={source} "
          f"images={n_images} shape={tuple(image_shape)} recipe={recipe['name']} "
          f"loss={recipe['loss']} penalty={_penalty_name(recipe)} "
          f"batch_size={recipe['batch_size']} epochs={args.epochs} out={args.out}",
          flush=True)
    start = time.time()
    verbose = args.verbose if args.verbose is not None else ("auto" if sys.stdout.isatty() else 2)
    previous = signal.signal(signal.SIGINT, handler)
    try:
        if os.path.isdir(args.data):  # the folder's batches carry their labels
            history = gan.fit(images, epochs=args.epochs, callbacks=callbacks, verbose=verbose)
        else:
            history = gan.fit(images, labels, epochs=args.epochs,
                              batch_size=recipe["batch_size"], callbacks=callbacks,
                              verbose=verbose)
    except KeyboardInterrupt:
        print(f"Stopped at once; the latest checkpoint is {checkpoint.latest()}.\n"
              f"Resume with: {_resume_command()}", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGINT, previous)
    step = int(keras.ops.convert_to_numpy(gan.optimizer.iterations))
    if Interrupt.requested:
        print(f"Stopped at step {step}; checkpoint: {interrupt.saved}.\n"
              f"Resume with: {_resume_command()}", file=sys.stderr)
        return 130
    gan.save(os.path.join(args.out, "gan.keras"))  # the trained state, to resume from
    # The exported generator and the grid get batch-norm statistics measured
    # on the generator's own samples, as the zoo cards and `make demo` do
    # (`Generator.recalibrate_batch_norm`; the EMA copy's are the online G's).
    keras_gan.Generator.from_gan(gan).recalibrate_batch_norm()
    gan.export_generator(os.path.join(args.out, "generator.keras"))
    grid = keras_gan.callbacks.SampleGrid(args.out, scale=2, gif=False)
    grid.set_model(gan)
    from PIL import Image

    Image.fromarray(grid.grid()).save(os.path.join(args.out, "samples.png"))
    from keras_gan.utils.run_record import write_run_record

    write_run_record(
        os.path.join(args.out, "history.json"), steps=step, history=history,
        epoch_logs=step_history, timing={"seconds": round(time.time() - start, 1), "runs": 1},
        config={"recipe": recipe["name"], "data": args.data, "epochs": args.epochs,
                "batch_size": recipe["batch_size"], "max_minutes": args.max_minutes})
    from keras_gan.utils.history_plot import save_history_plot

    save_history_plot(step_history, os.path.join(args.out, "history.png"),
                      title=f"keras-gan train: {recipe['name']} recipe")
    if limit is not None and limit.expired and step < total:
        print(f"Stopped at the {args.max_minutes:g}-minute limit at step {step}; checkpoint: "
              f"{interrupt.saved}. Samples so far: {os.path.join(args.out, 'samples.png')}.\n"
              f"Resume with: {_resume_command()}")
        return 0
    print(f"Done: {step} steps. Samples: {os.path.join(args.out, 'samples.png')}; "
          f"model: {os.path.join(args.out, 'gan.keras')}; progress: "
          f"{os.path.join(args.out, 'grids', 'progress.gif')}")
    return 0
