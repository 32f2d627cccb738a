"""The real huggingface_hub client against the local Hub stand-in (tests/hub_server.py).

Every download uses a tmp ``cache_dir``; ``use_as_default`` patches
``huggingface_hub.constants`` (ENDPOINT + HUGGINGFACE_CO_URL_TEMPLATE) so that the
calls below rely on ``endpoint=None`` like library code does.
"""

import hashlib
import os
import socket
import subprocess
import sys
import textwrap
import urllib.error
import urllib.request
from pathlib import Path

import pytest

huggingface_hub = pytest.importorskip("huggingface_hub")
from huggingface_hub import HfApi, constants, hf_hub_download, hf_hub_url
from huggingface_hub.errors import (
    EntryNotFoundError,
    LocalEntryNotFoundError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)

sys.path.insert(0, os.path.dirname(__file__))
from hub_server import HubStandIn, git_blob_sha1

pytestmark = pytest.mark.once  # backend-independent: tools/run_tests.py runs it on one backend

REPO = "keras-gan/test-model"
FILES = {
    "config.json": b'{"latent_dim": 8}\n',
    "weights/generator.weights.h5": bytes(range(256)) * 40,
    "empty.txt": b"",
}


def _write_folder(root: Path, files: dict) -> Path:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


@pytest.fixture
def hub(monkeypatch, tmp_path):
    # hf_xet (imported lazily by upload_folder) writes a log under HF_XET_CACHE at import.
    monkeypatch.setenv("HF_XET_CACHE", str(tmp_path / "xet"))
    with HubStandIn() as server:
        server.use_as_default(monkeypatch)
        yield server


@pytest.fixture
def cache(tmp_path):
    return str(tmp_path / "hf-cache")


def _read(path):
    return Path(path).read_bytes()


def test_download_at_main_and_commit_sha(hub, cache, tmp_path):
    sha1 = hub.add_folder(REPO, _write_folder(tmp_path / "v1", FILES), message="v1")
    assert len(sha1) == 40 and hub.head(REPO) == sha1
    for name, data in FILES.items():
        assert _read(hf_hub_download(REPO, name, cache_dir=cache)) == data
        assert _read(hf_hub_download(REPO, name, revision=sha1, cache_dir=cache)) == data
    assert ("HEAD", f"/{REPO}/resolve/main/config.json") in hub.requests
    assert ("GET", f"/{REPO}/resolve/{sha1}/config.json") not in hub.requests  # snapshot cached

    # A second commit moves main; the first commit stays addressable.
    sha2 = hub.add_files(REPO, {"config.json": b'{"latent_dim": 16}\n'}, message="v2")
    assert sha2 != sha1
    assert _read(hf_hub_download(REPO, "config.json", cache_dir=cache)) == b'{"latent_dim": 16}\n'
    assert (
        _read(hf_hub_download(REPO, "config.json", revision=sha1, cache_dir=cache))
        == FILES["config.json"]
    )
    assert _read(hf_hub_download(REPO, "empty.txt", revision=sha2, cache_dir=cache)) == b""


def test_commit_ids_are_deterministic(tmp_path):
    folder = _write_folder(tmp_path / "src", FILES)
    with HubStandIn() as a, HubStandIn() as b:
        assert a.add_folder(REPO, folder, message="m") == b.add_folder(REPO, folder, message="m")
        assert a.add_folder(REPO, folder, message="m2") == b.add_folder(REPO, folder, message="m2")
    expected = HubStandIn.commit_sha(
        "", "m", [(p, hashlib.sha256(d).hexdigest()) for p, d in FILES.items()]
    )
    with HubStandIn() as c:
        first = c.add_folder(REPO, folder, message="m")
        assert first == expected == HubStandIn.commit_sha(None, "m", FILES)
        second = c.add_folder(REPO, folder, message="m")
        assert second == HubStandIn.commit_sha(first, "m", FILES) != first


def test_explicit_endpoint_argument_without_patching(tmp_path):
    with HubStandIn() as hub:
        sha = hub.add_files(REPO, {"a.txt": b"abc"})
        path = hf_hub_download(
            REPO, "a.txt", revision=sha, cache_dir=str(tmp_path), endpoint=hub.url
        )
        assert _read(path) == b"abc"
        assert ("GET", f"/{REPO}/resolve/{sha}/a.txt") in hub.requests


def test_patching_endpoint_alone_is_not_enough(monkeypatch):
    # hf_hub_url() formats the import-time HUGGINGFACE_CO_URL_TEMPLATE when endpoint=None.
    monkeypatch.setattr(constants, "ENDPOINT", "http://127.0.0.1:9")
    assert hf_hub_url(REPO, "a.txt").startswith("https://huggingface.co/")
    monkeypatch.setattr(
        constants,
        "HUGGINGFACE_CO_URL_TEMPLATE",
        "http://127.0.0.1:9/{repo_id}/resolve/{revision}/{filename}",
    )
    assert hf_hub_url(REPO, "a.txt") == f"http://127.0.0.1:9/{REPO}/resolve/main/a.txt"


def test_cached_commit_sha_makes_no_request(hub, cache):
    sha = hub.add_files(REPO, FILES)
    via_main = hf_hub_download(REPO, "config.json", cache_dir=cache)  # also writes refs/main
    first = hf_hub_download(REPO, "weights/generator.weights.h5", revision=sha, cache_dir=cache)
    hub.clear_requests()
    assert (
        hf_hub_download(REPO, "weights/generator.weights.h5", revision=sha, cache_dir=cache)
        == first
    )
    assert hub.requests == []  # not even a HEAD
    # A branch name always costs a HEAD (to resolve main), but no GET once cached.
    assert hf_hub_download(REPO, "config.json", cache_dir=cache) == via_main
    assert hub.requests == [("HEAD", f"/{REPO}/resolve/main/config.json")]

    port = int(hub.url.rsplit(":", 1)[1])
    hub.stop()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    hub.clear_requests()
    assert (
        hf_hub_download(REPO, "weights/generator.weights.h5", revision=sha, cache_dir=cache)
        == first
    )
    # "main" with the server gone: the refused HEAD falls back to refs/main in the cache.
    assert hf_hub_download(REPO, "config.json", cache_dir=cache) == via_main
    assert hub.requests == []


def test_offline_mode_loads_from_cache(hub, cache, monkeypatch):
    sha = hub.add_files(REPO, FILES)
    online = hf_hub_download(REPO, "config.json", cache_dir=cache)  # writes refs/main
    assert Path(cache, "models--keras-gan--test-model", "refs", "main").read_text() == sha
    hub.clear_requests()

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)  # runtime switch in 2.4.0
    assert huggingface_hub.is_offline_mode()
    assert hf_hub_download(REPO, "config.json", cache_dir=cache) == online
    assert hf_hub_download(REPO, "config.json", revision=sha, cache_dir=cache) == online
    with pytest.raises(LocalEntryNotFoundError):
        hf_hub_download(REPO, "empty.txt", cache_dir=cache)  # never downloaded
    assert hub.requests == []

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    assert hf_hub_download(REPO, "config.json", cache_dir=cache, local_files_only=True) == online
    assert hub.requests == []


def test_error_types(hub, cache):
    sha = hub.add_files(REPO, FILES)
    with pytest.raises(RepositoryNotFoundError):
        hf_hub_download("keras-gan/missing", "config.json", cache_dir=cache)
    with pytest.raises(RevisionNotFoundError):
        hf_hub_download(REPO, "config.json", revision="no-such-branch", cache_dir=cache)
    with pytest.raises(RevisionNotFoundError):
        hf_hub_download(REPO, "config.json", revision="0" * 40, cache_dir=cache)
    with pytest.raises(EntryNotFoundError):
        hf_hub_download(REPO, "nope.bin", cache_dir=cache)
    with pytest.raises(EntryNotFoundError):
        hf_hub_download(REPO, "nope.bin", revision=sha, cache_dir=cache)
    # Raw headers of the errors.
    for url, code in [
        (f"{hub.url}/keras-gan/missing/resolve/main/x", "RepoNotFound"),
        (f"{hub.url}/{REPO}/resolve/dev/x", "RevisionNotFound"),
        (f"{hub.url}/{REPO}/resolve/main/x", "EntryNotFound"),
    ]:
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(urllib.request.Request(url, method="HEAD"), timeout=5)
        assert info.value.code == 404 and info.value.headers["X-Error-Code"] == code


@pytest.mark.parametrize("xet_pipeline", [True, False], ids=["pipelined", "create_commit"])
def test_upload_folder_roundtrip(hub, cache, tmp_path, monkeypatch, xet_pipeline):
    # hf_xet is installed, so upload_folder uses the pipelined uploader by default;
    # HF_HUB_DISABLE_XET (runtime-patchable) selects the classic create_commit path.
    monkeypatch.setattr(constants, "HF_HUB_DISABLE_XET", not xet_pipeline)
    files = dict(FILES, **{"README.md": b"---\nlicense: apache-2.0\n---\n# model\n"})
    folder = _write_folder(tmp_path / "up", files)
    api = HfApi(endpoint=None, token="x")  # follows the patched constants.ENDPOINT
    assert api.endpoint == hub.url
    api.create_repo(REPO, exist_ok=True)
    api.create_repo(REPO, exist_ok=True)  # 409 tolerated
    hub.clear_requests()

    info = api.upload_folder(folder_path=str(folder), repo_id=REPO, commit_message="upload v1")
    assert info.oid == hub.head(REPO) == HubStandIn.commit_sha("", "upload v1", files)
    assert ("POST", f"/api/models/{REPO}/preupload/main") in hub.requests
    assert ("POST", f"/api/models/{REPO}/commit/main") in hub.requests
    assert hub.commit_tree(REPO, info.oid) == files
    with HubStandIn() as other:  # same folder + message + parent => same id
        assert other.add_folder(REPO, folder, message="upload v1") == info.oid

    for name, data in files.items():
        assert _read(hf_hub_download(REPO, name, revision=info.oid, cache_dir=cache)) == data
    assert sorted(api.list_repo_files(REPO)) == sorted(files)
    assert sorted(api.list_repo_files(REPO, revision=info.oid)) == sorted(files)

    # Unchanged folder: the client drops every file and returns the current head.
    again = api.upload_folder(folder_path=str(folder), repo_id=REPO, commit_message="no-op")
    assert again.oid == info.oid

    (folder / "config.json").write_bytes(b'{"latent_dim": 32}\n')
    new = api.upload_folder(folder_path=str(folder), repo_id=REPO, commit_message="upload v2")
    files["config.json"] = b'{"latent_dim": 32}\n'
    assert new.oid == hub.head(REPO) == HubStandIn.commit_sha(info.oid, "upload v2", files)
    assert _read(hf_hub_download(REPO, "config.json", cache_dir=cache)) == files["config.json"]
    assert (
        _read(hf_hub_download(REPO, "config.json", revision=info.oid, cache_dir=cache))
        == FILES["config.json"]
    )


def test_tamper_changes_what_is_served(hub, tmp_path):
    sha = hub.add_files(REPO, FILES)
    evil = b"not the weights"
    hub.tamper(REPO, "config.json", evil)
    for rev in ("main", sha):
        path = hf_hub_download(REPO, "config.json", revision=rev, cache_dir=str(tmp_path / rev))
        assert _read(path) == evil
    req = urllib.request.Request(f"{hub.url}/{REPO}/resolve/{sha}/config.json", method="HEAD")
    with urllib.request.urlopen(req, timeout=5) as resp:
        assert resp.headers["ETag"] == f'"{git_blob_sha1(evil)}"'
        assert int(resp.headers["Content-Length"]) == len(evil)
        assert resp.headers["X-Repo-Commit"] == sha
        assert not any(k.lower().startswith("x-xet") for k in resp.headers)
    assert hub.commit_tree(REPO, sha)["config.json"] == FILES["config.json"]  # repo itself intact

    hub.tamper(REPO, "config.json", None)
    path = hf_hub_download(REPO, "config.json", revision=sha, cache_dir=str(tmp_path / "clean"))
    assert _read(path) == FILES["config.json"]


def test_env_vars_before_import_in_subprocess(tmp_path):
    """HF_ENDPOINT / HF_HUB_OFFLINE only take effect if set before huggingface_hub is imported."""
    script = textwrap.dedent(
        """
        import sys
        from huggingface_hub import hf_hub_download
        path = hf_hub_download(sys.argv[1], "config.json", revision=sys.argv[2] if len(sys.argv) > 2 else None)
        sys.stdout.write(open(path).read())
        """
    )
    env = dict(os.environ, HF_HOME=str(tmp_path / "home"), HF_HUB_DISABLE_PROGRESS_BARS="1")
    env.pop("HF_HUB_OFFLINE", None)
    env.pop("HF_HUB_CACHE", None)
    with HubStandIn() as hub:
        hub.add_files(REPO, FILES)
        env["HF_ENDPOINT"] = hub.url
        out = subprocess.run(
            [sys.executable, "-c", script, REPO],
            env=env,
            capture_output=True,
            check=False,
            text=True,
            timeout=120,
        )
        assert out.returncode == 0, out.stderr
        assert out.stdout == FILES["config.json"].decode()
        assert ("GET", f"/{REPO}/resolve/main/config.json") in hub.requests
    # Server gone and HF_HUB_OFFLINE=1: served from HF_HOME/hub, no connection attempted.
    env["HF_HUB_OFFLINE"] = "1"
    out = subprocess.run(
        [sys.executable, "-c", script, REPO],
        env=env,
        capture_output=True,
        check=False,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout == FILES["config.json"].decode()
