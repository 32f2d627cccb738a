"""The zoo's entries: plain data in `presets.json`, next to this file.

Each entry: `repo_id` and pinned `revision` on the Hub, a one-line
`description`, `conditional`, the sha256 of every file (`files`), the
evaluation `metrics` (10k samples, keras_gan's MNIST classifier) and
`training` facts. The recipes in the repository's `zoo/` folder write them.

Where the pin comes from, so that it says what it is:

    "published": false                 the repo is not on the Hub yet;
    "revision_source": "local-stand-in"  `revision` is the id the tests'
                                       local Hub stand-in gives these files
                                       (`zoo/zoo_finalize.py`), not a Hub commit
    "published": true                  `keras-gan zoo release` uploaded the
    "revision_source": "hub"           files, downloaded them back with every
    "release": {"endpoint", "date"}    sha256 matching, and pinned the commit
                                       the Hub returned

`keras_gan.zoo.load(name)` loads published entries only (a missing
`published` counts as false); the others raise `ZooNotPublishedError`.
"""

import difflib
import json
import os

# KERAS_GAN_PRESETS replaces the table (tests, private zoos).
PATH = os.environ.get("KERAS_GAN_PRESETS") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "presets.json"
)


def presets():
    """`{name: entry}` of every zoo model."""
    with open(PATH) as f:
        return json.load(f)


def get_preset(name, table=None):
    """The entry of a zoo name (in `table`, default `presets()`); unknown names raise
    with the closest names."""
    table = presets() if table is None else table
    if name in table:
        return table[name]
    close = difflib.get_close_matches(name, list(table), n=3, cutoff=0.4)
    hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    raise ValueError(
        f"Unknown zoo model.{hint} Available: {', '.join(sorted(table)) or 'none'}; "
        "or pass 'hf://owner/repo' or a local folder. "
        f"Received: name={name!r}"
    )


def not_published_message(name, entry):
    """The one-line error of `load(name)` for an entry that is not on the Hub."""
    revision = str(entry.get("revision") or "none")[:12]
    source = entry.get("revision_source", "unknown")
    return (
        f"Zoo model {name!r} is not published on the Hugging Face Hub yet: its pin "
        f"{entry.get('repo_id')}@{revision} in presets.json is marked \"published\": false "
        f"(revision_source {source!r}), so nothing is downloaded. What works today: in a "
        f"keras_gan checkout, load its folder, keras_gan.zoo.load(\"zoo/{name}/hub\"); a "
        f"maintainer with a Hub token publishes it with `keras-gan zoo release {name}`."
    )
