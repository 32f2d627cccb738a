"""`keras_gan.zoo.release`: publish the zoo's committed folders, re-pin `presets.json`.

For maintainers with a Hub token, from a keras_gan checkout:

    keras-gan zoo release                      # every zoo model, to keras-gan/<name>
    keras-gan zoo release mnist-dcgan --owner me

Each `zoo/<name>/hub/` folder is checked against the sha256 digests of its
entry, uploaded with `huggingface_hub`, then downloaded back into an empty
temporary cache at the commit the Hub returned, and every file's sha256 is
compared with the entry again. Only when every model verified is
`presets.json` rewritten (atomically), with the new commit ids and
`"published": true, "revision_source": "hub"`. A failed upload or
download, or a digest mismatch, leaves it byte for byte as it was.
"""

import datetime
import hashlib
import json
import os
import stat
import tempfile

from keras_gan.errors import ZooIntegrityError
from keras_gan.errors import ZooReleaseError
from keras_gan.utils.atomic import atomic_path
from keras_gan.zoo import presets as presets_lib

MESSAGE = "Release keras_gan zoo model {name}"


def default_zoo_dir():
    """The checkout's `zoo/` folder: next to the `keras_gan` package."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return os.path.join(os.path.dirname(package), "zoo")


def _sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _reason(error):
    text = str(error).splitlines()[0] if str(error) else ""
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _check_folder(name, entry, folder):
    """The committed folder holds exactly the files the entry pins."""
    if not os.path.isdir(folder):
        raise FileNotFoundError(
            f"No folder {folder!r} for zoo model {name!r}: run the release from a keras_gan "
            "checkout, or pass zoo_dir (--zoo-dir) pointing at its zoo/ folder."
        )
    on_disk = sorted(f for f in os.listdir(folder) if os.path.isfile(os.path.join(folder, f)))
    pinned = sorted(entry["files"])
    if on_disk != pinned:
        raise ZooIntegrityError(
            f"{folder} holds {on_disk} but presets.json pins {pinned} for {name!r}; nothing "
            "was uploaded and presets.json is unchanged."
        )
    for f in pinned:
        if _sha256(os.path.join(folder, f)) != entry["files"][f]:
            raise ZooIntegrityError(
                f"{f} of {folder} does not match its sha256 in presets.json: the committed "
                f"folder is not the one {name!r} pins. Nothing was uploaded and presets.json "
                "is unchanged (restore the folder, or rerun zoo/zoo_finalize.py)."
            )


def _verify_download(repo_id, commit, files, token, endpoint, done):
    """Downloads every file at `commit` into an empty cache; raises on any mismatch."""
    from huggingface_hub import hf_hub_download

    bad = []
    with tempfile.TemporaryDirectory(prefix="keras_gan-release-") as cache:
        for f in sorted(files):
            try:
                path = hf_hub_download(repo_id, f, revision=commit, cache_dir=cache,
                                       force_download=True, token=token, endpoint=endpoint,
                                       library_name="keras_gan")
            except Exception as e:
                raise ZooReleaseError(
                    f"Reading back {f} of {repo_id}@{commit[:12]} failed ({_reason(e)}); "
                    f"presets.json is unchanged.{done}"
                ) from e
            if _sha256(path) != files[f]:
                bad.append(f)
    if bad:
        raise ZooIntegrityError(
            f"Downloaded back from {endpoint}, {', '.join(bad)} of {repo_id}@{commit[:12]} "
            f"does not match its sha256 in presets.json; presets.json is unchanged.{done}"
        )


def release(names=None, owner=None, token=None, zoo_dir=None, presets_path=None,
            endpoint=None, log=None):
    """Uploads zoo folders to the Hub, verifies them, and pins the new commits.

    Args:
        names: zoo names (default: every entry of `presets.json`).
        owner: Hub user or organisation to upload to (default: the owner of
            each entry's `repo_id`, `keras-gan`); a new owner is written into
            `repo_id`.
        token: Hub token with write access (default: huggingface_hub's login
            / `HF_TOKEN`).
        zoo_dir: the checkout's `zoo/` folder holding `<name>/hub/`.
        presets_path: the table to rewrite (default: `keras_gan/zoo/presets.json`,
            or `KERAS_GAN_PRESETS`).
        endpoint: Hub URL (default: `HF_ENDPOINT` or huggingface.co).
        log: a callable taking one line of progress (default: silent).

    Returns:
        One dict per model: `name`, `repo_id`, `old_revision`, `revision`,
        `was_published`, `changed`. `presets.json` is rewritten only if
        something changed, and only after every model verified.

    Raises:
        ZooReleaseError: an upload or a download failed.
        ZooIntegrityError: a committed folder or a downloaded file does not
            match the digests of `presets.json`.
        ValueError: an unknown name or a bad owner.

    Example:
        >>> for change in keras_gan.zoo.release(["mnist-dcgan"]):
        ...     print(change["name"], change["old_revision"], "->", change["revision"])
    """
    from huggingface_hub import HfApi

    log = log or (lambda line: None)
    path = os.fspath(presets_path or presets_lib.PATH)
    with open(path, "rb") as f:
        original = f.read()
    table = json.loads(original)
    names = list(dict.fromkeys(names or sorted(table)))
    for name in names:
        if name not in table:
            presets_lib.get_preset(name, table)  # raises with the closest names
    if owner is not None and (not owner or "/" in owner):
        raise ValueError(f"owner must be a Hub user or organisation name. Received: {owner!r}")
    zoo_dir = os.fspath(zoo_dir or default_zoo_dir())
    plans = []
    for name in names:  # every folder is checked before anything is uploaded
        entry = table[name]
        folder = os.path.join(zoo_dir, name, "hub")
        _check_folder(name, entry, folder)
        repo_id = f"{owner}/{name}" if owner else entry["repo_id"]
        plans.append((name, folder, repo_id))

    api = HfApi(endpoint=endpoint, token=token)
    endpoint = api.endpoint
    commits, uploaded = {}, []
    for name, folder, repo_id in plans:
        done = (f" Already uploaded: {', '.join(uploaded)} (rerunning the release is safe: "
                "unchanged files are not uploaded again)." if uploaded else "")
        log(f"{name}: uploading {folder} to {repo_id} at {endpoint}")
        try:
            api.create_repo(repo_id, exist_ok=True)
            info = api.upload_folder(folder_path=folder, repo_id=repo_id,
                                     commit_message=MESSAGE.format(name=name))
        except Exception as e:
            raise ZooReleaseError(
                f"Uploading {name} to {repo_id} at {endpoint} failed ({_reason(e)}); "
                f"presets.json is unchanged.{done}"
            ) from e
        commit = info.oid
        uploaded.append(f"{repo_id}@{commit[:12]}")
        log(f"{name}: downloading {repo_id}@{commit[:12]} back and checking its sha256 digests")
        _verify_download(repo_id, commit, table[name]["files"], token, endpoint, done)
        commits[name] = (repo_id, commit)

    new = json.loads(original)
    today = datetime.date.today().isoformat()
    changes = []
    for name in names:
        entry = new[name]
        repo_id, commit = commits[name]
        before = (entry.get("repo_id"), entry.get("revision"), entry.get("published") is True,
                  entry.get("revision_source"))
        changed = before != (repo_id, commit, True, "hub")
        changes.append({"name": name, "repo_id": repo_id, "old_repo_id": entry.get("repo_id"),
                        "old_revision": entry.get("revision"), "revision": commit,
                        "was_published": before[2], "changed": changed})
        if changed:
            entry.update(repo_id=repo_id, revision=commit, published=True,
                         revision_source="hub", release={"endpoint": endpoint, "date": today})
    if any(c["changed"] for c in changes):
        mode = stat.S_IMODE(os.stat(path).st_mode)
        with atomic_path(path) as tmp:  # all or nothing, even if the process dies here
            with open(tmp, "w") as f:
                f.write(json.dumps(new, indent=1, sort_keys=True) + "\n")
            os.chmod(tmp, mode)
    return changes
