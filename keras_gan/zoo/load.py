"""`keras_gan.zoo.load`: pretrained generators from the Hub, cached and verified."""

import os

from keras_gan.zoo import hub_folder
from keras_gan.zoo.presets import get_preset
from keras_gan.zoo.presets import not_published_message
from keras_gan.zoo.presets import presets

HF_PREFIX = "hf://"


def parse_handle(handle):
    """`"hf://owner/repo[@revision]"` -> `(repo_id, revision or None)`."""
    rest = handle[len(HF_PREFIX):]
    repo_id, _, revision = rest.partition("@")
    parts = repo_id.split("/")
    if len(parts) != 2 or not all(parts):
        raise ValueError(
            "A Hub handle looks like 'hf://owner/repo' or 'hf://owner/repo@revision'. "
            f"Received: handle={handle!r}"
        )
    return repo_id, revision or None


def _endpoint():
    from huggingface_hub import constants

    return constants.ENDPOINT


def _download(repo_id, filenames, revision, cache_dir, force_download, local_files_only, source, optional=()):
    """Downloads (or finds in the cache) each file; translates Hub errors."""
    from huggingface_hub import constants
    from huggingface_hub import errors
    from huggingface_hub import hf_hub_download

    paths = {}
    for filename in list(filenames) + list(optional):
        try:
            paths[filename] = hf_hub_download(
                repo_id, filename, revision=revision, cache_dir=cache_dir,
                force_download=force_download, local_files_only=local_files_only,
                library_name="keras_gan",
            )
        except errors.GatedRepoError:
            raise PermissionError(
                f"The Hub repo {repo_id!r} is gated: accept its terms on the Hub and log "
                f"in (`hf auth login`). Received: {source}"
            ) from None
        except errors.RepositoryNotFoundError:
            raise FileNotFoundError(
                f"The Hub has no repo {repo_id!r} (or it is private) at {_endpoint()}. "
                f"Received: {source}"
            ) from None
        except errors.RevisionNotFoundError:
            raise FileNotFoundError(
                f"The Hub repo {repo_id!r} has no revision {revision!r}. "
                f"Received: {source}, revision={revision!r}"
            ) from None
        except errors.RemoteEntryNotFoundError:
            if filename in optional:
                continue
            raise FileNotFoundError(
                f"The Hub repo {repo_id!r} (revision {revision or 'main'!r}) has no file "
                f"{filename!r}: it is not a keras_gan zoo model or is incomplete. "
                f"Received: {source}"
            ) from None
        except errors.LocalEntryNotFoundError:
            if filename in optional:
                continue
            offline = constants.HF_HUB_OFFLINE or local_files_only
            why = ("offline mode is on (HF_HUB_OFFLINE=1 or local_files_only=True)"
                   if offline else f"the Hub at {_endpoint()} cannot be reached")
            cache = cache_dir or constants.HF_HUB_CACHE
            raise ConnectionError(
                f"Cannot load {source}: {why}, and {filename!r} of {repo_id!r} "
                f"(revision {revision or 'main'!r}) is not in the cache ({cache}). Connect "
                "to the network once (the files are cached for later offline use), set "
                "HF_ENDPOINT to a reachable mirror, or download the repo folder elsewhere "
                "and pass its local path to keras_gan.zoo.load."
            ) from None
        except Exception as e:
            if not _is_transfer_error(e):
                raise
            # huggingface_hub already retried (resuming from its .incomplete
            # file, which never counts as cached): the transfer keeps failing.
            reason = str(e).splitlines()[0] if str(e) else type(e).__name__
            raise ConnectionError(
                f"Cannot load {source}: the download of {filename!r} of {repo_id!r} was "
                f"interrupted ({type(e).__name__}: {reason}). Nothing incomplete was "
                "cached; retry when the network is stable. Received: "
                f"endpoint={_endpoint()}"
            ) from None
    return paths


_TRANSFER_MODULES = ("httpx", "httpx2", "httpcore", "httpcore2", "h11", "requests", "urllib3")


def _is_transfer_error(error):
    """A failed or cut network transfer (the HTTP stack's errors, or a size mismatch)."""
    if isinstance(error, (ConnectionError, TimeoutError)):
        return True
    if type(error).__module__.split(".")[0] in _TRANSFER_MODULES:
        return True
    return isinstance(error, OSError) and "Consistency check failed" in str(error)


def _discard(paths):
    """Removes cached files that failed verification so a retry downloads again."""
    for path in paths.values():
        real = os.path.realpath(path)
        for p in {path, real}:
            try:
                os.remove(p)
            except OSError:
                pass


def load(name_or_handle, revision=None, cache_dir=None, force_download=False, local_files_only=False):
    """A pretrained generator, ready to sample: a `keras_gan.Generator`.

    Accepts a zoo name (`"mnist-dcgan"`, see `keras_gan.zoo.list_models()`),
    a Hub handle (`"hf://owner/repo"` or `"hf://owner/repo@revision"`) or a
    local folder written by `keras_gan.zoo.save_folder`. Downloads go through
    `huggingface_hub` (its cache, `HF_ENDPOINT`, `HF_HOME` and
    `HF_HUB_OFFLINE` apply). A zoo name loads only once its entry is
    published (`"published": true` in `presets.json`, written by `keras-gan
    zoo release`); before that it raises `ZooNotPublishedError` naming what
    works instead. Zoo names are pinned to a commit and every file
    is checked against the sha256 recorded in keras_gan before anything is
    built; a mismatch raises `ZooIntegrityError` and loads nothing. A
    second load of a pinned model is served from the cache without a network
    request. Nothing in the files is executed: the config is JSON read with
    Keras' `safe_mode` (classes from keras and keras_gan only, no Lambda
    layers) and the weights are HDF5 arrays, no pickle.

    Args:
        name_or_handle: zoo name, `hf://` handle or local folder.
        revision: Hub branch, tag or commit (default: the zoo entry's pinned
            commit, or `main` for a handle). With a zoo name, another
            revision skips the pinned digests (the weights are then checked
            against `metadata.json` only).
        cache_dir: Hub cache folder (default: huggingface_hub's).
        force_download: download again even when cached.
        local_files_only: use the cache only, never the network.

    Returns:
        A `keras_gan.Generator` (a `keras.Model`; outputs in [-1, 1]).

    Example:
        >>> G = keras_gan.zoo.load("mnist-cdcgan")
        >>> sevens = G.generate(labels=[7] * 16, seed=0)
    """
    if not isinstance(name_or_handle, (str, os.PathLike)):
        raise TypeError(
            "Pass a zoo name, an 'hf://owner/repo' handle or a folder path. "
            f"Received: name_or_handle={name_or_handle!r}"
        )
    handle = os.fspath(name_or_handle)
    if handle.startswith(HF_PREFIX):
        repo_id, handle_revision = parse_handle(handle)
        if revision and handle_revision and revision != handle_revision:
            raise ValueError(
                f"Two revisions given. Received: handle={handle!r}, revision={revision!r}"
            )
        revision = revision or handle_revision
        digests, source = None, f"handle={handle!r}"
    elif os.path.isdir(handle):
        if revision is not None:
            raise ValueError(
                f"A local folder has no revisions. Received: folder={handle!r}, "
                f"revision={revision!r}"
            )
        return hub_folder.load_folder(handle)
    elif os.sep in handle or handle.startswith("."):
        raise FileNotFoundError(f"No such folder. Received: name_or_handle={handle!r}")
    else:
        entry = get_preset(handle)
        if entry.get("published") is not True:
            from keras_gan.errors import ZooNotPublishedError

            raise ZooNotPublishedError(not_published_message(handle, entry))
        repo_id = entry["repo_id"]
        pinned = entry["revision"]
        digests = entry["files"] if revision in (None, pinned) else None
        revision = revision or pinned
        source = f"zoo model {handle!r} ({repo_id}@{revision[:12]})"
    required = list(hub_folder.REQUIRED)
    paths = _download(repo_id, required, revision, cache_dir, force_download,
                      local_files_only, source)
    try:
        return hub_folder.load_folder_files(paths, source, digests)
    except Exception as e:
        from keras_gan.errors import ZooIntegrityError

        if isinstance(e, ZooIntegrityError):
            _discard(paths)
        raise


def list_models():
    """The zoo: one dict per model with its name, description and metrics.

    Returns:
        A list of dicts with `name`, `description`, `conditional`, `repo_id`,
        `revision`, `published` (whether `repo_id@revision` is on the Hub:
        only published models load by name), `revision_source` (`"hub"`, or
        `"local-stand-in"` for an id computed for the tests' Hub stand-in)
        and `metrics` (FID, KID, precision, recall, ... at 10k samples with
        keras_gan's MNIST classifier).

    Example:
        >>> for m in keras_gan.zoo.list_models():
        ...     print(m["name"], m["description"])
    """
    out = []
    for name, entry in sorted(presets().items()):
        out.append({
            "name": name,
            "description": entry["description"],
            "conditional": entry["conditional"],
            "repo_id": entry["repo_id"],
            "revision": entry["revision"],
            "published": entry.get("published") is True,
            "revision_source": entry.get("revision_source", "unknown"),
            "metrics": dict(entry.get("metrics", {})),
        })
    return out
