"""`keras_gan.zoo.load` / `publish` through the real huggingface_hub client.

The Hub is `tests/hub_server.HubStandIn`, an HTTP server on 127.0.0.1 that
speaks the Hub's file and commit API. These tests use a small model
published under a temporary zoo table; `test_zoo_models.py` serves the
committed `zoo/*/hub` folders.
"""

import json
import os
import subprocess
import sys

import huggingface_hub
import huggingface_hub.constants  # a lazy submodule: import it explicitly
import numpy as np
import pytest

import keras_gan
from keras_gan.cli.main import main as cli_main
from keras_gan.errors import ZooIntegrityError
from keras_gan.zoo import hub_folder
from keras_gan.zoo import presets as presets_lib

from helpers import mnist_gan
from hub_server import HubStandIn
from hub_server import isolate_huggingface_hub

REPO = "keras-gan/tiny-dcgan"
MESSAGE = "Upload keras_gan generator"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture
def hub(monkeypatch, tmp_path):
    """A running stand-in, huggingface_hub pointed at it, a fresh cache."""
    isolate_huggingface_hub(monkeypatch, tmp_path)
    with HubStandIn() as server:
        server.use_as_default(monkeypatch)
        yield server


@pytest.fixture(scope="module")
def tiny_gan():
    """One briefly trained tiny GAN for the module (the tests only read it)."""
    return mnist_gan()


@pytest.fixture
def tiny_zoo(hub, tmp_path, monkeypatch, tiny_gan):
    """Publishes a tiny generator to the stand-in and lists it as 'tiny-dcgan'."""
    gan = tiny_gan
    folder = tmp_path / "tiny-dcgan"
    G = keras_gan.zoo.save_folder(gan, str(folder))
    digests = {f: hub_folder.sha256_file(folder / f) for f in os.listdir(folder)}
    revision = hub.add_folder(REPO, str(folder), message=MESSAGE)
    # Published on this Hub: `zoo.load` refuses entries marked "published": false.
    table = {"tiny-dcgan": {"repo_id": REPO, "revision": revision, "conditional": False,
                            "published": True, "revision_source": "hub",
                            "description": "A tiny test generator.", "files": digests,
                            "metrics": {"fid": 99.0, "precision": 0.1, "recall": 0.2}}}
    path = tmp_path / "presets.json"
    path.write_text(json.dumps(table))
    monkeypatch.setattr(presets_lib, "PATH", str(path))
    hub.clear_requests()
    z = np.random.default_rng(5).standard_normal((4, 8)).astype("float32")
    return {"G": G, "z": z, "revision": revision, "folder": folder, "gan": gan}


def _resolves(hub):
    return [r for r in hub.requests if "/resolve/" in r[1]]


def test_cold_load_then_cached_load_makes_no_request(hub, tiny_zoo):
    G = keras_gan.zoo.load("tiny-dcgan")
    got = _resolves(hub)
    assert ("GET", f"/{REPO}/resolve/{tiny_zoo['revision']}/model.weights.h5") in got
    np.testing.assert_allclose(G.generate(tiny_zoo["z"]), tiny_zoo["G"].generate(tiny_zoo["z"]),
                               atol=1e-6)
    hub.clear_requests()
    again = keras_gan.zoo.load("tiny-dcgan")
    assert hub.requests == []  # pinned commit + cache: not even a HEAD
    hub.stop()  # and with the Hub gone
    third = keras_gan.zoo.load("tiny-dcgan")
    for model in (again, third):
        np.testing.assert_allclose(model.generate(tiny_zoo["z"]), G.generate(tiny_zoo["z"]),
                                   atol=1e-6)


@pytest.mark.once
def test_offline_mode_uses_the_cache_and_explains_a_miss(hub, tiny_zoo, monkeypatch, tmp_path):
    keras_gan.zoo.load("tiny-dcgan")
    hub.clear_requests()
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)
    G = keras_gan.zoo.load("tiny-dcgan")
    assert hub.requests == [] and G.latent_dim == 8
    with pytest.raises(ConnectionError, match="offline mode is on.*not in the cache"):
        keras_gan.zoo.load("tiny-dcgan", cache_dir=str(tmp_path / "empty-cache"))
    assert hub.requests == []


@pytest.mark.once
def test_no_network_and_no_cache_says_what_to_do(hub, tiny_zoo, monkeypatch):
    """huggingface_hub retries 5 times first; its back-off sleeps (1+2+4+8 s)
    are skipped here, the retries themselves still happen."""
    import huggingface_hub.utils._http as hf_http

    slept = []
    monkeypatch.setattr(hf_http.time, "sleep", slept.append)
    hub.stop()
    with pytest.raises(ConnectionError, match="cannot be reached.*not in the cache.*HF_ENDPOINT"):
        keras_gan.zoo.load("tiny-dcgan")
    assert len(slept) >= 3  # it did retry


@pytest.mark.once
@pytest.mark.parametrize("filename", ["model.weights.h5", "config.json"])
def test_tampered_download_is_refused_and_not_kept(hub, tiny_zoo, filename):
    original = (tiny_zoo["folder"] / filename).read_bytes()
    bad = bytearray(original)
    bad[len(bad) // 2] ^= 0x01
    hub.tamper(REPO, filename, bytes(bad))
    with pytest.raises(ZooIntegrityError, match=f"{filename} of zoo model 'tiny-dcgan'.*tampered"):
        keras_gan.zoo.load("tiny-dcgan")
    cache = huggingface_hub.constants.HF_HUB_CACHE
    kept = [os.path.join(d, f) for d, _, fs in os.walk(cache) for f in fs
            if f == filename or f.startswith(filename)]
    assert not any(os.path.isfile(p) and open(p, "rb").read() == bytes(bad) for p in kept)
    hub.tamper(REPO, filename, None)  # the mirror is fixed: the next load works
    assert keras_gan.zoo.load("tiny-dcgan").latent_dim == 8


@pytest.mark.once
def test_missing_repo_revision_and_file(hub, tiny_zoo):
    with pytest.raises(FileNotFoundError, match="no repo 'nobody/nothing'"):
        keras_gan.zoo.load("hf://nobody/nothing")
    with pytest.raises(FileNotFoundError, match="no revision 'v9'"):
        keras_gan.zoo.load("tiny-dcgan", revision="v9")
    with pytest.raises(FileNotFoundError, match="no revision '0{40}'"):
        keras_gan.zoo.load(f"hf://{REPO}@{'0' * 40}")
    hub.add_files("someone/partial", {"config.json": b"{}"})
    with pytest.raises(FileNotFoundError, match="has no file 'model.weights.h5'"):
        keras_gan.zoo.load("hf://someone/partial")


@pytest.mark.once
def test_unknown_name_suggests_the_closest(tiny_zoo):
    with pytest.raises(ValueError, match="Did you mean 'tiny-dcgan'.*Received: name='tiny-dcgn'"):
        keras_gan.zoo.load("tiny-dcgn")
    with pytest.raises(ValueError, match="Available: tiny-dcgan"):
        keras_gan.zoo.load("zzz")


@pytest.mark.once
def test_handles_and_revisions(hub, tiny_zoo):
    by_sha = keras_gan.zoo.load(f"hf://{REPO}@{tiny_zoo['revision']}")
    by_main = keras_gan.zoo.load(f"hf://{REPO}")
    z = tiny_zoo["z"]
    np.testing.assert_allclose(by_sha.generate(z), by_main.generate(z), atol=1e-6)
    with pytest.raises(ValueError, match="Two revisions"):
        keras_gan.zoo.load(f"hf://{REPO}@main", revision="other")


def test_publish_and_load_back(hub, tiny_zoo, tmp_path):
    gan = mnist_gan(conditional=True)
    handle, commit = keras_gan.zoo.publish(gan, "someone/my-cgan", token="x")
    assert handle == f"hf://someone/my-cgan@{commit}" and len(commit) == 40
    G = keras_gan.zoo.load(handle)
    assert G.conditional and G.num_classes == 10
    z = np.random.default_rng(0).standard_normal((3, 8)).astype("float32")
    expected = keras_gan.Generator.from_gan(gan).generate(z, labels=[1, 5, 9])
    np.testing.assert_allclose(G.generate(z, labels=[1, 5, 9]), expected, atol=1e-6)
    files = huggingface_hub.HfApi(token="x").list_repo_files("someone/my-cgan")
    assert sorted(files) == sorted(["README.md", "config.json", "metadata.json",
                                    "model.weights.h5", "samples.png"])
    # a folder publishes as is; a broken folder is refused before any upload
    handle2, _ = keras_gan.zoo.publish(str(tiny_zoo["folder"]), "someone/folder-model", token="x")
    assert keras_gan.zoo.load(handle2).latent_dim == 8
    os.remove(tiny_zoo["folder"] / "config.json")
    with pytest.raises(FileNotFoundError, match="lacks config.json"):
        keras_gan.zoo.publish(str(tiny_zoo["folder"]), "someone/broken", token="x")
    with pytest.raises(ValueError, match="repo_id='no-owner'"):
        keras_gan.zoo.publish(gan, "no-owner")


@pytest.mark.once
def test_list_models_reads_the_table(tiny_zoo):
    (entry,) = keras_gan.zoo.list_models()
    assert entry["name"] == "tiny-dcgan" and entry["metrics"]["fid"] == 99.0


def test_cli_zoo_list_load_save_publish_and_sample(hub, tiny_zoo, tmp_path, capsys):
    assert cli_main(["zoo", "list"]) == 0
    out = capsys.readouterr().out
    assert "tiny-dcgan" in out and "99.00" in out
    assert cli_main(["zoo", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["name"] == "tiny-dcgan"
    grid = tmp_path / "grid.png"
    assert cli_main(["zoo", "load", "tiny-dcgan", "--out", str(grid)]) == 0
    assert grid.stat().st_size > 0 and "Loaded tiny-dcgan" in capsys.readouterr().out
    png = tmp_path / "s.png"
    assert cli_main(["sample", "tiny-dcgan", "--out", str(png), "-n", "16"]) == 0
    assert png.stat().st_size > 0
    saved = tmp_path / "gan.keras"
    tiny_zoo["gan"].save(str(saved))
    folder = tmp_path / "from-cli"
    assert cli_main(["zoo", "save", str(saved), str(folder)]) == 0
    capsys.readouterr()
    assert cli_main(["zoo", "publish", str(folder), "someone/cli-model", "--token", "x"]) == 0
    out = capsys.readouterr().out
    handle = out.split("keras_gan.zoo.load(")[1].split(")")[0].strip("'")
    assert keras_gan.zoo.load(handle).latent_dim == 8


@pytest.mark.once
def test_cli_zoo_errors_are_one_line(hub, tiny_zoo, capsys, monkeypatch):
    assert cli_main(["zoo", "load", "tiny-dcgn"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "Did you mean 'tiny-dcgan'" in err
    assert cli_main(["sample", "no-such-model", "--out", "x.png"]) == 2
    assert "Unknown zoo model" in capsys.readouterr().err
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)
    assert cli_main(["zoo", "load", "tiny-dcgan"]) == 1  # runtime: no network, no cache
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "offline mode is on" in err


@pytest.mark.once
def test_env_vars_hf_endpoint_home_offline_in_a_fresh_process(tiny_zoo, hub, tmp_path):
    """HF_ENDPOINT / HF_HOME / HF_HUB_OFFLINE as a user sets them, via the CLI."""
    env = dict(os.environ, HF_ENDPOINT=hub.url, HF_HOME=str(tmp_path / "home"),
               HF_XET_CACHE=str(tmp_path / "xet"), KERAS_GAN_PRESETS=str(presets_lib.PATH))
    env.pop("HF_HUB_OFFLINE", None)
    env.pop("HF_HUB_CACHE", None)
    cmd = [sys.executable, "-m", "keras_gan.cli.launcher", "zoo", "load", "tiny-dcgan"]
    first = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    assert os.path.isdir(tmp_path / "home" / "hub")  # HF_HOME respected
    hub.stop()
    env["HF_HUB_OFFLINE"] = "1"
    second = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert second.returncode == 0, second.stderr
    env["HF_HOME"] = str(tmp_path / "empty-home")
    third = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert third.returncode == 1
    assert "offline mode is on" in third.stderr and "Traceback" not in third.stderr


def test_generator_presets_keras_hub_style(hub, tiny_zoo, tmp_path):
    """`from_preset` (name, hf:// handle, folder), `save_to_preset`, `push_to_hub`."""
    z = tiny_zoo["z"]
    expected = tiny_zoo["G"].generate(z)
    by_name = keras_gan.Generator.from_preset("tiny-dcgan")
    np.testing.assert_allclose(by_name.generate(z), expected, atol=1e-6)
    folder = by_name.save_to_preset(str(tmp_path / "preset"))
    assert sorted(os.listdir(folder)) == ["README.md", "config.json", "metadata.json",
                                          "model.weights.h5", "samples.png"]
    np.testing.assert_allclose(keras_gan.Generator.from_preset(folder).generate(z), expected,
                               atol=1e-6)
    handle = by_name.push_to_hub("hf://someone/pushed", token="x")
    assert handle.startswith("hf://someone/pushed@")
    np.testing.assert_allclose(keras_gan.Generator.from_preset(handle).generate(z), expected,
                               atol=1e-6)
    # publish takes the hf:// form too, but not a revision
    handle2, _ = keras_gan.zoo.publish(folder, "hf://someone/pushed-folder", token="x")
    assert keras_gan.Generator.from_preset(handle2).latent_dim == 8
    with pytest.raises(ValueError, match=r"without a revision.*repo_id='hf://someone/x@v1'"):
        by_name.push_to_hub("hf://someone/x@v1", token="x")


def test_keras_load_model_reads_a_zoo_repo(hub, tiny_zoo):
    """The Hub's "Use this model" snippet for library_name: keras."""
    import keras

    G = keras.saving.load_model(f"hf://{REPO}")
    assert isinstance(G, keras_gan.Generator)
    np.testing.assert_allclose(G.generate(tiny_zoo["z"]), tiny_zoo["G"].generate(tiny_zoo["z"]),
                               atol=1e-6)


def _weights_blobs(cache):
    """Files under a Hub cache that hold (part of) a weights download."""
    found = []
    for root, _, files in os.walk(cache):
        found += [os.path.join(root, f) for f in files if f.endswith(".incomplete")]
    return found


@pytest.mark.once
def test_connection_dropped_mid_file_then_a_good_model_or_a_clear_error(hub, tiny_zoo,
                                                                         tmp_path):
    """A cut in the middle of the weights: the client resumes (good model), or,
    when every try is cut, a one-line error and no cache entry that poisons
    the next load."""
    z, expected = tiny_zoo["z"], tiny_zoo["G"].generate(tiny_zoo["z"])
    size = os.path.getsize(tiny_zoo["folder"] / "model.weights.h5")
    hub.drop_connection(REPO, "model.weights.h5", after_bytes=size // 3, times=1)
    G = keras_gan.zoo.load("tiny-dcgan", cache_dir=str(tmp_path / "c1"))
    np.testing.assert_allclose(G.generate(z), expected, atol=1e-6)
    # Every try cut: a clear error...
    hub.drop_connection(REPO, "model.weights.h5", after_bytes=size // 3, times=1000)
    cache = str(tmp_path / "c2")
    with pytest.raises(ConnectionError, match=r"model.weights.h5.*(interrupted|cannot be reached)"):
        keras_gan.zoo.load("tiny-dcgan", cache_dir=cache)
    # ... and nothing in the cache that looks complete: the next load (network
    # back) downloads again and gets a good model.
    hub.drop_connection(REPO, "model.weights.h5", after_bytes=0, times=0)
    G = keras_gan.zoo.load("tiny-dcgan", cache_dir=cache)
    np.testing.assert_allclose(G.generate(z), expected, atol=1e-6)


@pytest.mark.once
def test_two_processes_load_into_an_empty_cache_at_once(hub, tiny_zoo, tmp_path):
    env = dict(os.environ, HF_ENDPOINT=hub.url, HF_HOME=str(tmp_path / "home"),
               HF_XET_CACHE=str(tmp_path / "xet"), KERAS_GAN_PRESETS=str(presets_lib.PATH))
    for key in ("HF_HUB_OFFLINE", "HF_HUB_CACHE"):
        env.pop(key, None)
    hub.slow_down(REPO, "model.weights.h5", 1.5)  # both downloads are in flight together
    code = ("import sys, numpy as np, keras_gan; "
            "G = keras_gan.zoo.load('tiny-dcgan'); "
            "z = np.random.default_rng(5).standard_normal((4, 8)).astype('float32'); "
            "np.save(sys.argv[1], G.generate(z))")
    procs = [subprocess.Popen([sys.executable, "-c", code, str(tmp_path / f"out{i}.npy")],
                              env=env, stderr=subprocess.PIPE, text=True) for i in range(2)]
    errors = [p.communicate(timeout=300)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    expected = tiny_zoo["G"].generate(tiny_zoo["z"])
    for i in range(2):
        np.testing.assert_allclose(np.load(tmp_path / f"out{i}.npy"), expected, atol=1e-6)
    gets = [r for r in hub.requests if r[0] == "GET" and r[1].endswith("model.weights.h5")]
    assert 1 <= len(gets) <= 2, gets  # a lock keeps the cache whole either way
    assert not _weights_blobs(str(tmp_path / "home"))
