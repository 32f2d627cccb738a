"""`keras-gan zoo`: list, load, save, publish and release pretrained generators."""

import argparse
import json
import os

HELP = """Pretrained generators on the Hugging Face Hub.

  keras-gan zoo list                         the zoo, with metrics
  keras-gan zoo load mnist-cdcgan --out g.png  download (cached, verified), sample a grid
  keras-gan zoo save gan.keras my-gan/       write a zoo folder (config, weights, card, grid)
  keras-gan zoo publish my-gan/ me/my-gan    upload a folder or a .keras model to the Hub
  keras-gan zoo release [NAMES] [--owner keras-gan]
                                             maintainers: upload the checkout's zoo/<name>/hub
                                             folders, verify them, pin the new commits

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
    rl = zsub.add_parser(
        "release", help="maintainers: publish the checkout's zoo folders and re-pin presets.json",
        description="Uploads each zoo/<name>/hub folder of a keras_gan checkout with "
        "huggingface_hub, downloads it back (no cache) and checks every file's sha256 against "
        "presets.json, then rewrites presets.json with the new commits (\"published\": true). "
        "A failed upload or a mismatch leaves presets.json unchanged and exits with 1.")
    rl.add_argument("names", nargs="*", metavar="NAME", help="zoo names (default: all)")
    rl.add_argument("--owner", help="Hub user or organisation (default: each entry's, keras-gan)")
    rl.add_argument("--token", help="Hub token with write access (default: your login / HF_TOKEN)")
    rl.add_argument("--zoo-dir", help="the checkout's zoo/ folder (default: next to keras_gan/)")
    return p


def _format_list(models):
    """The zoo as a table of each model's headline metric columns (`Column.headline`)."""
    from keras_gan.metrics import columns_for

    present = {}
    for m in models:
        present.update(m["metrics"])
    columns = columns_for(present, headline=True)
    widths = [max(len(c.label) + 2, 9) for c in columns]
    head = "".join(f"{c.label:>{w}}" for c, w in zip(columns, widths, strict=True))
    lines = [f"{'name':<16}{head}  description", "-" * 100]
    for m in models:
        met = m["metrics"]
        cells = "".join(
            f"{(c.format(met[c.key]) if met.get(c.key) is not None else '-'):>{w}}"
            for c, w in zip(columns, widths, strict=True))
        lines.append(f"{m['name']:<16}{cells}  {m['description']}")
    lines.append("")
    lines.append("Metrics: 10,000 samples vs the MNIST test digits, keras_gan's mnist_classifier "
                 "features. Load with keras_gan.zoo.load(NAME).")
    return "\n".join(lines)


def _format_status(models):
    """Which models are on the Hub (loadable by name) and which are not yet."""
    published = [m["name"] for m in models if m.get("published")]
    waiting = [m["name"] for m in models if not m.get("published")]
    lines = [f"Published on the Hub (keras_gan.zoo.load(NAME)): {', '.join(published) or 'none'}."]
    if waiting:
        lines.append(f"Not published yet: {', '.join(waiting)}. In a keras_gan checkout load the "
                     'folder, keras_gan.zoo.load("zoo/NAME/hub"); maintainers publish with '
                     "keras-gan zoo release.")
    return "\n".join(lines)


def _release(args):
    import sys

    from keras_gan.errors import ZooIntegrityError
    from keras_gan.errors import ZooReleaseError
    from keras_gan.zoo import presets as presets_lib
    from keras_gan.zoo.release import release

    try:
        changes = release(args.names, owner=args.owner, token=args.token, zoo_dir=args.zoo_dir,
                          log=lambda line: print(line, file=sys.stderr))
    except (ZooReleaseError, ZooIntegrityError) as e:
        print(f"keras-gan zoo: error: {e}", file=sys.stderr)
        return 1
    for c in changes:
        old = (c["old_revision"] or "none")[:12]
        state = "published" if c["was_published"] else "not published"
        moved = f"{c['old_repo_id']} -> {c['repo_id']}" if c["old_repo_id"] != c["repo_id"] \
            else c["repo_id"]
        verb = "re-pinned" if c["changed"] else "unchanged"
        print(f"{c['name']}: {verb}, {moved}: {old} ({state}) -> {c['revision']} (published)")
    if any(c["changed"] for c in changes):
        print(f"Wrote {presets_lib.PATH}. Then: python -m docs.scripts.zoo_page, and commit "
              "presets.json, README.md and docs/.")
    else:
        print("presets.json already pins these commits: nothing to write.")
    return 0


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
        print(json.dumps(models, indent=1) if args.json else
              _format_list(models) + "\n" + _format_status(models))
        return 0
    if args.zoo_command == "release":
        return _release(args)
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
