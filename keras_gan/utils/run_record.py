"""One schema for training run records (`history.json`, `train_record.json`).

`keras-gan train`, `examples/mnist_dcgan.py`, `zoo/recipe.py` and the zoo
baselines write a run record with `write_run_record`; everything that reads
one (`zoo/zoo_finalize.py`, `docs/scripts/zoo_page.py`, the tests) goes
through `read_run_record`, which also reads the three older layouts
(before `schema_version` 1) committed in the repository.

Fields of schema version 1 (all present; unknown values are `None`):

    schema              "keras_gan.run_record"
    schema_version      1
    keras_gan_version   the version that wrote it
    keras_version
    backend             "tensorflow", "jax" or "torch"
    machine             "x86_64, 16 CPU cores" (processor, core count)
    date                "YYYY-MM-DD"
    config              what was run: recipe, data, epochs, batch_size, ...
    steps               optimizer steps at the end of the run
    history             Keras' `History.history`: {log key: [one value per epoch]}
    epoch_logs          `StepHistory.history`: [{"step": int, log key: value}]
    timing              {"seconds": training wall time, "runs": processes
                        (resumes add one), "stopped_by_time_limit": bool, ...}
    metrics             sample-quality scores of the run, or None
    environment         settings that change speed (TF_ENABLE_ONEDNN_OPTS)
"""

import datetime
import json
import os
import platform

SCHEMA = "keras_gan.run_record"
SCHEMA_VERSION = 1
FIELDS = ("schema", "schema_version", "keras_gan_version", "keras_version", "backend",
          "machine", "date", "config", "steps", "history", "epoch_logs", "timing", "metrics",
          "environment")


def machine():
    """`"<processor>, <n> CPU cores"`, the `machine` field."""
    return f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPU cores"


def make_run_record(steps=None, history=None, epoch_logs=None, timing=None, metrics=None,
                    config=None, backend=None, machine_name=None):
    """A run record (schema version 1) of the current process.

    Args:
        steps: optimizer steps at the end of the run.
        history: a `keras.callbacks.History` or its `history` dict.
        epoch_logs: a `keras_gan.callbacks.StepHistory` or its list.
        timing: `{"seconds": ..., ...}`.
        metrics: sample-quality scores, or None.
        config: what was run (recipe, data, epochs, batch size...).
        backend: default: Keras' backend.
        machine_name: default: `machine()`.
    """
    import keras

    from keras_gan.version import __version__

    history = getattr(history, "history", history) or {}
    epoch_logs = getattr(epoch_logs, "history", epoch_logs) or []
    return {
        "schema": SCHEMA, "schema_version": SCHEMA_VERSION,
        "keras_gan_version": __version__, "keras_version": keras.__version__,
        "backend": backend or keras.backend.backend(),
        "machine": machine_name or machine(),
        "date": datetime.date.today().isoformat(),
        "config": dict(config or {}),
        "steps": None if steps is None else int(steps),
        "history": {k: [float(v) for v in vs] for k, vs in history.items()},
        "epoch_logs": list(epoch_logs),
        "timing": dict(timing or {}),
        "metrics": metrics,
        "environment": {"tf_enable_onednn_opts": os.environ.get("TF_ENABLE_ONEDNN_OPTS")},
    }


def write_run_record(path, record=None, **fields):
    """Writes a run record as JSON (atomically); returns the record.

    Pass a record from `make_run_record`, or its arguments.

    Example:
        >>> write_run_record("out/history.json", steps=500, history=h,
        ...                  timing={"seconds": 61.2}, config={"recipe": "dcgan"})
    """
    from keras_gan.utils.atomic import write_text_atomic

    if record is None:
        record = make_run_record(**fields)
    elif fields:
        raise ValueError(f"Pass a record or its fields, not both. Received: {sorted(fields)}")
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    write_text_atomic(path, json.dumps(record, indent=1) + "\n")
    return record


def _empty():
    return {name: None for name in FIELDS} | {
        "schema": SCHEMA, "schema_version": SCHEMA_VERSION, "config": {}, "history": {},
        "epoch_logs": [], "timing": {}, "environment": {}}


def upgrade_run_record(data):
    """A run record dict of any layout, as schema version 1.

    Older layouts (no `schema_version`):

    * `keras-gan train`'s `history.json`: `step`, `seconds_this_run`,
      `history`, `epoch_logs`;
    * `examples/mnist_dcgan.py`'s `history.json`: `backend`, `data`,
      `images`, `recipe`, `batch_size`, `steps`, `seconds`, `max_minutes`,
      `stopped_by_time_limit`, `tf_enable_onednn_opts`, `history`, `epoch_logs`;
    * `zoo/recipe.py`'s `train_record.json` and the baselines'
      `tf_tutorial_dcgan-<N>ep.json`: `backend`, `epochs`, `steps`,
      `wall_seconds`, `hardware`, `tf_enable_onednn_opts`, `history`, `metrics`.
    """
    if not isinstance(data, dict):
        raise ValueError(f"A run record is a JSON object. Received: {type(data).__name__}")
    version = data.get("schema_version")
    if version is not None:
        if data.get("schema") != SCHEMA or version > SCHEMA_VERSION:
            raise ValueError(
                f"Not a run record this keras_gan can read (schema {SCHEMA!r} version "
                f"<= {SCHEMA_VERSION}). Received: schema={data.get('schema')!r}, "
                f"schema_version={version!r}")
        return _empty() | data
    old = dict(data)
    record = _empty()
    record["steps"] = old.pop("steps", old.pop("step", None))
    seconds = None
    for key in ("seconds", "wall_seconds", "seconds_this_run"):
        if key in old:
            seconds = old.pop(key)
    timing = {"seconds": seconds}
    for key in ("stopped_by_time_limit", "max_minutes"):
        if key in old:
            timing[key] = old.pop(key)
    record["timing"] = timing
    record["machine"] = old.pop("hardware", None)
    record["backend"] = old.pop("backend", None)
    record["history"] = old.pop("history", {}) or {}
    record["epoch_logs"] = old.pop("epoch_logs", []) or []
    record["metrics"] = old.pop("metrics", None)
    if "tf_enable_onednn_opts" in old:
        record["environment"] = {"tf_enable_onednn_opts": old.pop("tf_enable_onednn_opts")}
    record["config"] = old  # what is left: epochs, batch_size, recipe, data, images...
    return record


def read_run_record(path_or_dict):
    """Reads a run record (a path, or a dict already loaded) as schema version 1.

    Example:
        >>> record = read_run_record("outputs/train/history.json")
        >>> record["steps"], record["timing"]["seconds"], record["epoch_logs"][-1]
    """
    if isinstance(path_or_dict, dict):
        return upgrade_run_record(path_or_dict)
    with open(path_or_dict) as f:
        return upgrade_run_record(json.load(f))
