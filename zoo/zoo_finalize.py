"""Stage 2 of the zoo recipe: evaluate the trained GAN and write `hub/`.

Called by `recipe.main` after training (or alone with `--finalize-only`).
Writes `zoo/<name>/hub/` (config, weights, metadata, model card, sample
grid), records the entry (repo, revision, file digests, metrics, training
facts) in `keras_gan/zoo/presets.json`, and prints the output slice the
regression test pins.
"""

import datetime
import hashlib
import json
import os
import platform
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PRESETS = os.path.join(ROOT, "keras_gan", "zoo", "presets.json")
ORG = "keras-gan"


def folder_revision(digests, message="Upload keras_gan generator"):
    """Commit id the zoo pins for a `hub/` folder.

    It is the id the Hub stand-in of the tests (`tests/hub_server.py`) gives
    a first commit of exactly these files: sha1 over an empty parent, the
    message and the sorted `(path, sha256)` list. The zoo tests serve the
    committed `hub/` folder that way and check that the ids agree. The entry
    is written `"published": false, "revision_source": "local-stand-in"`
    (`keras_gan.zoo.load` refuses it by name); `keras-gan zoo release NAME`
    uploads the folder to huggingface.co, checks it, and pins the commit the
    Hub returns.
    """
    h = hashlib.sha1(b"\0" + message.encode() + b"\0")
    for name in sorted(digests):
        h.update(f"{name}\0{digests[name]}\n".encode())
    return h.hexdigest()


def _cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _describe_penalty(p):
    if not p:
        return "none"
    args = ", ".join(f"{k}={v}" for k, v in p.get("args", {}).items())
    return f"{p['name']}({args})"


# Real MNIST training digits against the test digits (docs/evaluation.md).
REAL_FID, REAL_PRECISION = 0.12, 0.85


def score_ema_generator(gan, name, data):
    """Scores a trained GAN as its model card does.

    The EMA generator with batch-norm statistics measured on its own samples
    (not the online G's, which score worse: docs/concepts.md and the measurement
    in docs/benchmarks.md), 10,000 samples of noise seed 0 against the MNIST test
    digits, `mnist_classifier` features. Returns `(generator, recalibrated
    layers, evaluator, scores)`.
    """
    import keras_gan
    from keras_gan.evaluation import Evaluator

    import keras

    G = keras_gan.Generator.from_gan(gan, use_ema=True, name=name.replace("-", "_"))
    recalibrated = sum(isinstance(layer, keras.layers.BatchNormalization)
                       for layer in G.network._flatten_layers(include_self=False))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        evaluator = Evaluator("mnist-test", data_path=data)
        scores = evaluator.score_generator(G, 10000, seed=0, recalibrate=True)
    return G, recalibrated, evaluator, scores


def finalize(recipe, args):
    import keras
    import numpy as np

    import keras_gan
    from keras_gan.generator import RECALIBRATION_SAMPLES
    from keras_gan.zoo.hub_folder import sha256_file

    name = recipe["name"]
    gan = keras.saving.load_model(os.path.join(args.work, "gan.keras"))
    from keras_gan.utils.run_record import read_run_record

    record = read_run_record(os.path.join(args.work, "train_record.json"))
    G, recalibrated, evaluator, scores = score_ema_generator(gan, name, args.data)
    from keras_gan.metrics import columns_for

    keep = {c.key for c in columns_for(scores)} | {c.spread for c in columns_for(scores)}
    keep |= {"n_samples", "n_reference", "reference", "extractor", "extractor_sha256"}
    metrics = {k: (round(v, 5) if isinstance(v, float) else v)
               for k, v in scores.items() if k in keep}
    shares = None
    if G.conditional:
        # The headline asks for every class equally often; MNIST's classes are
        # not balanced, so also score with labels in the training set's class
        # shares (docs/benchmarks.md, the cdcgan section).
        from keras_gan.evaluation import labels_in_shares

        from keras_gan.data import load_mnist

        _, y_train, _ = load_mnist(args.data, split="train", allow_sample=False)
        labels = labels_in_shares(10000, y_train, G.num_classes)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            shares = evaluator.score_generator(G, 10000, seed=0, labels=labels)
        for key in ("fid", "precision", "recall"):  # the card's sentence on shares
            metrics[f"{key}_training_shares"] = round(float(shares[key]), 5)
    opt = recipe["optimizer"]
    minutes = record["timing"]["seconds"] / 60
    timing = {"runs": 1}
    timing_path = os.path.join(args.work, "timing.json")
    if os.path.exists(timing_path):
        with open(timing_path) as f:
            timing = json.load(f)
    runs = int(timing.get("runs", 1))
    # zoo/recipe.py's Clock records the highest load average seen; runs
    # timed before it did so were all made beside other work.
    shared = timing.get("max_load", float("inf") if runs > 1 else 0.0) > (os.cpu_count() or 1)
    wall_notes = ([f"{runs} runs joined by exact resume"] if runs > 1 else []) + (
        ["other jobs shared the machine"] if shared else [])
    training = {
        "data": "MNIST training set, 60,000 digits, pixels scaled to [-1, 1]",
        "architecture": (f"`{recipe['recipe']}` recipe of keras_gan.models.recipes "
                         f"(G {G.count_params() / 1e6:.2f} M, "
                         f"D {gan.discriminator.count_params() / 1e6:.2f} M parameters)"),
        "loss": recipe["loss"],
        "penalty": _describe_penalty(recipe.get("penalty")),
        "optimizer": (f"Adam(G lr {opt['g_lr']}, D lr {opt['d_lr']}, betas "
                      f"{opt['beta_1']}/{opt['beta_2']}), {recipe.get('d_steps', 1)} D step per G step"
                      + (f"; both rates decayed linearly to 0 over the last "
                         f"{opt['lr_decay']:g} of the steps" if opt.get("lr_decay") else "")),
        "ema_decay": recipe.get("ema_decay"),
        "batch_norm": (f"statistics of the EMA generator recomputed on "
                       f"{RECALIBRATION_SAMPLES:,} of its own samples "
                       "(`Generator.recalibrate_batch_norm`)"
                       if recalibrated else "none"),
        "batch_size": recipe["batch_size"],
        "epochs": record["config"]["epochs"],
        "steps": record["steps"],
        "seed": recipe["seed"],
        "backend": f"{record['backend']} (Keras {keras.__version__})",
        "hardware": f"{_cpu_name()}, {os.cpu_count()} cores, no GPU",
        "wall_time": f"{minutes:.0f} min" + (f" ({'; '.join(wall_notes)})" if wall_notes else ""),
        "recipe": f"`zoo/{name}/train.py` in the keras_gan repository",
    }
    notes = ["## Limitations", "",
             "Trained on MNIST only: 28x28 grayscale handwritten digits. The metrics use "
             "keras_gan's own MNIST classifier as the feature extractor, so they compare "
             "models in this zoo and are not comparable with Inception-based FIDs of "
             "natural-image papers.", ""]
    if metrics.get("precision", 1.0) < REAL_PRECISION - 0.05:
        notes += [f"Sample quality: FID {metrics['fid']:.2f} and precision "
                  f"{metrics['precision']:.2f}, where real digits score {REAL_FID} and "
                  f"{REAL_PRECISION}: a share of the samples are malformed digits that a "
                  "person notices (see the grid above).", ""]
    if shares is not None:
        notes += [f"The metrics above ask for every digit equally often (1,000 of each). "
                  "MNIST's digits are not balanced (from 9.0 % fives to 11.2 % ones in the "
                  "training set); asked for each digit as often as the training set has it, "
                  f"the samples score FID {shares['fid']:.2f}, precision "
                  f"{shares['precision']:.2f}, recall {shares['recall']:.2f}.", ""]
    notes += [
             "## How it was made", "",
             f"Retrain with `python -m zoo.train {name} --data mnist.npz"
             + "".join(f" --set {item}" for item in recipe.get("overrides", [])) + "` "
             "from the root of a keras_gan checkout (fixed seed; rerun the same command "
             "to resume after an interruption). "
             + ("The recipe's settings were chosen by measured ablations at equal steps: "
                "see the Benchmarks page of the keras_gan docs (\"A deeper generator, and "
                "more steps\")."
                if recipe.get("conditional") else
                "The recipe's settings were chosen by measured ablations at equal wall time, "
                "and the tensorflow.org DCGAN tutorial is compared with it on the same "
                "machine: see the Benchmarks page of the keras_gan docs (\"Recipes\" and "
                "\"Time to quality\").")]
    card = keras_gan.zoo.model_card(
        G, name, recipe["description"], training=training, metrics=metrics,
        repo_id=None, notes="\n".join(notes), hub_repo=f"keras-gan/{name}")
    if os.path.isdir(args.hub):
        for f in os.listdir(args.hub):
            os.remove(os.path.join(args.hub, f))
    keras_gan.zoo.save_folder(G, args.hub, card=card, metadata={
        "zoo_name": name, "metrics": metrics, "training_backend": record["backend"]})
    digests = {f: sha256_file(os.path.join(args.hub, f)) for f in sorted(os.listdir(args.hub))}
    entry = {
        "repo_id": f"{ORG}/{name}",
        "revision": folder_revision(digests),
        "published": False,  # until `keras-gan zoo release` (keras_gan/zoo/release.py)
        "revision_source": "local-stand-in",
        "description": recipe["description"],
        "conditional": bool(recipe.get("conditional")),
        "files": digests,
        "metrics": metrics,
        "training": dict({k: training[k] for k in ("epochs", "steps", "backend", "wall_time",
                                                    "hardware")},
                         wall_seconds=record["timing"]["seconds"]),
        "date": datetime.date.today().isoformat(),
    }
    with open(PRESETS) as f:
        table = json.load(f)
    table[name] = entry
    with open(PRESETS, "w") as f:
        json.dump(table, f, indent=1, sort_keys=True)
        f.write("\n")
    z = np.random.default_rng(1234).standard_normal((2, G.latent_dim)).astype("float32")
    labels = [3, 8] if G.conditional else None
    out = G.generate(z, labels=labels)
    print(f"[{name}] metrics: {json.dumps(metrics)}")
    print(f"[{name}] regression slice out[:, 14, 10:16, 0] = "
          f"{np.round(out[:, 14, 10:16, 0], 4).tolist()}")
    print(f"[{name}] wrote {args.hub}; presets entry revision {entry['revision']}")
