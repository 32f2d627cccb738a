"""The on-disk format of a zoo model: one folder, the files of a Hub repo.

    config.json        the `keras_gan.Generator` config (JSON, no code)
    model.weights.h5   its weights (Keras 3 weights file, HDF5, no pickle)
    metadata.json      versions, shapes, parameter count, weights digest
    README.md          the model card (YAML front matter for the Hub)
    samples.png        a sample grid
"""

import hashlib
import json
import os

import keras
import numpy as np

from keras_gan.errors import ZooIntegrityError
from keras_gan.generator import Generator
from keras_gan.utils.atomic import atomic_path
from keras_gan.utils.atomic import write_text_atomic
from keras_gan.version import __version__

CONFIG = "config.json"
WEIGHTS = "model.weights.h5"
METADATA = "metadata.json"
CARD = "README.md"
GRID = "samples.png"
REQUIRED = (CONFIG, WEIGHTS, METADATA)
FORMAT_VERSION = 1
_ALLOWED_MODULES = ("keras", "keras_gan")


def sha256_file(path, chunk=1 << 20):
    """Hex sha256 digest of a file."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(chunk), b""):
            h.update(block)
    return h.hexdigest()


def save_folder(model, folder, card=None, grid=True, use_ema=None, metadata=None):
    """Writes a generator (or a GAN's generator) as a zoo folder.

    The folder holds exactly what a Hub repo of the model holds: see the
    module docstring. Each file is written atomically.

    Args:
        model: a `keras_gan.Generator` or a trained `keras_gan.GAN`
            (its EMA generator is used when it has one).
        folder: destination folder (created; existing files are replaced).
        card: model card text (`README.md`); `None` writes a minimal card
            (see `keras_gan.zoo.model_card`).
        grid: write `samples.png` (an 8x8 grid; one row per class for
            conditional generators).
        use_ema: with a GAN: take the EMA generator (default: when it has one).
        metadata: extra JSON-serialisable entries for `metadata.json`.

    Returns:
        The `Generator` that was saved.

    Example:
        >>> keras_gan.zoo.save_folder(gan, "my-mnist-gan")
        >>> G = keras_gan.zoo.load("my-mnist-gan")
    """
    from keras_gan.zoo.model_card import model_card

    generator = Generator.from_gan(model, use_ema=use_ema)
    os.makedirs(folder, exist_ok=True)
    config = keras.saving.serialize_keras_object(generator)
    write_text_atomic(os.path.join(folder, CONFIG), json.dumps(config, indent=1) + "\n")
    with atomic_path(os.path.join(folder, WEIGHTS)) as tmp:
        generator.save_weights(tmp)
    meta = {
        "format_version": FORMAT_VERSION,
        "keras_gan_version": __version__,
        "keras_version": keras.__version__,
        "saved_with_backend": keras.backend.backend(),
        "class_name": "keras_gan>Generator",
        "latent_dim": generator.latent_dim,
        "num_classes": generator.num_classes,
        "image_shape": list(generator.image_shape),
        "parameter_count": int(generator.count_params()),
        "weights_sha256": sha256_file(os.path.join(folder, WEIGHTS)),
    }
    meta.update(metadata or {})
    write_text_atomic(os.path.join(folder, METADATA), json.dumps(meta, indent=1) + "\n")
    if grid:
        save_sample_grid(generator, os.path.join(folder, GRID))
    if card is None:
        card = model_card(generator, name=os.path.basename(os.path.abspath(folder)))
    write_text_atomic(os.path.join(folder, CARD), card)
    return generator


def save_sample_grid(generator, path, n_samples=64, seed=0, scale=2, **deprecated):
    """An 8x8 grid of samples, or one row of 8 per class (conditional generators).

    `n_samples` was formerly `n` (still accepted, deprecated).
    """
    from keras_gan.utils.deprecation import check_no_unknown
    from keras_gan.utils.deprecation import renamed_arguments
    from keras_gan.utils.image_grid import class_grid_labels
    from keras_gan.utils.image_grid import save_image_grid

    n = renamed_arguments("save_sample_grid", {"n": "n_samples"}, deprecated,
                          dict(n_samples=n_samples), dict(n_samples=64))["n_samples"]
    check_no_unknown("save_sample_grid", deprecated)

    if generator.conditional:
        labels, nrow = class_grid_labels(generator.num_classes, n)
        images = generator.generate(len(labels), labels=labels, seed=seed)
    else:
        images = generator.generate(n, seed=seed)
        nrow = int(np.ceil(np.sqrt(n)))
    save_image_grid(images, path, nrow=nrow, scale=scale)


def _check_modules(node, where="config.json"):
    """Refuses configs that name classes outside keras / keras_gan."""
    if isinstance(node, dict):
        module = node.get("module")
        if isinstance(module, str) and module.split(".")[0] not in _ALLOWED_MODULES:
            raise ZooIntegrityError(
                f"{where} names a class outside keras and keras_gan; refusing to "
                f"load it. Received: module={module!r}"
            )
        if node.get("class_name") == "Lambda":
            raise ZooIntegrityError(
                f"{where} contains a Lambda layer (serialized Python code); refusing "
                "to load it. Received: class_name='Lambda'"
            )
        for value in node.values():
            _check_modules(value, where)
    elif isinstance(node, list):
        for value in node:
            _check_modules(value, where)


def verify_digests(paths, digests, source):
    """Checks each file's sha256 against `digests` before anything is loaded.

    Raises:
        ZooIntegrityError: a digest differs (the file is corrupted or was
            tampered with).
    """
    for name, expected in digests.items():
        if name not in paths:
            continue
        actual = sha256_file(paths[name])
        if actual != expected:
            raise ZooIntegrityError(
                f"{name} of {source} does not match its recorded sha256: the "
                "download is corrupted or was tampered with, so it was not loaded. "
                f"Expected sha256={expected}. Received: sha256={actual} "
                f"({paths[name]})"
            )


def load_folder_files(paths, source, digests=None):
    """Builds a `Generator` from the files of a zoo folder.

    Args:
        paths: `{file name: local path}` with at least `config.json`,
            `model.weights.h5` and `metadata.json`.
        source: what the files came from, for error messages.
        digests: `{file name: sha256}` to check first (zoo entries pin
            them); without it the weights are checked against the digest in
            `metadata.json`, which catches corruption but not tampering.

    Returns:
        The `Generator`.
    """
    missing = [name for name in REQUIRED if name not in paths or not os.path.isfile(paths[name])]
    if missing:
        raise FileNotFoundError(
            f"{source} is not a keras_gan zoo model: it lacks {', '.join(missing)} "
            f"(a zoo folder holds {', '.join(REQUIRED)}). Received: {source}"
        )
    if digests:
        verify_digests(paths, digests, source)
    try:
        with open(paths[METADATA]) as f:
            meta = json.load(f)
        with open(paths[CONFIG]) as f:
            config = json.load(f)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ZooIntegrityError(
            f"Cannot read the JSON files of {source}: {e}. Received: {source}"
        ) from None
    if not digests and meta.get("weights_sha256"):
        verify_digests(paths, {WEIGHTS: meta["weights_sha256"]}, source)
    if meta.get("format_version", 0) > FORMAT_VERSION:
        raise ValueError(
            f"{source} was written by a newer keras_gan (format "
            f"{meta['format_version']}; this one reads {FORMAT_VERSION}). Upgrade "
            f"keras_gan. Received: format_version={meta['format_version']}"
        )
    if not isinstance(config, dict) or config.get("registered_name") != "keras_gan>Generator":
        name = config.get("registered_name") if isinstance(config, dict) else type(config).__name__
        raise ZooIntegrityError(
            f"config.json of {source} does not describe a keras_gan.Generator. "
            f"Received: registered_name={name!r}"
        )
    _check_modules(config)
    generator = keras.saving.deserialize_keras_object(config, safe_mode=True)
    generator.load_weights(paths[WEIGHTS])
    return generator


def load_folder(folder, digests=None):
    """Loads a zoo folder from disk (see `save_folder`)."""
    paths = {name: os.path.join(folder, name) for name in REQUIRED}
    return load_folder_files(paths, f"folder {folder!r}", digests)
