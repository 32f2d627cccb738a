"""Property-based fuzzing: bad input gives a clear error or works; nothing corrupts state.

Hypothesis runs a fixed, derandomized set of examples so CI is reproducible.
"""

import os
import re

import numpy as np
import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

import keras_gan
from helpers import all_state
from helpers import tiny_gan
from keras_gan.cli.main import main as cli_main
from keras_gan.extractors import standardize_images

FUZZ = settings(max_examples=25, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))
CLEAR = re.compile(r"Received|received|Expected|expected|must|Too few|No |empty|cannot|Cannot")

DTYPES = ["float32", "float64", "float16", "int32", "uint8", "bool", "complex64"]


@st.composite
def arrays(draw, max_dims=5, max_side=9):
    if draw(st.booleans()):  # near the valid (n, 8, 8, 1): count, layout, size vary
        n = draw(st.integers(0, 9))
        shape = draw(st.sampled_from([(n, 8, 8, 1), (n, 8, 8), (n, 1, 8, 8), (n, 8, 8, 3),
                                      (n, 7, 8, 1), (n, 28, 28, 1), (n, 28, 28)]))
    else:
        ndim = draw(st.integers(1, max_dims))
        shape = tuple(draw(st.lists(st.integers(0, max_side), min_size=ndim, max_size=ndim)))
    dtype = draw(st.sampled_from(DTYPES))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    scale = draw(st.sampled_from([1.0, 1.0, 255.0, 1e6]))
    x = (rng.uniform(-1, 1, shape) * scale)
    if draw(st.integers(0, 3)) == 0 and x.size:
        x.flat[draw(st.integers(0, x.size - 1))] = draw(st.sampled_from([np.nan, np.inf, -np.inf]))
    with np.errstate(invalid="ignore", over="ignore"):
        return x.astype(dtype)


def assert_clear(error):
    message = str(error)
    assert message and "\n" not in message.strip()[:0]
    assert CLEAR.search(message), f"unclear error: {type(error).__name__}: {message}"


@pytest.fixture(scope="module")
def gan():
    model = tiny_gan()
    model.compile()
    return model


@FUZZ
@given(x=arrays(), labels=st.one_of(st.none(), st.just("strings"), st.just("floats"),
                                    st.just("short")))
def test_fit_rejects_or_trains_and_never_corrupts_state(gan, x, labels):
    y = None
    if labels == "strings":
        y = np.array(["a"] * (len(x) if x.ndim else 1))
    elif labels == "floats":
        y = np.random.default_rng(0).uniform(size=len(x) if x.ndim else 1)
    elif labels == "short":
        y = np.zeros(max(len(x) - 1, 0) if x.ndim else 0, "int32")
    before = all_state(gan)
    try:
        gan.fit(x, y, epochs=1, batch_size=4, verbose=0)
    except (ValueError, TypeError) as e:
        assert_clear(e)
        for a, b in zip(before, all_state(gan)):
            np.testing.assert_array_equal(a, b)
        return
    # It trained: only valid input gets here, and the weights stay finite.
    assert x.shape[1:] == (8, 8, 1) and y is None
    assert not keras_gan.callbacks.checkpoint.nonfinite_weights(gan)


@settings(max_examples=4, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(n=st.integers(1, 9), batch_size=st.integers(1, 5), layout=st.sampled_from(["f32", "f64"]))
def test_fit_trains_on_any_valid_batching(gan, n, batch_size, layout):
    x = np.random.default_rng(n).uniform(-1, 1, (n, 8, 8, 1)).astype(
        "float32" if layout == "f32" else "float64")
    start = int(gan.optimizer.iterations)
    gan.fit(x, epochs=1, batch_size=batch_size, verbose=0)
    assert int(gan.optimizer.iterations) - start == -(-n // batch_size)
    assert not keras_gan.callbacks.checkpoint.nonfinite_weights(gan)


@FUZZ
@given(a=arrays(max_dims=3, max_side=12), b=arrays(max_dims=3, max_side=12),
       which=st.sampled_from(["fid", "kid", "pr", "dc", "cs"]))
def test_metric_functions_reject_or_return_finite(a, b, which):
    m = keras_gan.metrics
    fns = {
        "fid": lambda: m.fid_from_features(a, b),
        "kid": lambda: m.kernel_distance(a, b, num_subsets=3, subset_size=3)[0],
        "pr": lambda: m.precision_recall(a, b, k=2)[0],
        "dc": lambda: m.density_coverage(a, b, k=2)[1],
        "cs": lambda: m.classifier_score(a)[0],
    }
    try:
        value = fns[which]()
    except (ValueError, TypeError) as e:
        assert_clear(e)
        return
    assert np.isfinite(value)


@FUZZ
@given(x=arrays(max_dims=5, max_side=30), data_range=st.sampled_from(
    ["auto", "0,1", "-1,1", "0,255", (0, 1), (2, 1), "x"]))
def test_standardize_images_rejects_or_returns_unit_range(x, data_range):
    try:
        out, _ = standardize_images(x, data_range)
    except (ValueError, TypeError) as e:
        assert_clear(e)
        return
    assert out.dtype == np.float32 and out.ndim == 4 and out.shape[-1] in (1, 3)
    assert np.isfinite(out).all() and out.min() >= 0 and out.max() <= 1


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fuzzref")
    x, _, _ = keras_gan.data.load_mnist(keras_gan.data.mnist.SAMPLE_PATH, split="test")
    path = str(tmp / "ref.npz")
    np.savez(path, x=x[:100])
    return path, str(tmp / "cache")


@FUZZ
@given(x=arrays(max_dims=4, max_side=30))
def test_cli_evaluate_exits_cleanly_on_any_array(reference, x, tmp_path_factory, capsys):
    path = os.path.join(str(tmp_path_factory.mktemp("fuzz")), "samples.npy")
    np.save(path, x)
    code = cli_main(["evaluate", path, "--json", "--reference", reference[0], "--cache-dir",
                     reference[1], "--kid-subset-size", "4", "--kid-subsets", "2"])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if code != 0:
        assert code == 2
        last = err.strip().splitlines()[-1]
        assert last.startswith("keras-gan evaluate: error:")
        assert CLEAR.search(last), last


@pytest.fixture(scope="module")
def cgan():
    model = tiny_gan(conditional=True)
    model.compile()
    return model


@settings(max_examples=8, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(kind=st.sampled_from(["none", "strings", "floats", "negative", "too_big", "short",
                             "2d", "column", "valid", "bool"]), n=st.integers(1, 6))
def test_conditional_fit_label_types(cgan, kind, n):
    x = np.random.default_rng(n).uniform(-1, 1, (n, 8, 8, 1)).astype("float32")
    y = {
        "none": None, "strings": np.array(["1"] * n), "floats": np.full(n, 0.5),
        "negative": np.full(n, -1), "too_big": np.full(n, 3), "short": np.zeros(n - 1, "int32"),
        "2d": np.zeros((n, 2), "int32"), "column": np.zeros((n, 1), "int32"),
        "valid": np.arange(n) % 3, "bool": np.ones(n, bool),
    }[kind]
    before = all_state(cgan)
    try:
        cgan.fit(x, y, epochs=1, batch_size=4, verbose=0)
    except (ValueError, TypeError) as e:
        assert kind not in ("valid", "column")
        assert_clear(e)
        for a, b in zip(before, all_state(cgan)):
            np.testing.assert_array_equal(a, b)
        return
    assert kind in ("valid", "column"), kind
