"""tools/run_tests.py: the per-backend skip accounting that fails a full run
whose skips drift from the expected ones."""

import importlib.util
import os

import pytest

pytestmark = pytest.mark.once

_PATH = os.path.join(os.path.dirname(__file__), "..", "tools", "run_tests.py")
_spec = importlib.util.spec_from_file_location("run_tests", _PATH)
run_tests = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(run_tests)


@pytest.mark.parametrize("backend", ["tensorflow", "jax", "torch"])
def test_expected_skips_pass(backend):
    assert run_tests.skip_drift(backend, dict(run_tests.EXPECTED_SKIPS[backend])) == []


def test_an_unexpected_skip_fails_and_is_named():
    skips = dict(run_tests.EXPECTED_SKIPS["torch"])
    reason = "real MNIST not found at /x/mnist.npz; set KERAS_GAN_MNIST=/path/to/mnist.npz"
    skips[reason] = 4
    assert run_tests.skip_drift("torch", skips) == [f"torch: 4 skipped, expected 0: {reason}"]


def test_a_missing_expected_skip_fails():
    skips = dict(run_tests.EXPECTED_SKIPS["jax"])
    del skips[run_tests.SLOW]
    assert run_tests.skip_drift("jax", skips) == [
        f"jax: 0 skipped, expected 2: {run_tests.SLOW}"]


def test_optional_skips_may_be_absent_but_not_more():
    skips = dict(run_tests.EXPECTED_SKIPS["jax"])
    reason, most = next(iter(run_tests.OPTIONAL_SKIPS["jax"].items()))
    assert run_tests.skip_drift("jax", skips) == []
    assert run_tests.skip_drift("jax", {**skips, reason: most}) == []
    assert run_tests.skip_drift("jax", {**skips, reason: most + 1}) == [
        f"jax: {most + 1} skipped, expected 0: {reason}"]


def test_junit_skips_are_counted_by_reason(tmp_path, monkeypatch):
    """`run` reads the skip reasons from pytest's JUnit report."""
    report = """<?xml version="1.0"?><testsuites><testsuite tests="3" failures="0"
errors="0" skipped="2"><testcase classname="tests.a" name="t1" time="1.5"/>
<testcase classname="tests.a" name="t2" time="0.1"><skipped message="why"/></testcase>
<testcase classname="tests.b" name="t3" time="0.2"><skipped message="why"/></testcase>
</testsuite></testsuites>"""

    def fake_call(cmd, env):
        path = next(a for a in cmd if a.startswith("--junitxml=")).split("=", 1)[1]
        with open(path, "w") as f:
            f.write(report)
        return 0

    monkeypatch.setattr(run_tests.subprocess, "call", fake_call)
    code, counts, _, slowest, skips = run_tests.run(
        "torch", [], str(tmp_path), once=True, jax_cache=str(tmp_path))
    assert (code, counts["skipped"], skips) == (0, 2, {"why": 2})
    assert slowest[0] == (1.5, "torch", "tests/a.py::t1")


def test_durations_keep_the_heavy_tests_per_backend(tmp_path):
    path = tmp_path / "durations.json"
    run_tests.save_durations([(30.04, "jax", "tests/a.py::t1"), (0.5, "jax", "tests/a.py::t2"),
                              (2.0, "torch", "tests/b.py::t[x]")], path=str(path))
    import json

    assert json.loads(path.read_text()) == {"jax": {"tests/a.py::t1": 30.0},
                                            "torch": {"tests/b.py::t[x]": 2.0}}


def test_pytest_orders_by_the_durations_file_run_tests_writes(tmp_path, monkeypatch):
    """One home for the durations file: run_tests names it to pytest, conftest reads it."""
    import json

    import conftest

    seen = {}

    def fake_call(cmd, env):
        seen.update(env)
        return 0

    monkeypatch.setattr(run_tests.subprocess, "call", fake_call)
    run_tests.run("torch", [], str(tmp_path), once=True, jax_cache=str(tmp_path))
    monkeypatch.setenv("KERAS_GAN_TEST_DURATIONS", seen["KERAS_GAN_TEST_DURATIONS"])
    with open(run_tests.DURATIONS) as f:
        stored = json.load(f)
    assert set(stored) == {"tensorflow", "jax", "torch"}
    assert conftest._heavy_test_durations() == stored
    monkeypatch.delenv("KERAS_GAN_TEST_DURATIONS")
    assert conftest._heavy_test_durations() == {}
