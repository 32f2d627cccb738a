"""Publishing a trained generator to the Hugging Face Hub."""

import os
import tempfile

from keras_gan.zoo import hub_folder


def publish(model_or_folder, repo_id, token=None, private=False, commit_message=None, card=None, endpoint=None):
    """Uploads a generator (or a folder from `save_folder`) to a Hub repo.

    A model is first written with `keras_gan.zoo.save_folder` (config,
    weights, metadata, model card, sample grid) to a temporary folder; the
    repo is created if needed and the folder uploaded as one commit with
    `huggingface_hub.HfApi.upload_folder`.

    Args:
        model_or_folder: a `keras_gan.Generator`, a trained `keras_gan.GAN`,
            or the path of a zoo folder.
        repo_id: `"owner/name"` or `"hf://owner/name"` (the handle form
            `keras_gan.zoo.load` takes; a revision is not allowed).
        token: Hub token (default: huggingface_hub's login / `HF_TOKEN`).
        private: create the repo as private.
        commit_message: commit message (default: "Upload keras_gan generator").
        card: model card text when a model is passed (default: a minimal
            card from `keras_gan.zoo.model_card`).
        endpoint: Hub URL (default: `HF_ENDPOINT` or huggingface.co).

    Returns:
        `(handle, commit)`: `"hf://owner/name@<commit>"`, loadable with
        `keras_gan.zoo.load`, and the commit id.

    Example:
        >>> handle, commit = keras_gan.zoo.publish(gan, "me/my-mnist-gan")
        >>> G = keras_gan.zoo.load(handle)
    """
    from huggingface_hub import HfApi

    given = repo_id
    if isinstance(repo_id, str) and repo_id.startswith("hf://"):
        repo_id = repo_id[len("hf://"):]
        if "@" in repo_id:
            raise ValueError(
                "Publishing writes a new commit: pass the repo without a revision. "
                f"Received: repo_id={given!r}"
            )
    if not isinstance(repo_id, str) or len(repo_id.split("/")) != 2 or not all(repo_id.split("/")):
        raise ValueError(
            f"repo_id must look like 'owner/name' or 'hf://owner/name'. Received: repo_id={given!r}"
        )
    api = HfApi(endpoint=endpoint, token=token)
    with tempfile.TemporaryDirectory() as tmp:
        if isinstance(model_or_folder, (str, os.PathLike)):
            folder = os.fspath(model_or_folder)
            hub_folder.load_folder(folder)  # refuse to publish a broken folder
        else:
            folder = os.path.join(tmp, repo_id.split("/")[1])
            hub_folder.save_folder(model_or_folder, folder, card=card)
        api.create_repo(repo_id, private=private, exist_ok=True)
        info = api.upload_folder(
            folder_path=folder, repo_id=repo_id,
            commit_message=commit_message or "Upload keras_gan generator",
        )
    commit = info.oid
    return f"hf://{repo_id}@{commit}", commit
