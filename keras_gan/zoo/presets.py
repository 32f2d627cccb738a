"""The zoo's entries: plain data in `presets.json`, next to this file.

Each entry: `repo_id` and pinned `revision` on the Hub, a one-line
`description`, `conditional`, the sha256 of every file (`files`), the
evaluation `metrics` (10k samples, keras_gan's MNIST classifier) and
`training` facts. The recipes in the repository's `zoo/` folder write them.
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


def get_preset(name):
    """The entry of a zoo name; unknown names raise with the closest names."""
    table = presets()
    if name in table:
        return table[name]
    close = difflib.get_close_matches(name, list(table), n=3, cutoff=0.4)
    hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    raise ValueError(
        f"Unknown zoo model.{hint} Available: {', '.join(sorted(table)) or 'none'}; "
        "or pass 'hf://owner/repo' or a local folder. "
        f"Received: name={name!r}"
    )
