"""Runs the pytest suite once per Keras backend and prints one combined summary.

    python tools/run_tests.py [--backends tensorflow jax torch] [-- PYTEST_ARGS]

Tests marked `once` (backend-independent: docs, site, Hub stand-in, argument
parsing, committed files) run on one backend only: torch when it is in the
list (the cheapest for the few of them that train), else the first. A JUnit
report per backend is written to `--reports` (default outputs/test-reports/),
and the 15 slowest tests of the whole run are printed at the end, with every
backend's skip reasons. Exits non-zero if any backend has a failure or error
(or collects no tests), or if a full run's skips differ from EXPECTED_SKIPS:
a skip nobody expected (say, the real MNIST file gone missing) fails the run
instead of hiding a test.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET


# Two pytest-xdist workers on every backend; torch's with one intra-op thread
# each (two workers of two threads each are slower than one): docs/design.md,
# "Two test workers".
# `--dist worksteal`: a worker that runs out of tests takes some from the
# other's queue, so the run no longer ends with one worker idle while the
# other finishes its share (measured in docs/benchmarks.md, "The test suite").
EXTRA_ARGS = {backend: ["-n", "2", "--dist", "worksteal"]
              for backend in ("jax", "tensorflow", "torch")}
# JAX: fewer XLA passes in-process (tests/conftest.py), and every compilation
# stored in the run's cache (JAX_COMPILATION_CACHE_DIR, set in `run`), which
# both workers and every subprocess test share: many tests compile the same
# tiny models (docs/design.md).
EXTRA_ENV = {
    "torch": {"OMP_NUM_THREADS": "1"},
    "jax": {"KERAS_GAN_TEST_XLA_FAST": "1",
            "JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS": "0",
            "JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES": "0"},
}
SLOWEST = 15  # the slowest tests printed at the end
# Durations of the heavy tests, per backend: tests/conftest.py runs the modules
# holding most of that time first, so that a long test does not start last
# while the other worker sits idle. Refreshed with --save-durations.
DURATIONS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                         "durations.json")
HEAVY_SECONDS = 2.0
# Skips a full run (no PYTEST_ARGS) must have, per backend: reason -> count.
# Tests that only make sense on some backends skip on the others; the two
# `slow` tests need --run-slow. A new backend-specific test changes a count
# here on purpose.
SLOW = "slow: run with --run-slow"
TORCH_ONLY = "torch backend only"
TF_ONLY = "TensorFlow backend only"
MODEL_PARALLEL = "keras.distribution.ModelParallel is JAX's"
EXPECTED_SKIPS = {
    "tensorflow": {SLOW: 2, TORCH_ONLY: 36, MODEL_PARALLEL: 1},
    "jax": {SLOW: 2, TORCH_ONLY: 36, TF_ONLY: 2,
            "JAX's step draws one mask for the global batch": 1},
    "torch": {SLOW: 2, MODEL_PARALLEL: 1, "TensorFlow and JAX": 1, TF_ONLY: 2,
              "Keras' torch trainer only supports steps_per_execution=1": 1},
}
# Skips that depend on what else is installed, allowed at any count up to
# this: `make bench` adds Flax and Optax, which the JAX native-code tests need.
OPTIONAL_SKIPS = {"jax": {"the JAX native code needs the bench extra": 3}}


def run(backend, pytest_args, reports, once, jax_cache):
    if not any(a == "-n" or a.startswith("-n") and a[2:].isdigit() for a in pytest_args):
        pytest_args = [*EXTRA_ARGS.get(backend, []), *pytest_args]
    if not once and not any(a == "-m" or a.startswith("-m") for a in pytest_args):
        pytest_args = ["-m", "not once", *pytest_args]
    os.makedirs(reports, exist_ok=True)
    report = os.path.join(reports, f"{backend}.xml")
    if os.path.exists(report):
        os.remove(report)
    # tests/conftest.py orders the modules by the durations in this file.
    env = dict(os.environ, KERAS_BACKEND=backend, KERAS_GAN_TEST_DURATIONS=DURATIONS)
    for key, value in EXTRA_ENV.get(backend, {}).items():
        env.setdefault(key, value)
    if backend == "jax":
        env.setdefault("JAX_COMPILATION_CACHE_DIR", jax_cache)
    start = time.time()
    code = subprocess.call(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         f"--junitxml={report}", "tests", *pytest_args],
        env=env,
    )
    counts = dict(tests=0, failures=0, errors=0, skipped=0)
    slowest = []
    skips = {}
    if os.path.exists(report):
        root = ET.parse(report).getroot()
        suites = [root] if root.tag == "testsuite" else list(root)
        for suite in suites:
            for key in counts:
                counts[key] += int(suite.get(key, 0))
            for case in suite.iter("testcase"):
                slowest.append((float(case.get("time", 0)), backend, node_id(case)))
                skipped = case.find("skipped")
                if skipped is not None:
                    reason = skipped.get("message", "")
                    skips[reason] = skips.get(reason, 0) + 1
    return code, counts, time.time() - start, slowest, skips


def node_id(case):
    """pytest's node id (tests/test_x.py::name[param]) of a JUnit test case."""
    module = case.get("classname", "").replace(".", "/")
    return f"{module}.py::{case.get('name')}"


def save_durations(slowest, path=DURATIONS):
    """Writes {backend: {node id: seconds}} for the tests of >= HEAVY_SECONDS."""
    found = {}
    for seconds, backend, name in sorted(slowest, reverse=True):
        if seconds >= HEAVY_SECONDS:
            found.setdefault(backend, {})[name] = round(seconds, 1)
    with open(path, "w") as f:
        json.dump(found, f, indent=1, sort_keys=True)
        f.write("\n")


def skip_drift(backend, skips):
    """How `skips` (reason -> count) differ from the expected ones: a list of lines."""
    expected = EXPECTED_SKIPS.get(backend, {})
    optional = OPTIONAL_SKIPS.get(backend, {})
    lines = []
    for reason in sorted(set(expected) | set(skips)):
        found, want = skips.get(reason, 0), expected.get(reason, 0)
        if reason in optional and found <= optional[reason]:
            continue
        if found != want:
            lines.append(f"{backend}: {found} skipped, expected {want}: {reason}")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", nargs="+", default=["tensorflow", "jax", "torch"])
    parser.add_argument("--reports", default=os.path.join("outputs", "test-reports"),
                        help="folder for the JUnit reports (<backend>.xml)")
    parser.add_argument("--save-durations", action="store_true",
                        help=f"write the tests that took >= {HEAVY_SECONDS} s to {DURATIONS} "
                             "(tests/conftest.py starts them first)")
    parser.add_argument("pytest_args", nargs="*")
    args = parser.parse_args()
    total = dict(passed=0, failed=0, skipped=0)
    ok = True
    rows = []
    slowest = []
    jax_cache = tempfile.mkdtemp(prefix="keras-gan-jax-cache-")
    try:
        results = []
        once_backend = "torch" if "torch" in args.backends else args.backends[0]
        for backend in args.backends:
            print(f"\n===== KERAS_BACKEND={backend} =====", flush=True)
            results.append((backend, run(backend, args.pytest_args, args.reports,
                                         once=backend == once_backend, jax_cache=jax_cache)))
    finally:
        shutil.rmtree(jax_cache, ignore_errors=True)
    full_run = not args.pytest_args
    drift = []
    for backend, (code, c, seconds, cases, skips) in results:
        if skips:
            print(f"\n{backend} skips:")
            for reason, n in sorted(skips.items(), key=lambda kv: -kv[1]):
                print(f"  {n:4d}  {reason}")
        if full_run:
            drift += skip_drift(backend, skips)
        slowest += cases
        passed = c["tests"] - c["failures"] - c["errors"] - c["skipped"]
        failed = c["failures"] + c["errors"]
        total["passed"] += passed
        total["failed"] += failed
        total["skipped"] += c["skipped"]
        rows.append((backend, passed, failed, c["skipped"], seconds, code))
        if code != 0 or failed or c["tests"] == 0:
            ok = False
    slowest.sort(reverse=True)
    if args.save_durations:
        if args.pytest_args or args.backends != ["tensorflow", "jax", "torch"]:
            print(f"--save-durations needs a full run of all three backends; {DURATIONS} unchanged")
        else:
            save_durations(slowest)
    print(f"\n{SLOWEST} slowest tests (seconds in their worker; JUnit reports in {args.reports}):")
    for t, backend, name in slowest[:SLOWEST]:
        print(f"  {t:6.1f}  {backend:<10}  {name}")
    print("\nbackend      passed  failed  skipped  seconds")
    for backend, passed, failed, skipped, seconds, code in rows:
        print(f"{backend:<12} {passed:>6}  {failed:>6}  {skipped:>7}  {seconds:>7.0f}"
              + ("" if code == 0 else f"   (pytest exit {code})"))
    print(f"total: {total['passed']} passed, {total['failed']} failed, "
          f"{total['skipped']} skipped")
    if drift:
        ok = False
        print("\nSkips differ from tools/run_tests.py's EXPECTED_SKIPS (a test that "
              "should run did not, or the table is out of date):")
        for line in drift:
            print(f"  {line}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
