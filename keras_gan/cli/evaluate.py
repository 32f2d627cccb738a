"""`keras-gan evaluate SAMPLES`: score samples or a generator against real data."""

import argparse
import contextlib
import json
import os
import sys
import warnings

HELP = """Score samples against real data with every registered metric (FID, KID,
classifier score, precision/recall, density/coverage, class coverage, ...),
computed on the features of a named extractor (default: keras_gan's MNIST
classifier).

SAMPLES is one of:
  * an .npz (images under samples/images/x/arr_0, optional labels) or .npy file;
  * a folder of PNG/JPEG images;
  * a saved .keras file: a keras_gan GAN or a generator model, sampled with
    --n-samples noise vectors drawn from --seed.
Images may be (N,H,W), (N,H,W,1) or (N,1,H,W), uint8 0..255 or floats in
[0,1] or [-1,1] (detected; override with --range).

Compare models at the same sample count, ideally 10,000: FID and KID are
biased at small counts."""


def bundled_metric_names():
    """The metric names registered in keras_gan/metrics/, in table order.

    Read from the source (`@register("name")` and `order = N`) so that
    `--help` imports neither Keras nor a backend, and a new metric file
    appears here without an edit.
    """
    import re

    folder = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                          "metrics")
    found = []
    for filename in sorted(os.listdir(folder)):
        if not filename.endswith(".py"):
            continue
        with open(os.path.join(folder, filename), encoding="utf-8") as f:
            source = f.read()
        for block in re.split(r"(?m)^(?=@register\()", source)[1:]:
            name = re.match(r'@register\("(\w+)"\)', block)
            order = re.search(r"(?m)^    order = (\d+)", block)
            if name:
                found.append((int(order.group(1)) if order else 100, name.group(1)))
    return [name for _, name in sorted(found)]


def add_parser(sub):
    from keras_gan.utils.deprecation import add_deprecated_flag

    p = sub.add_parser(
        "evaluate", help="score samples (file, folder or saved generator)",
        description=HELP, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("samples", metavar="SAMPLES", help="file, folder or .keras model")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("-q", "--quiet", action="store_true",
                   help="no progress bars or status lines (stderr)")
    p.add_argument("--reference", default="mnist-test",
                   help="mnist-test, mnist-train, colour-mnist32-test, colour-mnist32-train, "
                        "or an .npz/.npy or folder of real images (default: mnist-test)")
    p.add_argument("--mnist", metavar="MNIST_NPZ",
                   help="path of mnist.npz for the MNIST references (default: "
                        "$KERAS_GAN_MNIST, Keras' cache, else download)")
    add_deprecated_flag(p, "--data", "--mnist", dest="mnist", metavar="MNIST_NPZ")
    p.add_argument("--extractor", default="mnist_classifier",
                   help="feature extractor: mnist_classifier, colour_mnist_classifier or "
                        "inception_v3")
    p.add_argument("--metrics", default=None,
                   help="comma-separated subset of the registered metrics ("
                        + ", ".join(bundled_metric_names()) + "; default: all)")
    p.add_argument("--range", dest="data_range", default="auto",
                   help="value range of the images: auto, 0,1, -1,1 or 0,255")
    p.add_argument("--n-samples", type=int, default=10000,
                   help="samples drawn from a model (default 10000)")
    p.add_argument("--seed", type=int, default=0, help="noise seed for models")
    p.add_argument("--no-ema", action="store_true",
                   help="for a GAN with an EMA generator, score the raw generator")
    p.add_argument("--no-recalibrate", action="store_true",
                   help="score a model's batch-norm statistics as saved, instead of "
                        "measuring them on its own samples first (as the zoo cards do)")
    p.add_argument("--kid-subsets", type=int, default=100)
    p.add_argument("--kid-subset-size", type=int, default=1000)
    p.add_argument("--batch-size", type=int, default=500)
    p.add_argument("--cache-dir", help="reference statistics cache folder")
    p.add_argument("--allow-sample", action="store_true",
                   help="use keras_gan's bundled MNIST sample when full MNIST is missing")
    return p


def _positive(name, value):
    if value < 1:
        raise ValueError(f"{name} must be positive. Received: {name}={value}")


def _load_model(path):
    import keras

    import keras_gan  # noqa: F401 (registers the GAN classes)

    return keras.saving.load_model(path, compile=False, safe_mode=True)


def format_table(result, source, columns=None):
    """The result as a text table, one row per metric column (`Evaluator.columns`)."""
    if columns is None:
        from keras_gan.metrics import columns_for

        columns = columns_for(result)
    width = max([18] + [len(c.label) + 2 for c in columns])
    lines = [
        f"samples:   {source} ({result['n_samples']} samples, range "
        f"{result.get('data_range')})",
        f"extractor: {result['extractor']} (weights sha256 {result['extractor_sha256']})",
        f"reference: {result['reference']} ({result['n_reference']} images)",
        "",
        f"{'metric':<{width}}{'value':>18}",
        "-" * (width + 18),
    ]
    for column in columns:
        if result.get(column.key) is not None:
            spread = result.get(column.spread) if column.spread else None
            label = f"{column.label} {column.arrow}".strip()
            lines.append(f"{label:<{width}}{column.format(result[column.key], spread):>18}")
    lines.append("-" * (width + 18))
    lines.append(f"time: {result['seconds']:.1f} s")
    if result["n_samples"] < 10000:
        lines.append("note: fewer than 10,000 samples; FID/KID are only comparable "
                     "at equal sample counts.")
    return "\n".join(lines)


def run(args):
    for name in ("n_samples", "kid_subsets", "batch_size"):
        _positive("--" + name.replace("_", "-"), getattr(args, name))
    if args.kid_subset_size < 2:
        raise ValueError(f"--kid-subset-size must be >= 2. Received: {args.kid_subset_size}")
    metrics = None
    if args.metrics is not None:
        metrics = [m.strip() for m in args.metrics.split(",") if m.strip()]
    path = args.samples
    if not os.path.exists(path):
        raise FileNotFoundError(f"No such file or folder. Received: SAMPLES={path!r}")
    data_path = args.mnist or os.environ.get("KERAS_GAN_MNIST")

    from keras_gan.evaluation import Evaluator
    from keras_gan.evaluation import load_samples

    images = labels = None
    if not path.endswith(".keras"):  # a bad file fails before the slow set-up
        images, labels = load_samples(path)
    # Progress bars and status lines go to stderr (Keras' Progbar writes to
    # stdout: redirected), so that stdout carries only the table or JSON.
    verbose = 0 if args.quiet else 1
    with contextlib.redirect_stdout(sys.stderr), warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the sample-count note is in the output
        if verbose:
            print("Loading the extractor and reference statistics...")
        evaluator = Evaluator(
            reference=args.reference, extractor=args.extractor, metrics=metrics,
            kid_subsets=args.kid_subsets, kid_subset_size=args.kid_subset_size,
            data_path=data_path, cache_dir=args.cache_dir, allow_sample=args.allow_sample,
            verbose=verbose,
        )
        if path.endswith(".keras"):
            model = _load_model(path)
            if verbose:
                print(f"Drawing {args.n_samples} samples from {path}...")
            result = evaluator.score_generator(
                model, n_samples=args.n_samples, seed=args.seed,
                batch_size=args.batch_size, use_ema=False if args.no_ema else None,
                recalibrate=not args.no_recalibrate,
            )
        else:
            if verbose:
                print(f"Extracting features of {len(images)} samples...")
            result = evaluator.score_images(images, labels=labels, data_range=args.data_range)
    result["samples"] = path
    if args.json:
        print(json.dumps(result))
    else:
        print(format_table(result, path, evaluator.columns))
    return 0
