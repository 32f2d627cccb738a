"""`keras-gan zoo release` / `keras_gan.zoo.release`, end to end through the Hub stand-in.

A checkout-like zoo in a temporary folder (`zoo/<name>/hub/` of two tiny
generators, and a presets table that pins them as `zoo/zoo_finalize.py`
does: `"published": false`, the stand-in's commit id) is released to
`tests/hub_server.HubStandIn`: upload, download back into an empty cache,
sha256 check, re-pin. The stand-in also plays a Hub that assigns commit ids
of its own, one whose commit fails mid-upload, and one that serves a changed
file; in each fault case the table stays byte for byte as it was. The real
zoo folders go through the same release in `tests/test_zoo_models.py`, which
checks their pinned output slices.
"""

import json
import os
import shutil

import huggingface_hub.constants  # a lazy submodule: import it explicitly
import numpy as np
import pytest

import keras_gan
from keras_gan.cli.main import main as cli_main
from keras_gan.errors import ZooIntegrityError
from keras_gan.errors import ZooNotPublishedError
from keras_gan.zoo import hub_folder
from keras_gan.zoo import presets as presets_lib
from keras_gan.zoo.release import MESSAGE

from helpers import mnist_gan
from hub_server import HubStandIn
from test_zoo_hub import hub  # noqa: F401 (the same stand-in fixture)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NAMES = ("tiny-a", "tiny-c")  # unconditional, conditional
STAND_IN_MESSAGE = "Upload keras_gan generator"  # zoo/zoo_finalize.py's folder_revision


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    """`<name>/hub/` zoo folders of two tiny untrained generators (read only)."""
    root = tmp_path_factory.mktemp("zoo-src")
    for name in NAMES:
        keras_gan.zoo.save_folder(mnist_gan(conditional=name == "tiny-c", train=False),
                                  str(root / name / "hub"))
    return root


@pytest.fixture
def zoo(hub, folders, tmp_path, monkeypatch):
    """A checkout's zoo: the folders, and a table pinning them, not yet published."""
    zoo_dir = tmp_path / "zoo"
    shutil.copytree(folders, zoo_dir)
    table = {}
    for name in NAMES:
        folder = zoo_dir / name / "hub"
        files = {f: hub_folder.sha256_file(folder / f) for f in sorted(os.listdir(folder))}
        table[name] = {
            "repo_id": f"keras-gan/{name}", "conditional": name == "tiny-c",
            "revision": HubStandIn.commit_sha(None, STAND_IN_MESSAGE, files.items()),
            "published": False, "revision_source": "local-stand-in",
            "description": f"A tiny {name}.", "files": files, "metrics": {"fid": 99.0},
        }
    path = tmp_path / "presets.json"
    path.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n")
    monkeypatch.setattr(presets_lib, "PATH", str(path))
    monkeypatch.setenv("HF_TOKEN", "hf_test_token_for_the_local_stand_in")
    return {"dir": zoo_dir, "path": path, "table": table, "bytes": path.read_bytes()}


def release_cli(zoo, *extra):
    return cli_main(["zoo", "release", *extra, "--zoo-dir", str(zoo["dir"]), "--token", "x"])


def expected_output(zoo, name):
    G = keras_gan.zoo.load(str(zoo["dir"] / name / "hub"))
    z = np.random.default_rng(3).standard_normal((2, G.latent_dim)).astype("float32")
    labels = [3, 8] if G.conditional else None
    return z, labels, G.generate(z, labels=labels)


def test_release_repins_and_every_model_loads_by_name(hub, zoo, capsys):
    for name in NAMES:  # before: one clear error, no request
        with pytest.raises(ZooNotPublishedError, match=f"'{name}' is not published"):
            keras_gan.zoo.load(name)
    assert hub.requests == []
    assert release_cli(zoo) == 0
    out = capsys.readouterr().out
    table = json.loads(zoo["path"].read_text())
    for name in NAMES:
        old, entry = zoo["table"][name], table[name]
        repo_id = f"keras-gan/{name}"
        assert entry["revision"] == hub.head(repo_id) != old["revision"]
        assert entry["published"] is True and entry["revision_source"] == "hub"
        assert entry["release"]["endpoint"] == hub.url
        assert {k: v for k, v in entry.items()
                if k not in ("revision", "published", "revision_source", "release")} == \
            {k: v for k, v in old.items() if k not in ("revision", "published", "revision_source")}
        assert (f"{name}: re-pinned, {repo_id}: {old['revision'][:12]} (not published) -> "
                f"{entry['revision']} (published)") in out
        # read back at the new commit, every file
        for f in entry["files"]:
            assert ("GET", f"/{repo_id}/resolve/{entry['revision']}/{f}") in hub.requests
        z, labels, expected = expected_output(zoo, name)
        G = keras_gan.zoo.load(name)
        np.testing.assert_allclose(G.generate(z, labels=labels), expected, atol=1e-6)
    assert "python -m docs.scripts.zoo_page" in out
    # A second release uploads nothing new: same commits, the table untouched.
    written = zoo["path"].read_bytes()
    assert release_cli(zoo) == 0
    assert "nothing to write" in capsys.readouterr().out
    assert zoo["path"].read_bytes() == written


@pytest.mark.once
def test_a_hub_that_assigns_its_own_commit_ids(hub, zoo):
    """huggingface.co starts each new repo with a commit of its own (.gitattributes),
    so an upload's commit id is never the stand-in id pinned before; `--owner`."""
    for name in NAMES:
        hub.add_files(f"someone/{name}", {".gitattributes": b"*.h5 filter=lfs\n"},
                      message="initial commit")
    changes = keras_gan.zoo.release(owner="someone", zoo_dir=zoo["dir"])
    table = json.loads(zoo["path"].read_text())
    for change in changes:
        name = change["name"]
        entry = table[name]
        fresh = HubStandIn.commit_sha(None, MESSAGE.format(name=name), entry["files"].items())
        assert entry["revision"] == hub.head(f"someone/{name}") == change["revision"]
        assert entry["revision"] not in (zoo["table"][name]["revision"], fresh)
        assert entry["repo_id"] == change["repo_id"] == f"someone/{name}"
        assert change["old_repo_id"] == f"keras-gan/{name}" and change["changed"]
        assert keras_gan.zoo.load(name).latent_dim == 8


@pytest.mark.once
def test_a_failed_upload_leaves_the_pins_byte_identical(hub, zoo, capsys, monkeypatch):
    import huggingface_hub.utils._http as hf_http

    monkeypatch.setattr(hf_http.time, "sleep", lambda s: None)  # skip retry back-off
    hub.fail_commits("keras-gan/tiny-c", status=500, times=1000)
    assert release_cli(zoo) == 1
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err.startswith("keras-gan zoo: error: Uploading tiny-c to keras-gan/tiny-c")
    assert "presets.json is unchanged" in err and "Already uploaded: keras-gan/tiny-a@" in err
    assert zoo["path"].read_bytes() == zoo["bytes"]
    assert hub.head("keras-gan/tiny-c") is None  # nothing committed
    with pytest.raises(ZooNotPublishedError):
        keras_gan.zoo.load("tiny-a")  # uploaded, but not pinned: still refused
    hub.fail_commits("keras-gan/tiny-c", times=0)  # the Hub is back: rerunning is safe
    changes = keras_gan.zoo.release(zoo_dir=zoo["dir"])
    assert [c["revision"] for c in changes] == [hub.head(f"keras-gan/{n}") for n in NAMES]
    assert keras_gan.zoo.load("tiny-c").conditional


@pytest.mark.once
def test_a_changed_file_served_back_is_refused(hub, zoo, capsys):
    weights = (zoo["dir"] / "tiny-c" / "hub" / "model.weights.h5").read_bytes()
    bad = bytearray(weights)
    bad[len(bad) // 2] ^= 0x01
    hub.tamper("keras-gan/tiny-c", "model.weights.h5", bytes(bad))
    assert release_cli(zoo) == 1
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert "model.weights.h5 of keras-gan/tiny-c@" in err and "does not match its sha256" in err
    assert "presets.json is unchanged" in err
    assert zoo["path"].read_bytes() == zoo["bytes"]
    with pytest.raises(ZooIntegrityError, match="does not match"):
        keras_gan.zoo.release(["tiny-c"], zoo_dir=zoo["dir"])
    assert zoo["path"].read_bytes() == zoo["bytes"]


@pytest.mark.once
def test_a_folder_that_differs_from_its_pins_uploads_nothing(hub, zoo, capsys):
    (zoo["dir"] / "tiny-c" / "hub" / "samples.png").write_bytes(b"not the pinned grid")
    with pytest.raises(ZooIntegrityError, match="samples.png of .*tiny-c.* does not match"):
        keras_gan.zoo.release(zoo_dir=zoo["dir"])
    (zoo["dir"] / "tiny-a" / "hub" / "extra.txt").write_text("?")
    assert release_cli(zoo, "tiny-a") == 1
    assert "pins" in capsys.readouterr().err
    assert not [r for r in hub.requests if r[0] == "POST"]  # checked before any upload
    assert zoo["path"].read_bytes() == zoo["bytes"]


@pytest.mark.once
def test_release_usage_errors(hub, zoo, tmp_path, capsys):
    assert release_cli(zoo, "tiny-x") == 2
    assert "Unknown zoo model. Did you mean 'tiny-" in capsys.readouterr().err
    assert cli_main(["zoo", "release", "--zoo-dir", str(tmp_path / "nowhere")]) == 2
    assert "No folder" in capsys.readouterr().err
    with pytest.raises(ValueError, match="owner must be"):
        keras_gan.zoo.release(owner="a/b", zoo_dir=zoo["dir"])
    with pytest.raises(ValueError, match="owner must be"):
        keras_gan.zoo.release(owner="", zoo_dir=zoo["dir"])
    assert zoo["path"].read_bytes() == zoo["bytes"] and hub.requests == []


@pytest.mark.once
def test_zoo_list_shows_the_status(hub, zoo, capsys):
    assert cli_main(["zoo", "list"]) == 0
    out = capsys.readouterr().out
    assert "Published on the Hub (keras_gan.zoo.load(NAME)): none." in out
    assert "Not published yet: tiny-a, tiny-c." in out and "keras-gan zoo release" in out
    assert cli_main(["zoo", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(m["published"], m["revision_source"]) for m in listed] == \
        [(False, "local-stand-in")] * 2
    keras_gan.zoo.release(["tiny-a"], zoo_dir=zoo["dir"])
    assert cli_main(["zoo", "list"]) == 0
    out = capsys.readouterr().out
    assert "(keras_gan.zoo.load(NAME)): tiny-a." in out and "Not published yet: tiny-c." in out


@pytest.mark.once
def test_a_checkout_with_unpublished_pins_says_what_works(hub, tmp_path, monkeypatch, capsys):
    """The committed table with every pin marked unpublished (as it is until the first
    release): one line naming the two ways that work, and no request to any Hub."""
    table = presets_lib.presets()
    for entry in table.values():
        entry.update(published=False, revision_source="local-stand-in")
        entry.pop("release", None)
    path = tmp_path / "presets.json"
    path.write_text(json.dumps(table))
    monkeypatch.setattr(presets_lib, "PATH", str(path))
    with pytest.raises(ZooNotPublishedError) as info:
        keras_gan.zoo.load("mnist-dcgan")
    message = str(info.value)
    assert "\n" not in message and isinstance(info.value, ConnectionError)
    assert message.startswith("Zoo model 'mnist-dcgan' is not published on the Hugging Face Hub")
    assert 'keras_gan.zoo.load("zoo/mnist-dcgan/hub")' in message
    assert "keras-gan zoo release mnist-dcgan" in message
    with pytest.raises(ZooNotPublishedError):
        keras_gan.Generator.from_preset("mnist-cdcgan")
    assert cli_main(["zoo", "load", "mnist-dcgan"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "is not published" in err
    assert cli_main(["sample", "mnist-wgan-gp", "--out", str(tmp_path / "s.png")]) == 1
    assert "is not published" in capsys.readouterr().err
    assert hub.requests == []
    monkeypatch.chdir(ROOT)  # the way that works today, as the message writes it
    G = keras_gan.zoo.load("zoo/mnist-dcgan/hub")
    assert G.latent_dim == 100 and not G.conditional
