import gc
import json
import os

import keras
import numpy as np
import pytest

SHARED_MNIST = os.path.join(
    os.path.dirname(__file__), "..", "..", "shared", "data", "mnist.npz"
)


def pytest_addoption(parser):
    parser.addoption(
        "--run-slow", action="store_true", help="run tests marked slow"
    )


def pytest_configure(config):
    # tools/run_tests.py sets this for JAX: XLA's optimisation passes dominate
    # the compile time of the suite's many tiny models (-35 % CPU time on
    # tests/test_gan_step.py); the values checked do not depend on them.
    # Subprocess tests (resume, CLI, wheel) keep the optimised path.
    if keras.backend.backend() == "jax" and os.environ.get("KERAS_GAN_TEST_XLA_FAST") == "1":
        import jax

        jax.config.update("jax_disable_most_optimizations", True)


@pytest.fixture
def optimized_xla():
    """XLA's optimisation passes back on for one test (JAX; a no-op elsewhere).

    For in-process tests whose time goes to running a network on thousands
    of samples rather than compiling it (`keras-gan train` recalibrates and
    samples): unoptimised XLA runs such work up to 20x slower.
    """
    if keras.backend.backend() != "jax":
        yield
        return
    import jax

    before = jax.config.read("jax_disable_most_optimizations")
    jax.config.update("jax_disable_most_optimizations", False)
    try:
        yield
    finally:
        jax.config.update("jax_disable_most_optimizations", before)


def pytest_sessionstart(session):
    # Keras and the backend are imported: park their objects (a few hundred
    # thousand) in the permanent generation, so Python's automatic full
    # collections during the tests do not walk them again each time.
    gc.collect()
    gc.freeze()


def pytest_report_header(config):
    return f"keras backend: {keras.backend.backend()} (keras {keras.__version__})"


def pytest_collection_modifyitems(config, items):
    # Heavy modules first (test durations from a recent run, per backend),
    # each module's tests kept together and in order: pytest-xdist hands tests
    # out in this order, so a 30-s test no longer starts last while the other
    # worker idles, and a module-scoped fixture is still built once per worker
    # (sorting single tests split modules and rebuilt their fixtures).
    durations = _heavy_test_durations()
    here = durations.get(keras.backend.backend(), {})
    # A `once` test may have been measured on another backend.
    anywhere = {}
    for measured in durations.values():
        for node, seconds in measured.items():
            anywhere[node] = max(seconds, anywhere.get(node, 0.0))
    weight = {}
    for item in items:
        module = item.nodeid.split("::")[0]
        seconds = (anywhere if "once" in item.keywords else here).get(item.nodeid, 0.0)
        weight[module] = weight.get(module, 0.0) + seconds
    items.sort(key=lambda item: -weight[item.nodeid.split("::")[0]])
    if config.getoption("--run-slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --run-slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


def _heavy_test_durations():
    """{backend: {node id: seconds}}: the file `tools/run_tests.py` names (it
    writes it with --save-durations); none, so collection order, for plain pytest."""
    path = os.environ.get("KERAS_GAN_TEST_DURATIONS")
    if not path or not os.path.exists(path):
        return {}
    with open(path) as f:
        return json.load(f)


@pytest.fixture(autouse=True)
def _seed():
    keras.utils.set_random_seed(1234)
    yield
    # Without `gc.collect()` (free_memory=True): one full collection per test
    # cost more CPU than the tests themselves on JAX and torch (docs/design.md,
    # "Test isolation without a collection per test"); the automatic
    # collector still frees the tests' cycles.
    keras.backend.clear_session(free_memory=False)


@pytest.fixture
def mnist_path():
    path = os.environ.get("KERAS_GAN_MNIST", SHARED_MNIST)
    if not os.path.exists(path):
        pytest.skip(
            f"real MNIST not found at {os.path.abspath(path)}; set "
            "KERAS_GAN_MNIST=/path/to/mnist.npz to run this test"
        )
    return path


def ring_data(n, radius=2.0, std=0.05, seed=0, modes=8):
    """A mixture of `modes` Gaussians on a circle, and the mode of each point."""
    rng = np.random.default_rng(seed)
    angles = np.arange(modes) * 2 * np.pi / modes
    centers = radius * np.stack([np.cos(angles), np.sin(angles)], 1)
    labels = rng.integers(0, modes, n)
    x = centers[labels] + std * rng.standard_normal((n, 2))
    return x.astype("float32"), labels.astype("int32"), centers
