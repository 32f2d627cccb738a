"""Runs the pytest suite once per Keras backend and prints one combined summary.

    python tools/run_tests.py [--backends tensorflow jax torch] [-- PYTEST_ARGS]

Exits non-zero if any backend has a failure or error (or collects no tests).
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET


# Two pytest-xdist workers, measured on the 2-core machine (2026-11-27):
# JAX's tests are bound by single-threaded XLA compilation (544 s -> 422 s);
# TensorFlow's by graph tracing and Python (458 s serial -> 265 s). torch's
# eager steps already use both cores: 287 s serial, 332 s with two workers,
# so torch runs serially.
EXTRA_ARGS = {"jax": ["-n", "2"], "tensorflow": ["-n", "2"]}
SLOWEST = 8  # the slowest tests printed per backend


def run(backend, pytest_args):
    if not any(a == "-n" or a.startswith("-n") and a[2:].isdigit() for a in pytest_args):
        pytest_args = [*EXTRA_ARGS.get(backend, []), *pytest_args]
    with tempfile.TemporaryDirectory() as tmp:
        report = os.path.join(tmp, "report.xml")
        env = dict(os.environ, KERAS_BACKEND=backend)
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
                slowest += [(float(case.get("time", 0)), f"{case.get('classname')}::{case.get('name')}")
                            for case in suite.iter("testcase")]
        slowest.sort(reverse=True)
        return code, counts, time.time() - start, slowest[:SLOWEST]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", nargs="+", default=["tensorflow", "jax", "torch"])
    parser.add_argument("pytest_args", nargs="*")
    args = parser.parse_args()
    total = dict(passed=0, failed=0, skipped=0)
    ok = True
    rows = []
    for backend in args.backends:
        print(f"\n===== KERAS_BACKEND={backend} =====", flush=True)
        code, c, seconds, slowest = run(backend, args.pytest_args)
        print(f"slowest tests on {backend} (seconds, summed over workers' time):")
        for t, name in slowest:
            print(f"  {t:6.1f}  {name}")
        passed = c["tests"] - c["failures"] - c["errors"] - c["skipped"]
        failed = c["failures"] + c["errors"]
        total["passed"] += passed
        total["failed"] += failed
        total["skipped"] += c["skipped"]
        rows.append((backend, passed, failed, c["skipped"], seconds, code))
        if code != 0 or failed or c["tests"] == 0:
            ok = False
    print("\nbackend      passed  failed  skipped  seconds")
    for backend, passed, failed, skipped, seconds, code in rows:
        print(f"{backend:<12} {passed:>6}  {failed:>6}  {skipped:>7}  {seconds:>7.0f}"
              + ("" if code == 0 else f"   (pytest exit {code})"))
    print(f"total: {total['passed']} passed, {total['failed']} failed, "
          f"{total['skipped']} skipped")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
