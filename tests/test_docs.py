"""The documentation site builds without warnings (`mkdocs build --strict`)."""

import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.mark.once  # the site does not depend on the backend
def test_mkdocs_build_strict(tmp_path):
    pytest.importorskip("mkdocs")
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
        env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    for page in ("index.html", "evaluation/index.html", "reliability/index.html",
                 "cli/index.html", "api/index.html"):
        assert (tmp_path / "site" / page).exists(), page
    # One API page per subpackage, each rendering its objects' docstrings.
    expected = {"gan": "as_generator", "models": "build_gan", "losses": "NonSaturating",
                "penalties": "wgan_gp_penalty", "zoo": "list_models",
                "callbacks": "Checkpoint", "evaluation": "MetricCollection",
                "metrics": "frechet_distance", "extractors": "MNISTClassifier",
                "training": "ConstantThenLinearDecay", "distributed": "replica_normal",
                "testing": "run_penalty_test"}
    for page, name in expected.items():
        html = (tmp_path / "site" / "api" / page / "index.html").read_text()
        assert name in html, (page, name)


@pytest.mark.once
def test_site_and_package_metadata_name_their_homes():
    import tomllib

    import yaml

    with open(os.path.join(ROOT, "mkdocs.yml")) as f:
        site = yaml.load(f, Loader=yaml.BaseLoader)  # BaseLoader: skips !!python tags
    assert site["strict"] == "true"
    assert site["site_url"].startswith("https://") and site["repo_url"].startswith("https://")
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
        urls = tomllib.load(f)["project"]["urls"]
    assert {"Homepage", "Documentation", "Source", "Issues"} <= set(urls)
    assert urls["Documentation"] == site["site_url"]
    assert urls["Source"] == site["repo_url"]
