"""`keras-gan zoo`: list, load, save and publish pretrained generators."""

import argparse
import json
import os

HELP = """Pretrained generators on the Hugging Face Hub.

  keras-gan zoo list                         the zoo, with metrics
  keras-gan zoo load mnist-cdcgan --out g.png  download (cached, verified), sample a grid
  keras-gan zoo save gan.keras my-gan/       write a zoo folder (config, weights, card, grid)
  keras-gan zoo publish my-gan/ me/my-gan    upload a folder or a .keras model to the Hub

Downloads use huggingface_hub: HF_ENDPOINT, HF_HOME and HF_HUB_OFFLINE apply."""


def add_parser(sub):
    p = sub.add_parser("zoo", help="list / load / save / publish pretrained generators",
                       description=HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    zsub = p.add_subparsers(dest="zoo_command", metavar="ACTION", required=True)
    ls = zsub.add_parser("list", help="the zoo models with one-line descriptions and metrics")
    ls.add_argument("--json", action="store_true", help="print JSON")
    ld = zsub.add_parser("load", help="download (or find in the cache) and verify a model")
    ld.add_argument("name", metavar="NAME", help="zoo name, hf://owner/repo[@rev] or folder")
    ld.add_argument("--revision", help="Hub branch, tag or commit")
    ld.add_argument("--out", help="also write a sample grid (.png)")
    ld.add_argument("--offline", action="store_true", help="use the cache only")
    sv = zsub.add_parser("save", help="write a trained GAN or generator as a zoo folder")
    sv.add_argument("model", metavar="MODEL", help="a saved .keras GAN or keras_gan.Generator")
    sv.add_argument("folder", metavar="FOLDER")
    sv.add_argument("--no-ema", action="store_true", help="use the raw generator of a GAN")
    pb = zsub.add_parser("publish", help="upload a zoo folder or .keras model to the Hub")
    pb.add_argument("model", metavar="MODEL", help="a zoo folder, or a saved .keras GAN")
    pb.add_argument("repo_id", metavar="REPO_ID", help="owner/name")
    pb.add_argument("--private", action="store_true")
    pb.add_argument("--token", help="Hub token (default: your huggingface_hub login)")
    pb.add_argument("--message", help="commit message")
    return p


def _format_list(models):
    lines = [f"{'name':<16}{'FID':>8}{'precision':>11}{'recall':>8}{'class acc':>11}  description",
             "-" * 100]
    for m in models:
        met = m["metrics"]
        acc = f"{met['class_accuracy']:.1%}" if "class_accuracy" in met else "-"
        lines.append(f"{m['name']:<16}{met.get('fid', float('nan')):>8.2f}"
                     f"{met.get('precision', float('nan')):>11.3f}"
                     f"{met.get('recall', float('nan')):>8.3f}{acc:>11}  {m['description']}")
    lines.append("")
    lines.append("Metrics: 10,000 samples vs the MNIST test digits, keras_gan's mnist_classifier "
                 "features. Load with keras_gan.zoo.load(NAME).")
    return "\n".join(lines)


def _load_saved(path, no_ema):
    from keras_gan.cli.evaluate import _load_model
    from keras_gan.generator import Generator

    if not os.path.isfile(path):
        raise FileNotFoundError(f"No such model file. Received: MODEL={path!r}")
    model = _load_model(path)
    if isinstance(model, Generator) or hasattr(model, "generator"):
        return Generator.from_gan(model, use_ema=False if no_ema else None)
    raise ValueError(
        "MODEL must be a saved keras_gan GAN or Generator (a bare generator network "
        "does not record its latent size and classes). Received: "
        f"MODEL={path!r} ({type(model).__name__})"
    )


def run(args):
    import keras_gan

    if args.zoo_command == "list":
        models = keras_gan.zoo.list_models()
        print(json.dumps(models, indent=1) if args.json else _format_list(models))
        return 0
    if args.zoo_command == "load":
        G = keras_gan.zoo.load(args.name, revision=args.revision, local_files_only=args.offline)
        kind = f"conditional, {G.num_classes} classes" if G.conditional else "unconditional"
        print(f"Loaded {args.name}: {G.count_params():,} parameters, latent {G.latent_dim}, "
              f"{kind}, output {G.image_shape}")
        if args.out:
            if not args.out.endswith(".png"):
                raise ValueError(f"--out must end in .png. Received: --out={args.out!r}")
            from keras_gan.zoo.hub_folder import save_sample_grid

            save_sample_grid(G, args.out)
            print(f"Wrote a sample grid to {args.out}")
        return 0
    if args.zoo_command == "save":
        G = _load_saved(args.model, args.no_ema)
        keras_gan.zoo.save_folder(G, args.folder)
        print(f"Wrote {args.folder} (config.json, model.weights.h5, metadata.json, README.md, "
              f"samples.png). Publish it with: keras-gan zoo publish {args.folder} OWNER/NAME")
        return 0
    model = args.model if os.path.isdir(args.model) else _load_saved(args.model, False)
    handle, commit = keras_gan.zoo.publish(model, args.repo_id, token=args.token,
                                           private=args.private, commit_message=args.message)
    print(f"Published {args.repo_id} at commit {commit}.\nLoad it with: "
          f"keras_gan.zoo.load({handle!r})")
    return 0
