"""The API pages list members that mkdocstrings can really render.

mkdocstrings drops a listed member silently when the class only inherits it
(unless the block sets `inherited_members: true`), and `mkdocs --strict`
does not fail on that: GAN's `compile`, `fit` and `evaluate` vanished from
the reference when they moved to the `Trainer` mixin.
"""

import glob
import importlib
import os
import re

import pytest

DOCS = os.path.join(os.path.dirname(__file__), "..", "docs", "api")
BLOCK = re.compile(r"^::: (?P<path>[\w.]+)\n(?P<options>(?:[ \t]+.*\n)*)", re.M)


def _blocks():
    for page in sorted(glob.glob(os.path.join(DOCS, "*.md"))):
        with open(page) as f:
            text = f.read()
        for match in BLOCK.finditer(text + "\n"):
            members = re.search(r"members:\s*\[([^\]]*)\]", match["options"])
            if members:
                names = [m.strip() for m in members[1].split(",") if m.strip()]
                inherited = "inherited_members: true" in match["options"]
                yield os.path.basename(page), match["path"], names, inherited


def _resolve(path):
    module, _, name = path.rpartition(".")
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return importlib.import_module(path)


@pytest.mark.once  # the pages do not depend on the backend
@pytest.mark.parametrize("page,path,names,inherited",
                         list(_blocks()), ids=lambda v: v if isinstance(v, str) else None)
def test_listed_members_exist_where_mkdocstrings_looks(page, path, names, inherited):
    obj = _resolve(path)
    for name in names:
        assert hasattr(obj, name), f"{page}: {path} has no member {name!r}"
        if isinstance(obj, type) and not inherited:
            assert name in vars(obj), (
                f"{page}: {path}.{name} is inherited; mkdocstrings drops it unless the "
                "block sets `inherited_members: true`")
