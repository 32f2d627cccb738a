"""Writes the generated part of docs/zoo.md from the zoo's presets and hub folders.

    python -m docs.scripts.zoo_page          # rewrite docs/zoo.md and docs/images/zoo/
    python -m docs.scripts.zoo_page --check  # exit 1 if docs/zoo.md is stale

The metrics table and the publication status come from
`keras_gan/zoo/presets.json` (written by the recipes' evaluation and by
`keras-gan zoo release`), the baseline row from `zoo/baselines/*.json`, and the
pictures are the `samples.png` of each `zoo/<name>/hub/` folder, each shown
beside 64 random MNIST test digits (`docs/images/zoo/mnist-test-real.png`,
written from `--data` when that file exists, kept otherwise).
"""

import argparse
import json
import os
import shutil
import sys

from keras_gan.utils.environment import configure_environment

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PAGE = os.path.join(ROOT, "docs", "zoo.md")
IMAGES = os.path.join(ROOT, "docs", "images", "zoo")
BEGIN, END = "<!-- ZOO:BEGIN -->", "<!-- ZOO:END -->"
REAL = "mnist-test-real.png"  # 64 random MNIST test digits, beside each model's grid


def load_presets():
    with open(os.path.join(ROOT, "keras_gan", "zoo", "presets.json")) as f:
        return json.load(f)


def _columns(*metric_dicts):
    """The metric collection's columns that any of the rows has, in table order."""
    from keras_gan.metrics import columns_for

    keys = set()
    for m in metric_dicts:
        keys |= {c.key for c in columns_for(m)}
    return [c for c in columns_for({k: 0 for k in keys})]


def _cells(columns, metrics):
    return " | ".join(c.format(metrics[c.key]) if metrics.get(c.key) is not None else "–"
                      for c in columns)


def _baselines():
    out = []
    for fname in sorted(os.listdir(os.path.join(ROOT, "zoo", "baselines"))):
        if fname.startswith("tf_tutorial_dcgan-") and fname.endswith(".json"):
            from keras_gan.utils.run_record import read_run_record

            out.append(read_run_record(os.path.join(ROOT, "zoo", "baselines", fname)))
    return out


def generated_block():
    table = load_presets()
    baselines = _baselines()
    columns = _columns(*[e["metrics"] for e in table.values()],
                       *[b["metrics"] for b in baselines])
    head = " | ".join(f"{c.label} {c.arrow}".strip() for c in columns)
    lines = [BEGIN, "", f"| Model | {head} | Epochs | Steps | Wall time |",
             "|---|" + "---:|" * (len(columns) + 3)]
    for name, e in sorted(table.items()):
        m, t = e["metrics"], e["training"]
        lines.append(f"| [`{name}`](#{name}) | {_cells(columns, m)} | "
                     f"{t['epochs']} | {t['steps']:,} | {t['wall_time']} |")
    for b in baselines:
        lines.append(
            f"| tensorflow.org tutorial DCGAN (baseline) | {_cells(columns, b['metrics'])} | "
            f"{b['config']['epochs']} | {b['steps']:,} | {b['timing']['seconds'] / 60:.0f} min |")
    lines += ["", "All rows: 10,000 samples (noise seed 0; the conditional model draws "
              "1,000 of each digit) against the 10,000 MNIST test digits, features of "
              "keras_gan's `mnist_classifier` (see [Evaluating samples](evaluation.md) for "
              "what these numbers mean: real training digits score FID 0.12).", ""]
    for name, e in sorted(table.items()):
        lines += [f"### {name}", "", e["description"], "",
                  f"![{name} samples](images/zoo/{name}.png){{ width=\"49%\" }} "
                  f"![64 real MNIST test digits](images/zoo/{REAL}){{ width=\"49%\" }}", "",
                  f"*Left: 64 samples of `{name}` (noise seed 0"
                  + ("; one row per digit" if e.get("conditional") else "")
                  + "). Right: 64 random MNIST test digits, for comparison.*", "",
                  *([f"Asked for each digit as often as the training set has it (from "
                     f"9.0 % fives to 11.2 % ones) instead of 1,000 of each, it scores FID "
                     f"{e['metrics']['fid_training_shares']:.2f}, precision "
                     f"{e['metrics']['precision_training_shares']:.3f}, recall "
                     f"{e['metrics']['recall_training_shares']:.3f} "
                     "(`keras_gan.evaluation.labels_in_shares`).", ""]
                    if "fid_training_shares" in e["metrics"] else []),
                  f"{_pin_sentence(name, e)} Trained on {e['training']['backend']}. Model "
                  f"card: `zoo/{name}/hub/README.md`; recipe: `zoo/{name}/train.py`.", ""]
    lines.append(END)
    return "\n".join(lines)


def _pin_sentence(name, e):
    """Where the entry's pin comes from: published on the Hub, or not yet."""
    if e.get("published") is True:
        date = e.get("release", {}).get("date")
        return (f"Published: Hub repo `{e['repo_id']}`, pinned revision `{e['revision'][:12]}`"
                + (f" (released {date})." if date else "."))
    return (f"**Not published on the Hub yet**: load the folder of a checkout, "
            f"`keras_gan.zoo.load(\"zoo/{name}/hub\")`. Its pin, `{e['repo_id']}` at "
            f"`{e['revision'][:12]}`, is the id the tests' local Hub stand-in gives these files "
            f"(`\"revision_source\": \"{e.get('revision_source', 'unknown')}\"`).")


def _names(names):
    quoted = [f"`{n}`" for n in names]
    if len(quoted) < 3:
        return " and ".join(quoted)
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]


STATUS_BEGIN, STATUS_END = "<!-- ZOO-STATUS:BEGIN -->", "<!-- ZOO-STATUS:END -->"


def status_block(readme=False):
    """The zoo's publication status, from the `published` field of each entry."""
    table = load_presets()
    waiting = sorted(n for n, e in table.items() if e.get("published") is not True)
    published = sorted(n for n, e in table.items() if e.get("published") is True)
    release = "docs/zoo.md#releasing-the-zoo" if readme else "#releasing-the-zoo"
    lines = []
    if published:
        lines.append(f"Published on the Hugging Face Hub, pinned to the commit each release "
                     f"verified: {_names(published)}; `keras_gan.zoo.load(\"{published[0]}\")` "
                     "downloads it.")
    if waiting:
        example = "mnist-dcgan" if "mnist-dcgan" in waiting else waiting[0]
        lines.append(
            f"**Not published on the Hugging Face Hub yet:** {_names(waiting)}. "
            f"{'It has' if len(waiting) == 1 else 'They have'} no Hub repo; the pinned revisions "
            "in `keras_gan/zoo/presets.json` are the ids the tests' local Hub stand-in gives "
            "these files (`\"published\": false`). Until a maintainer releases "
            f"{'it' if len(waiting) == 1 else 'them'} ([Releasing the zoo]({release})), "
            f"`keras_gan.zoo.load(\"{example}\")` fails with one line that says so; nothing "
            "else is downloaded in its place. What works today, from a keras_gan checkout: "
            f"`keras_gan.zoo.load(\"zoo/{example}/hub\")`, the committed folder of the same files.")
    return "\n\n".join(lines)


def status_page_block():
    return "\n".join([STATUS_BEGIN, "", status_block(), "", STATUS_END])


TIMES_BEGIN, TIMES_END = "<!-- ZOO-TIMES:BEGIN -->", "<!-- ZOO-TIMES:END -->"
BENCHMARKS = os.path.join(ROOT, "docs", "benchmarks.md")


def times_block():
    table = load_presets()
    lines = [TIMES_BEGIN, "", "| model | epochs | steps | wall time | steps/s | hardware |",
             "|---|---:|---:|---:|---:|---|"]
    for name, e in sorted(table.items()):
        t = e["training"]
        lines.append(f"| `{name}` | {t['epochs']} | {t['steps']:,} | {t['wall_time']} | "
                     f"{t['steps'] / t['wall_seconds']:.2f} | {t.get('hardware', '–')} |")
    return "\n".join(lines + ["", TIMES_END])


README = os.path.join(ROOT, "README.md")
README_BEGIN, README_END = "<!-- ZOO-README:BEGIN -->", "<!-- ZOO-README:END -->"


def readme_block():
    table = load_presets()
    # The README's short table: the collection's headline columns.
    columns = [c for c in _columns(*(e["metrics"] for e in table.values())) if c.headline]
    head = " | ".join(f"{c.label} {c.arrow}".strip() for c in columns)
    lines = [README_BEGIN, "", f"| model | {head} | trained |",
             "|---|" + "---:|" * len(columns) + "---|"]
    for name, e in sorted(table.items()):
        m, t = e["metrics"], e["training"]
        lines.append(f"| `{name}` | {_cells(columns, m)} | "
                     f"{t['epochs']} epochs, {t['wall_time']} on a 2-core CPU |")
    lines += ["", "10,000 samples against the MNIST test digits, keras_gan's `mnist_classifier` "
              "features (real digits score FID 0.12).", "", status_block(readme=True), "",
              README_END]
    return "\n".join(lines)


def write_real_grid(data):
    """64 random MNIST test digits (seed 0) as the zoo's sample grids are drawn."""
    import numpy as np

    from keras_gan.data import to_gan_range
    from keras_gan.utils.image_grid import save_image_grid

    from keras_gan.data import load_mnist

    x = load_mnist(data, split="test", allow_sample=False)[0]
    pick = np.random.default_rng(0).choice(len(x), 64, replace=False)
    save_image_grid(to_gan_range(x[pick]), os.path.join(IMAGES, REAL), nrow=8, scale=2)


def copy_images(data=None):
    os.makedirs(IMAGES, exist_ok=True)
    if data and os.path.exists(data):
        write_real_grid(data)
    elif not os.path.exists(os.path.join(IMAGES, REAL)):
        raise SystemExit(f"{REAL} is missing: pass --data path/to/mnist.npz")
    names = sorted(load_presets())
    for name in names:
        shutil.copyfile(os.path.join(ROOT, "zoo", name, "hub", "samples.png"),
                        os.path.join(IMAGES, f"{name}.png"))


def render(page_text, begin=BEGIN, end_marker=END, block=generated_block):
    start, end = page_text.index(begin), page_text.index(end_marker) + len(end_marker)
    return page_text[:start] + block() + page_text[end:]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--check", action="store_true")
    p.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data", "mnist.npz"),
                   help="mnist.npz, for the grid of real test digits")
    args = p.parse_args(argv)
    configure_environment()  # before keras_gan.metrics imports Keras
    stale = []
    for page, begin, end, block in ((PAGE, BEGIN, END, generated_block),
                                    (PAGE, STATUS_BEGIN, STATUS_END, status_page_block),
                                    (BENCHMARKS, TIMES_BEGIN, TIMES_END, times_block),
                                    (README, README_BEGIN, README_END, readme_block)):
        with open(page) as f:
            text = f.read()
        new = render(text, begin, end, block)
        if new == text:
            continue
        stale.append(page)
        if not args.check:
            with open(page, "w") as f:
                f.write(new)
            print(f"wrote {page}")
    if args.check:
        if stale:
            print(f"stale: {', '.join(stale)}: run python -m docs.scripts.zoo_page",
                  file=sys.stderr)
            return 1
        return 0
    copy_images(args.data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
