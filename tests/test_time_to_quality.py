"""benchmarks/time_to_quality.py: which stored runs `--keep-done` keeps."""

import json

import pytest

from benchmarks import time_to_quality as ttq

pytestmark = pytest.mark.once


def spec(tmp_path, **changes):
    base = {"label": "dcgan", "recipe": "dcgan", "overrides": {}, "backend": "tensorflow",
            "eval_at": [10.0, 30.0, 60.0], "samples": 10000, "seed": 0, "threads": 2,
            "parallel": 1, "result": str(tmp_path / "dcgan.json")}
    return dict(base, **changes)


def store(tmp_path, n_points=3, **changes):
    record = dict(spec(tmp_path, **changes), date="2026-12-02",
                  points=[{"minutes": m, "fid": 1.0} for m in (10.0, 30.0, 60.0)[:n_points]])
    (tmp_path / "dcgan.json").write_text(json.dumps(record))


def test_a_finished_run_with_the_same_settings_is_kept(tmp_path):
    assert ttq.finished_run(spec(tmp_path)) is None  # nothing stored yet
    store(tmp_path)
    assert ttq.finished_run(spec(tmp_path))["date"] == "2026-12-02"


@pytest.mark.parametrize("changes", [
    {"overrides": {"optimizer.g_lr": 0.002}}, {"eval_at": [10.0, 30.0]}, {"seed": 1},
    {"threads": 1}, {"backend": "jax"}, {"samples": 5000},
])
def test_a_run_with_other_settings_is_trained_again(tmp_path, changes):
    store(tmp_path)
    assert ttq.finished_run(spec(tmp_path, **changes)) is None


def test_an_unfinished_or_unreadable_run_is_trained_again(tmp_path):
    store(tmp_path, n_points=2)  # stopped (diverged or killed) before its last point
    assert ttq.finished_run(spec(tmp_path)) is None
    (tmp_path / "dcgan.json").write_text("{not json")
    assert ttq.finished_run(spec(tmp_path)) is None


def test_paths_in_a_stored_record_are_relative_to_the_checkout(tmp_path):
    inside = f"{ttq.ROOT}/benchmarks/results/time_to_quality/grids"
    assert ttq._in_checkout(inside) == "benchmarks/results/time_to_quality/grids"
    assert ttq._in_checkout(str(tmp_path / "grids")) == str(tmp_path / "grids")  # outside: kept


def test_runs_are_checked_before_any_training():
    ttq.check_runs(ttq.parse_runs([["tutorial-native"], ["dcgan", "dcgan"]]))
    # cdcgan decays its rates over the last fifth of a run's steps: a run
    # with a time budget has no step count (build_gan would raise in the worker).
    with pytest.raises(SystemExit, match=r"optimizer.lr_decay=null .*"
                                         r"Received: optimizer.lr_decay=0.2"):
        ttq.check_runs(ttq.parse_runs([["c", "cdcgan"]]))
    ttq.check_runs(ttq.parse_runs([["c", "cdcgan", "optimizer.lr_decay=null"]]))
    with pytest.raises(SystemExit, match="--run x: .*Received: recipe='nope'"):
        ttq.check_runs(ttq.parse_runs([["x", "nope"]]))


def test_default_runs_train_a_decaying_zoo_recipe_at_constant_rates(monkeypatch):
    from keras_gan.models import recipes

    labels = [r["label"] for r in ttq.default_runs()]
    assert labels == ["tutorial-native", "mnist-dcgan", "mnist-wgan-gp"]  # not the conditional
    monkeypatch.setitem(recipes.RECIPES["wgan-gp"]["optimizer"], "lr_decay", 0.2)
    runs = ttq.default_runs()
    assert runs[2] == {"label": "mnist-wgan-gp-constant-lr", "recipe": "wgan-gp",
                       "overrides": {"optimizer.lr_decay": None}}
    ttq.check_runs(runs)  # accepted
