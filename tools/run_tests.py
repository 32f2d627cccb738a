"""Runs the pytest suite once per Keras backend and prints one combined summary.

    python tools/run_tests.py [--backends tensorflow jax torch] [-- PYTEST_ARGS]

Tests marked `once` (backend-independent: docs, site, Hub stand-in, argument
parsing, committed files) run on the first backend only. A JUnit report per
backend is written to `--reports` (default outputs/test-reports/), and the
15 slowest tests of the whole run are printed at the end. Exits non-zero if
any backend has a failure or error (or collects no tests).
"""

import argparse
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
EXTRA_ARGS = {"jax": ["-n", "2"], "tensorflow": ["-n", "2"], "torch": ["-n", "2"]}
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


def run(backend, pytest_args, reports, first, jax_cache):
    if not any(a == "-n" or a.startswith("-n") and a[2:].isdigit() for a in pytest_args):
        pytest_args = [*EXTRA_ARGS.get(backend, []), *pytest_args]
    if not first and not any(a == "-m" or a.startswith("-m") for a in pytest_args):
        pytest_args = ["-m", "not once", *pytest_args]
    os.makedirs(reports, exist_ok=True)
    report = os.path.join(reports, f"{backend}.xml")
    if os.path.exists(report):
        os.remove(report)
    env = dict(os.environ, KERAS_BACKEND=backend)
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
    if os.path.exists(report):
        root = ET.parse(report).getroot()
        suites = [root] if root.tag == "testsuite" else list(root)
        for suite in suites:
            for key in counts:
                counts[key] += int(suite.get(key, 0))
            slowest += [(float(case.get("time", 0)), backend,
                         f"{case.get('classname')}::{case.get('name')}")
                        for case in suite.iter("testcase")]
    return code, counts, time.time() - start, slowest


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", nargs="+", default=["tensorflow", "jax", "torch"])
    parser.add_argument("--reports", default=os.path.join("outputs", "test-reports"),
                        help="folder for the JUnit reports (<backend>.xml)")
    parser.add_argument("pytest_args", nargs="*")
    args = parser.parse_args()
    total = dict(passed=0, failed=0, skipped=0)
    ok = True
    rows = []
    slowest = []
    jax_cache = tempfile.mkdtemp(prefix="keras-gan-jax-cache-")
    try:
        results = []
        for i, backend in enumerate(args.backends):
            print(f"\n===== KERAS_BACKEND={backend} =====", flush=True)
            results.append((backend, run(backend, args.pytest_args, args.reports,
                                         first=i == 0, jax_cache=jax_cache)))
    finally:
        shutil.rmtree(jax_cache, ignore_errors=True)
    for backend, (code, c, seconds, cases) in results:
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
    print(f"\n{SLOWEST} slowest tests (seconds in their worker; JUnit reports in {args.reports}):")
    for t, backend, name in slowest[:SLOWEST]:
        print(f"  {t:6.1f}  {backend:<10}  {name}")
    print("\nbackend      passed  failed  skipped  seconds")
    for backend, passed, failed, skipped, seconds, code in rows:
        print(f"{backend:<12} {passed:>6}  {failed:>6}  {skipped:>7}  {seconds:>7.0f}"
              + ("" if code == 0 else f"   (pytest exit {code})"))
    print(f"total: {total['passed']} passed, {total['failed']} failed, "
          f"{total['skipped']} skipped")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
