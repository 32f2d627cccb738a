"""Model cards for zoo generators (the Hub repo's README.md)."""

_TRAINING_ROWS = (
    ("data", "Data"),
    ("architecture", "Architecture"),
    ("loss", "Loss"),
    ("penalty", "Penalty"),
    ("optimizer", "Optimizers"),
    ("ema_decay", "EMA decay of G"),
    ("batch_norm", "Batch-norm statistics"),
    ("batch_size", "Batch size"),
    ("epochs", "Epochs"),
    ("steps", "Steps (G updates)"),
    ("seed", "Seed"),
    ("backend", "Backend"),
    ("hardware", "Hardware"),
    ("wall_time", "Wall time"),
    ("recipe", "Recipe"),
)


DATASET = "ylecun/mnist"  # the Hub's id of MNIST


def _count(n):
    return "?" if n is None else f"{n:,}"


def card_data(name, conditional, metrics=None, license="apache-2.0", tags=()):
    """The card's Hub metadata (`huggingface_hub.ModelCardData`).

    Library, license, pipeline, dataset id and tags, and each sample-quality
    number of `metrics` (an `Evaluator` result) as a model-index entry: the
    metric, its value, the extractor, the sample count and the reference.
    """
    from huggingface_hub import EvalResult
    from huggingface_hub import ModelCardData

    from keras_gan.metrics import columns_for

    all_tags = ["keras-gan", "keras", "gan", "image-generation", "mnist"]
    all_tags += ["class-conditional"] if conditional else []
    all_tags += [t for t in tags if t not in all_tags]
    results = []
    for column in columns_for(metrics or {}):
        results.append(EvalResult(
            task_type="unconditional-image-generation", dataset_type=DATASET,
            dataset_name="MNIST", dataset_split="test", metric_type=column.key,
            metric_name=column.label, metric_value=round(float(metrics[column.key]), 5),
            metric_args={"extractor": metrics.get("extractor"),
                         "extractor_sha256": metrics.get("extractor_sha256"),
                         "n_samples": metrics.get("n_samples"),
                         "reference": metrics.get("reference"),
                         "direction": column.direction}))
    return ModelCardData(
        license=license, library_name="keras", pipeline_tag="unconditional-image-generation",
        datasets=[DATASET], tags=all_tags, model_name=name, eval_results=results or None)


def _front_matter(name, conditional, metrics, license, tags):
    return "---\n" + card_data(name, conditional, metrics, license, tags).to_yaml() + "\n---\n"


def model_card(generator, name, description="", training=None, metrics=None, repo_id=None,
               license="apache-2.0", tags=(), notes="", hub_repo=None):
    """The Markdown model card of a zoo generator, with Hub front matter.

    Built on huggingface_hub's `ModelCardData` (front matter with the
    dataset id `ylecun/mnist`, license, tags and the metrics as model-index
    entries). The card says what the model is, how to load it, how it was trained
    (data, architecture, loss/penalty, steps, seed, backend, hardware, wall
    time) and how good it is (the metrics of `keras_gan.evaluation.Evaluator`
    with the extractor and sample count named).

    Args:
        generator: the `keras_gan.Generator`.
        name: zoo name, e.g. `"mnist-dcgan"`.
        description: one or two sentences.
        training: dict of training facts (keys such as `data`, `loss`,
            `penalty`, `steps`, `seed`, `backend`, `hardware`, `wall_time`).
        metrics: the dict returned by `Evaluator.score_generator`.
        repo_id: Hub repo id used in the loading example (default: `name`).
        license: SPDX licence id for the front matter.
        tags: extra Hub tags.
        notes: extra Markdown appended at the end (limitations etc.).
        hub_repo: the Hub repo the model lives in (`"owner/name"`), for the
            `keras.saving.load_model("hf://...")` snippet when the loading
            example uses a zoo name (default: `repo_id`; no snippet without
            either).

    Returns:
        The card text.

    Example:
        >>> card = model_card(G, "my-gan", "A DCGAN on MNIST.", metrics=scores)
    """
    training = dict(training or {})
    conditional = generator.conditional
    handle = name if repo_id is None else f"hf://{repo_id}"
    lines = [_front_matter(name, conditional, metrics, license, tags), f"# {name}", ""]
    if description:
        lines += [description, ""]
    lines += ["![samples](samples.png)", ""]
    if conditional:
        lines += [f"*Samples: row k shows digit k ({generator.num_classes} classes), "
                  "fixed noise seed 0.*", ""]
    else:
        lines += ["*64 samples, fixed noise seed 0.*", ""]
    lines += ["## Use", "", "```python", "import keras_gan", "",
              f"G = keras_gan.zoo.load(\"{handle}\")   # a keras.Model, outputs in [-1, 1]"]
    if conditional:
        lines += ["sevens = G.generate(labels=[7] * 16, seed=0)   # (16, 28, 28, 1)"]
    else:
        lines += ["images = G.generate(16, seed=0)   # (16, 28, 28, 1)"]
    lines += ["```", ""]
    repo = repo_id or hub_repo
    if repo:
        lines += ["Or with Keras alone (the Hub's \"Use this model\" snippet); importing "
                  "keras_gan registers its classes with Keras:", "", "```python",
                  "import keras", "import keras_gan  # noqa: F401", "",
                  f"G = keras.saving.load_model(\"hf://{repo}\")", "```", ""]
    lines += [f"Generator: {generator.count_params():,} parameters, latent size "
              f"{generator.latent_dim}, output {tuple(generator.image_shape)} in [-1, 1]. "
              "It loads and samples on TensorFlow, JAX and PyTorch (Keras 3).", ""]
    if training:
        lines += ["## Training", "", "| | |", "|---|---|"]
        for key, label in _TRAINING_ROWS:
            if key in training:
                lines.append(f"| {label} | {training.pop(key)} |")
        for key, value in training.items():
            lines.append(f"| {key} | {value} |")
        lines.append("")
    if metrics:
        lines += ["## Evaluation", "",
                  f"{_count(metrics.get('n_samples'))} samples against "
                  f"{metrics.get('reference', '?')} ({_count(metrics.get('n_reference'))} "
                  f"images), features of keras_gan's `{metrics.get('extractor', '?')}` "
                  f"extractor (weights sha256 `{metrics.get('extractor_sha256', '?')}…`), "
                  "computed with `keras_gan.evaluation.Evaluator`.", "",
                  "| Metric | Value |", "|---|---:|"]
        from keras_gan.metrics import columns_for

        for column in columns_for(metrics):
            label = f"{column.label} {column.arrow}".strip()
            lines.append(f"| {label} | {column.format(metrics[column.key])} |")
        lines.append("")
    if notes:
        lines += [notes.strip(), ""]
    return "\n".join(lines)

