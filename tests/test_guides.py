"""The guides in `docs/guides/` run as written, so they cannot rot.

For each guide, the ```python blocks are joined in page order and executed
in-process, in a fresh namespace, with a temporary working directory. A
block whose first line is `# not run` is skipped (none is at present). Each
test then checks what the guide produced: files, shapes, logged metrics. The
code is compiled with the guide's file name and line numbers, so a traceback
points at the line of the Markdown page that failed.

The DCGAN and backends guides run on every backend, the others once (on
torch; `EVERY_BACKEND`). To keep the suite fast, the code is run with
these textual substitutions, listed in `SUBSTITUTIONS`, and nothing else:

* `epochs=N` / `EPOCHS = N` -> 1: one epoch, i.e. one step of 128 images
  (two of 64 in the WGAN-GP guide);
* `10_000` -> 500: score 500 samples instead of 10,000 (`n_samples=10_000`,
  `generate(10_000, ...)`, `x[:10_000]`);
* `Evaluator("mnist-test")` -> `Evaluator("mnist-test", kid_subsets=10)`:
  KID over 10 random subsets instead of 100 (it runs in NumPy, and 100
  subsets cost seconds per score on every backend).

and with these stand-ins for what a user's machine provides:

* `keras_gan.data.load_mnist` returns the first 128 digits of the MNIST
  sample bundled with keras_gan (same signature and `(images, labels,
  source)` contract; `source` is "bundled-sample"), instead of full MNIST
  from Keras' cache or a download. One batch per epoch: on JAX each
  distinct training step costs seconds of XLA compilation, and with lazy R1
  a second step would compile a second variant;
* the model builders of `keras_gan.models` (`dcgan_*`,
  `conditional_dcgan_*`) default to narrow convolutions (`NARROW_FILTERS`):
  the same layers with a fraction of the compute (a guide's own `filters=`
  would still apply);
* reference statistics are cached in the test's temporary folder
  (`KERAS_GAN_CACHE`);
* the guides that start from "the GAN of the DCGAN guide"
  (`outputs/dcgan/gan.keras`) get a small DCGAN saved there by the test
  (narrow filters, untrained), not the 5-epoch model;
* the zoo guide talks to `tests/hub_server.HubStandIn` on 127.0.0.1, never
  to huggingface.co: small stand-ins for `mnist-dcgan` and `mnist-cdcgan`
  are published there under a temporary zoo table, and the guide's
  `publish` uploads to it.

A block whose first line is `# file: NAME.py` is a standalone script (the
multi-device guide has one per backend); it is not run in-process.
`test_multi_device_script_runs` runs the current backend's script in fresh
processes, with its launch command, on two simulated CPU devices, with
`epochs=N` -> 1, the narrow filters above written into the builder calls,
`KERAS_HOME` holding a 512-digit `mnist.npz` made from the bundled sample,
and on TensorFlow, `MirroredStrategy()` -> two logical CPU devices.

The ```bash blocks are not run. Every `keras-gan ...` line in them must
parse with the real argument parser, and `--help` of every subcommand they
use must exit with 0.
"""

import functools
import json
import math
import os
import re
import shlex
import warnings

import keras
import numpy as np
import pytest

import keras_gan
from keras_gan.cli.main import build_parser
from keras_gan.cli.main import main as cli_main
from keras_gan.data import mnist as mnist_module

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GUIDES_DIR = os.path.join(ROOT, "docs", "guides")
GUIDES = ("dcgan", "wgan_gp", "conditional", "evaluating", "zoo", "resuming", "backends",
          "multi_device", "own_images")
# Guides without Python code (nothing there may pretend to run).
TEXT_ONLY = ("multi_device",)
# Guides run on every backend; the others run once (torch), since what they
# show is the same code on any backend, and each backend's GAN machinery
# (steps, penalties, callbacks, saving, evaluation, image folders) has its own
# per-backend tests: the DCGAN guide stands for them on TensorFlow and JAX.
EVERY_BACKEND = ("dcgan", "backends")
N_DIGITS = 128
SUBSTITUTIONS = (
    (r"\b(epochs|EPOCHS)(\s*=\s*)\d+", r"\g<1>\g<2>1", "train one epoch"),
    (r"\b10_000\b", "500", "500 samples instead of 10,000"),
    (r'Evaluator\("mnist-test"\)', 'Evaluator("mnist-test", kid_subsets=10)',
     "10 KID subsets instead of 100"),
)
FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
NOT_RUN = "# not run"
SCRIPT = "# file: "
DCGAN_OUTPUT = os.path.join("outputs", "dcgan", "gan.keras")
# Narrow convolutions by default in the model builders (a guide's own
# `filters=` would still win): the same layers, a fraction of the compute.
NARROW_FILTERS = {
    "dcgan_generator": (16, 8, 8),
    "dcgan_discriminator": (8, 8),
    "conditional_dcgan_generator": (16, 8, 8),
    "conditional_dcgan_discriminator": (8, 8),
}


def guide_path(name):
    return os.path.join(GUIDES_DIR, name + ".md")


def code_blocks(name, language):
    """`(first line index, code)` of each fenced block in `language`."""
    with open(guide_path(name), encoding="utf-8") as f:
        text = f.read()
    for match in FENCE.finditer(text):
        if match.group(1) == language:
            yield text.count("\n", 0, match.start(2)), match.group(2)


def guide_source(name):
    """The guide's Python blocks, substituted, at their line numbers in the page."""
    with open(guide_path(name), encoding="utf-8") as f:
        lines = [""] * (f.read().count("\n") + 1)
    found = False
    for start, code in code_blocks(name, "python"):
        if code.startswith(NOT_RUN) or code.startswith(SCRIPT):
            continue  # scripts run in their own processes (test_guide_scripts_run)
        found = True
        for i, line in enumerate(code.splitlines()):
            lines[start + i] = line
    source = "\n".join(lines)
    for pattern, replacement, _ in SUBSTITUTIONS:
        source = re.sub(pattern, replacement, source)
    return source if found else None


def first_digits(path=None, split="train", download=True, allow_sample=True):
    """`load_mnist` on the first `N_DIGITS` digits of the bundled sample."""
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test'. Received: split={split!r}")
    with np.load(mnist_module.SAMPLE_PATH, allow_pickle=False) as f:
        return f[f"x_{split}"][:N_DIGITS], f[f"y_{split}"][:N_DIGITS], "bundled-sample"


def save_small_dcgan(path):
    """A narrow, untrained DCGAN with the guides' settings, saved as `path`."""
    G = keras_gan.models.dcgan_generator(100, (28, 28, 1), filters=(16, 8, 8))
    D = keras_gan.models.dcgan_discriminator((28, 28, 1), filters=(8, 8))
    gan = keras_gan.GAN(G, D, latent_dim=100,
                        penalty=keras_gan.penalties.R1(gamma=1.0, interval=16),
                        ema_decay=0.999, seed=0)
    gan.compile()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    gan.save(path)


@pytest.fixture
def hub_zoo(tmp_path, monkeypatch):
    """A Hub stand-in with small `mnist-dcgan` / `mnist-cdcgan`, listed as the zoo."""
    pytest.importorskip("huggingface_hub")
    from helpers import mnist_gan
    from hub_server import HubStandIn
    from huggingface_hub import constants as hf_constants

    from keras_gan.zoo import hub_folder
    from keras_gan.zoo import presets as presets_lib

    monkeypatch.setenv("HF_XET_CACHE", str(tmp_path / "xet"))
    monkeypatch.setenv("HF_TOKEN", "hf_test_token_for_the_local_stand_in")
    monkeypatch.setattr(hf_constants, "HF_HUB_CACHE", str(tmp_path / "hf-cache"))
    monkeypatch.setattr(hf_constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(hf_constants, "HF_HUB_DISABLE_PROGRESS_BARS", True)
    with HubStandIn() as hub:
        hub.use_as_default(monkeypatch)
        table = {}
        for name, conditional in (("mnist-dcgan", False), ("mnist-cdcgan", True)):
            folder = tmp_path / "zoo-src" / name
            keras_gan.zoo.save_folder(mnist_gan(conditional=conditional, train=False),
                                      str(folder))
            repo_id = f"keras-gan/{name}"
            table[name] = {
                "repo_id": repo_id,
                "revision": hub.add_folder(repo_id, str(folder), message="upload"),
                "published": True, "revision_source": "hub",  # on this stand-in
                "conditional": conditional,
                "description": f"A small stand-in for {name}.",
                "files": {f: hub_folder.sha256_file(folder / f) for f in os.listdir(folder)},
                "metrics": {"fid": 99.0, "precision": 0.1, "recall": 0.2},
            }
        presets = tmp_path / "presets.json"
        presets.write_text(json.dumps(table))
        monkeypatch.setattr(presets_lib, "PATH", str(presets))
        yield hub


def run_guide(name):
    """Executes the guide's Python code; returns its namespace."""
    source = guide_source(name)
    code = compile(source, guide_path(name), "exec")
    namespace = {"__name__": "__guide__"}
    environ = dict(os.environ)
    try:
        exec(code, namespace)  # noqa: S102 (the guide's own code, from this repository)
    finally:  # e.g. os.environ.setdefault("KERAS_BACKEND", ...) in the backends guide
        os.environ.clear()
        os.environ.update(environ)
    return namespace


@pytest.fixture
def guide_env(tmp_path, monkeypatch):
    """Temporary working directory, MNIST stand-in, private reference cache."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KERAS_GAN_CACHE", str(tmp_path / "keras_gan-cache"))
    monkeypatch.setattr(mnist_module, "load_mnist", first_digits)
    monkeypatch.setattr(keras_gan.data, "load_mnist", first_digits)
    for builder, filters in NARROW_FILTERS.items():
        original = getattr(keras_gan.models, builder)
        monkeypatch.setattr(keras_gan.models, builder, functools.partial(original, filters=filters))
    with warnings.catch_warnings():
        # The guides score 500 samples; the "compare at 10,000" advice is expected.
        warnings.filterwarnings("ignore", message="Scoring .* samples")
        yield tmp_path


# ----------------------------------------------------------------- checks
def check_dcgan(ns, out):
    d = out / "outputs" / "dcgan"
    for f in ("grids/epoch_001.png", "grids/progress.gif", "gan.keras", "generator.keras",
              "samples.png", "history.png"):
        assert (d / f).stat().st_size > 0, f
    assert ns["samples"].shape == (64, 28, 28, 1)
    assert -1 <= ns["samples"].min() and ns["samples"].max() <= 1
    assert {"d_loss", "g_loss", "penalty", "d_real", "d_fake"} <= set(ns["history"].history)
    np.testing.assert_allclose(ns["again"], ns["samples"], atol=1e-5)
    assert int(ns["gan"].optimizer.iterations) == math.ceil(N_DIGITS / 128)
    # One epoch: its logs, at the step it ended, as fit's History has them.
    logs = ns["step_history"].history
    assert [e["step"] for e in logs] == [math.ceil(N_DIGITS / 128)]
    assert logs[0]["d_loss"] == ns["history"].history["d_loss"][0]


def check_wgan_gp(ns, out):
    assert "BatchNormalization" in ns["message"] and "LayerNormalization" in ns["message"]
    assert isinstance(ns["gan_ln"], keras_gan.GAN)
    gan = ns["gan"]
    assert gan.d_steps == 5 and gan.loss_fn.registry_name == "wasserstein"
    assert int(gan.optimizer.iterations) == math.ceil(N_DIGITS / 64)
    assert int(gan.discriminator_optimizer.iterations) == 5 * math.ceil(N_DIGITS / 64)
    assert len(ns["gap"]) == 1 and np.isfinite(ns["gap"]).all()
    assert (out / "outputs" / "wgan_gp" / "gan.keras").stat().st_size > 0
    assert (out / "outputs" / "wgan_gp" / "grids" / "epoch_001.png").exists()


def check_conditional(ns, out):
    assert ns["sevens"].shape == (16, 28, 28, 1)
    assert ns["digits"].shape == (80, 28, 28, 1) and ns["styles"].shape == (10, 28, 28, 1)
    assert ns["same"]
    assert ns["generator"].num_classes == 10 and ns["generator"].latent_dim == 100
    assert isinstance(ns["reloaded"], keras_gan.Generator)
    d = out / "outputs" / "cdcgan"
    for f in ("digits.png", "one_style.png", "generator.keras", "grids/epoch_001.png",
              "grids/progress.gif"):
        assert (d / f).stat().st_size > 0, f


def check_evaluating(ns, out):
    scores, real = ns["scores"], ns["real"]
    for key in ("fid", "kid", "classifier_score", "precision", "recall", "density",
                "coverage"):
        assert np.isfinite(scores[key]), key
    assert scores["n_samples"] == 500 and scores["extractor"] == "mnist_classifier"
    # real digits score far better than an untrained generator
    assert real["fid"] < scores["fid"] / 5
    with np.load(out / "outputs" / "dcgan" / "samples.npz") as f:
        assert f["samples"].shape == (500, 28, 28, 1) and f["samples"].dtype == np.uint8
    assert "fid" in ns["history"].history and "recall" in ns["history"].history
    assert (out / "outputs" / "dcgan" / "best.keras").stat().st_size > 0
    assert (out / "outputs" / "dcgan" / "samples.npz").exists()


def check_zoo(ns, out):
    assert ns["images"].shape == (64, 28, 28, 1) and ns["sevens"].shape == (16, 28, 28, 1)
    assert (out / "zoo-dcgan.png").stat().st_size > 0
    assert not ns["G"].conditional and ns["C"].conditional
    folder = out / "outputs" / "my-mnist-gan"
    assert sorted(os.listdir(folder)) == ["README.md", "config.json", "metadata.json",
                                          "model.weights.h5", "samples.png"]
    card = (folder / "README.md").read_text()
    assert "A DCGAN trained on MNIST" in card and "FID" in card
    assert ns["handle"] == f"hf://me/my-mnist-gan@{ns['commit']}"
    np.testing.assert_allclose(ns["mine"].generate(4, seed=0), ns["local"].generate(4, seed=0),
                               atol=1e-6)


def check_resuming(ns, out):
    per_epoch = math.ceil(len(ns["images"]) / 128)
    assert ns["steps"] == (ns["EPOCHS"] + 1) * per_epoch
    assert (out / "runs" / "mnist" / "latest").read_text().strip() == f"ckpt-{ns['steps']:010d}"
    assert (out / "runs" / "mnist" / "gan.keras").stat().st_size > 0


def check_backends(ns, out):
    assert ns["images"].shape == (16, 28, 28, 1)
    assert -1 <= ns["images"].min() and ns["images"].max() <= 1
    assert keras.backend.backend() == os.environ.get("KERAS_BACKEND", "tensorflow")
    assert ns["gan"].run_eagerly


def check_own_images(ns, out):
    assert ns["data"].image_shape == (32, 32, 3) and len(ns["data"].images) == N_DIGITS
    assert ns["data"].labels is None
    assert len(os.listdir(out / "my_images")) == len(set(ns["digits"].tolist()))
    assert (out / "outputs" / "own" / "samples.png").stat().st_size > 0
    assert (out / "outputs" / "own" / "grids" / "epoch_001.png").stat().st_size > 0
    exported = keras.saving.load_model(out / "outputs" / "own" / "generator.keras")
    assert tuple(exported.output_shape) == (None, 32, 32, 3)
    scores = ns["scores"]
    assert scores["extractor"] == "colour_mnist_classifier" and scores["n_samples"] == 500
    for key in ("fid", "precision", "recall"):
        assert np.isfinite(scores[key]), key


CHECKS = {
    "own_images": check_own_images,
    "dcgan": check_dcgan,
    "wgan_gp": check_wgan_gp,
    "conditional": check_conditional,
    "evaluating": check_evaluating,
    "zoo": check_zoo,
    "resuming": check_resuming,
    "backends": check_backends,
}
NEEDS_DCGAN_OUTPUT = ("evaluating", "zoo", "backends")


# ------------------------------------------------------------------ tests
@pytest.mark.once
def test_every_guide_is_listed_tested_and_in_the_nav():
    on_disk = sorted(f[:-3] for f in os.listdir(GUIDES_DIR) if f.endswith(".md"))
    assert on_disk == sorted(GUIDES)
    assert sorted(CHECKS) == sorted(set(GUIDES) - set(TEXT_ONLY))
    with open(os.path.join(ROOT, "mkdocs.yml"), encoding="utf-8") as f:
        nav = f.read().split("\nnav:", 1)[1]
    for name in GUIDES:
        assert f"guides/{name}.md" in nav, name
    for name in TEXT_ONLY:
        assert guide_source(name) is None, f"{name} should hold no runnable Python"


@pytest.mark.parametrize("name", [
    name if name in EVERY_BACKEND else pytest.param(name, marks=pytest.mark.once)
    for name in sorted(CHECKS)])
def test_guide_runs(name, guide_env, request):
    if name == "zoo":
        request.getfixturevalue("hub_zoo")
    if name in NEEDS_DCGAN_OUTPUT:
        save_small_dcgan(DCGAN_OUTPUT)
    namespace = run_guide(name)
    CHECKS[name](namespace, guide_env)


def shell_commands(name):
    """argv lists of the `keras-gan` lines in the guide's ```bash blocks."""
    commands = []
    for _, code in code_blocks(name, "bash"):
        for line in code.replace("\\\n", " ").splitlines():
            words = shlex.split(line, comments=True)
            while words and re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", words[0]):
                words = words[1:]  # VAR=value prefixes
            if words and words[-1] == "&":
                words = words[:-1]
            if words and words[0] == "keras-gan":
                commands.append(words[1:])
    return commands


@pytest.mark.once
@pytest.mark.parametrize("name", GUIDES)
def test_guide_shell_commands_parse(name, capsys):
    parser = build_parser()
    subcommands = set()
    for argv in shell_commands(name):
        try:
            args = parser.parse_args(argv)
        except SystemExit as e:
            raise AssertionError(f"{name}: `keras-gan {' '.join(argv)}` does not parse: "
                                 f"{capsys.readouterr().err.strip()}") from e
        subcommands.add((args.command,) + ((args.zoo_command,) if args.command == "zoo"
                                           else ()))
    for path in sorted(subcommands):
        with pytest.raises(SystemExit) as exit_info:
            cli_main(list(path) + ["--help"])
        assert exit_info.value.code == 0, path
        assert capsys.readouterr().out.startswith(f"usage: keras-gan {' '.join(path)}")


@pytest.mark.once
def test_the_shell_commands_are_found():
    """The extraction above sees the commands (a broken regex would pass vacuously)."""
    found = {name: {tuple(argv[:2]) for argv in shell_commands(name)} for name in GUIDES}
    assert ("evaluate", "outputs/dcgan/gan.keras") in found["evaluating"]
    assert ("zoo", "publish") in found["zoo"]
    assert ("train", "--epochs") in found["resuming"]
    assert ("--backend", "torch") in found["backends"]
    assert all(found[name] for name in ("conditional", "multi_device"))


# ------------------------------------------------- multi-device guide scripts
SCRIPTS = {  # backend: (script, launcher prefix, extra env, line it prints)
    "tensorflow": ("train_mirrored.py", [], {}, "replicas: 2"),
    "jax": ("train_data_parallel.py", [],
            {"XLA_FLAGS": "--xla_force_host_platform_device_count=2"}, "devices: 2"),
    "torch": ("train_torchrun.py",
              ["-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2"], {},
              "rank 1 of 2"),
}
SCRIPT_SUBSTITUTIONS = (
    (r"\b(epochs)(\s*=\s*)\d+", r"\g<1>\g<2>1"),
    (r"dcgan_generator\(100, \(28, 28, 1\)\)", "dcgan_generator(100, (28, 28, 1), filters=(16, 8, 8))"),
    (r"dcgan_discriminator\(\(28, 28, 1\)\)", "dcgan_discriminator((28, 28, 1), filters=(8, 8))"),
    (r"tf\.distribute\.MirroredStrategy\(\)",
     'tf.config.set_logical_device_configuration(tf.config.list_physical_devices("CPU")[0], '
     "[tf.config.LogicalDeviceConfiguration()] * 2) or "
     'tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])'),
)


def guide_scripts(name):
    """{file name: code} of the guide's `# file:` blocks."""
    scripts = {}
    for _, code in code_blocks(name, "python"):
        if code.startswith(SCRIPT):
            scripts[code.splitlines()[0][len(SCRIPT):].strip()] = code
    return scripts


@pytest.mark.once
def test_the_multi_device_guide_has_a_script_per_backend():
    scripts = guide_scripts("multi_device")
    assert sorted(scripts) == sorted(s[0] for s in SCRIPTS.values())
    for backend, (script, *_) in SCRIPTS.items():
        assert f'os.environ["KERAS_BACKEND"] = "{backend}"' in scripts[script]
        launch = "torchrun --standalone --nproc_per_node=2" if backend == "torch" else "python"
        assert f"{launch} {script}" in open(guide_path("multi_device")).read()


def test_multi_device_script_runs(tmp_path):
    """The current backend's script, launched as the guide says, on two CPU devices."""
    import subprocess
    import sys

    backend = keras.backend.backend()
    script, launcher, env_extra, printed = SCRIPTS[backend]
    code = guide_scripts("multi_device")[script]
    for pattern, replacement in SCRIPT_SUBSTITUTIONS:
        code = re.sub(pattern, replacement, code)
    (tmp_path / script).write_text(code)
    datasets = tmp_path / "keras-home" / "datasets"
    datasets.mkdir(parents=True)
    with np.load(mnist_module.SAMPLE_PATH, allow_pickle=False) as f:
        np.savez(datasets / "mnist.npz", x_train=f["x_train"][:512], y_train=f["y_train"][:512],
                 x_test=f["x_test"][:64], y_test=f["y_test"][:64])
    env = dict(os.environ, KERAS_HOME=str(tmp_path / "keras-home"), TF_CPP_MIN_LOG_LEVEL="3",
               PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""), **env_extra)
    proc = subprocess.run([sys.executable, *launcher, script], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=600)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-6000:]
    assert printed in output, output[-3000:]
    G = keras.saving.load_model(str(tmp_path / "generator.keras"))
    samples = keras.ops.convert_to_numpy(G(np.zeros((2, 100), "float32")))
    assert samples.shape == (2, 28, 28, 1) and np.all(np.abs(samples) <= 1)
