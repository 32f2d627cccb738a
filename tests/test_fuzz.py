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


@st.composite
def valid_arrays(draw, shape, low, high, min_rows=1, max_rows=9):
    """Arrays every caller must accept: float32/64, finite, in [low, high]."""
    n = draw(st.integers(min_rows, max_rows))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    dtype = draw(st.sampled_from(["float32", "float64"]))
    return rng.uniform(low, high, (n,) + tuple(shape)).astype(dtype)


def assert_clear(error):
    message = str(error).strip()
    assert message, f"empty error message: {type(error).__name__}"
    assert "\n" not in message, f"multi-line error: {message!r}"
    assert CLEAR.search(message), f"unclear error: {type(error).__name__}: {message}"


def is_float_finite(x, bound=None):
    """A float32/float64 array with finite values (within +-bound if given)."""
    if x.dtype not in (np.float32, np.float64) or not np.isfinite(x).all():
        return False
    return bound is None or x.size == 0 or np.abs(x).max() <= bound


def test_assert_clear_rejects_multiline_and_vague_messages():
    assert_clear(ValueError("Expected 4 dims. Received: x.shape=(2,)"))
    with pytest.raises(AssertionError, match="multi-line"):
        assert_clear(ValueError("Expected 4 dims.\nReceived: x.shape=(2,)"))
    with pytest.raises(AssertionError, match="unclear"):
        assert_clear(ValueError("bad"))


@pytest.fixture(scope="module")
def gan():
    model = tiny_gan()
    model.compile()
    return model


@FUZZ
@given(x=st.one_of(arrays(), valid_arrays((8, 8, 1), -1.0, 1.0)),
       labels=st.sampled_from([None, None, "strings", "floats", "short"]))
def test_fit_rejects_or_trains_and_never_corrupts_state(gan, x, labels):
    y = None
    if labels == "strings":
        y = np.array(["a"] * (len(x) if x.ndim else 1))
    elif labels == "floats":
        y = np.random.default_rng(0).uniform(size=len(x) if x.ndim else 1)
    elif labels == "short":
        y = np.zeros(max(len(x) - 1, 0) if x.ndim else 0, "int32")
    # The oracle: float images of the GAN's shape in [-1, 1] without labels
    # must train; everything else may be refused, clearly.
    valid = (y is None and x.ndim == 4 and len(x) > 0 and x.shape[1:] == (8, 8, 1)
             and is_float_finite(x, bound=1.0))
    before = all_state(gan)
    try:
        gan.fit(x, y, epochs=1, batch_size=4, verbose=0)
    except (ValueError, TypeError) as e:
        assert not valid, f"valid input refused: {x.dtype} {x.shape}: {e}"
        assert_clear(e)
        for a, b in zip(before, all_state(gan), strict=True):
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
       valid=st.booleans(), which=st.sampled_from(["fid", "kid", "pr", "dc", "cs"]))
def test_metric_functions_reject_or_return_finite(a, b, valid, which):
    if valid:  # replace both by valid feature matrices of one width
        rng = np.random.default_rng(a.size + 7 * b.size)
        width = 1 + b.size % 6
        a = rng.normal(size=(4 + a.size % 9, width)).astype("float32")
        b = rng.normal(size=(4 + b.size % 7, width)).astype("float64")
    m = keras_gan.metrics
    fns = {
        "fid": lambda: m.fid_from_features(a, b),
        "kid": lambda: m.kernel_distance(a, b, num_subsets=3, subset_size=3)[0],
        "pr": lambda: m.precision_recall(a, b, k=2)[0],
        "dc": lambda: m.density_coverage(a, b, k=2)[1],
        "cs": lambda: m.classifier_score(a)[0],
    }
    # The oracle: two float feature matrices of the same width, enough rows
    # for k=2 neighbours / subsets of 3, finite and of moderate size, must
    # score (the classifier score needs probabilities, so it has none).
    valid = (which != "cs" and a.ndim == b.ndim == 2 and a.shape[1] == b.shape[1] > 0
             and min(len(a), len(b)) >= 4 and is_float_finite(a, 1e3)
             and is_float_finite(b, 1e3))
    try:
        value = fns[which]()
    except (ValueError, TypeError) as e:
        assert not valid, f"valid features refused ({which}): {a.shape} {b.shape}: {e}"
        assert_clear(e)
        return
    assert np.isfinite(value)


@FUZZ
@given(x=st.one_of(arrays(max_dims=5, max_side=30), valid_arrays((9, 7, 1), 0.0, 1.0),
                  valid_arrays((5, 6), 0.0, 1.0)), data_range=st.sampled_from(
    ["auto", "0,1", "-1,1", "0,255", (0, 1), (2, 1), "x"]))
def test_standardize_images_rejects_or_returns_unit_range(x, data_range):
    # The oracle: finite float images (N, H, W[, 1 or 3]) in [0, 1] with a
    # range that covers them must be accepted.
    valid = (x.ndim in (3, 4) and x.size > 0 and (x.ndim == 3 or x.shape[-1] in (1, 3))
             and is_float_finite(x) and x.min() >= 0 and x.max() <= 1
             and data_range in ("auto", "0,1", (0, 1)))
    try:
        out, _ = standardize_images(x, data_range)
    except (ValueError, TypeError) as e:
        assert not valid, f"valid images refused: {x.dtype} {x.shape} {data_range}: {e}"
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
@given(x=st.one_of(arrays(max_dims=4, max_side=30),
                  valid_arrays((28, 28), -1.0, 1.0, min_rows=6, max_rows=9)))
def test_cli_evaluate_exits_cleanly_on_any_array(reference, x, tmp_path_factory, capsys):
    path = os.path.join(str(tmp_path_factory.mktemp("fuzz")), "samples.npy")
    np.save(path, x)
    code = cli_main(["evaluate", path, "--json", "--reference", reference[0], "--cache-dir",
                     reference[1], "--kid-subset-size", "4", "--kid-subsets", "2"])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    # The oracle: MNIST-shaped float samples in [-1, 1], enough for KID
    # subsets of 4 and k=5 neighbours, must be scored.
    valid = (x.ndim in (3, 4) and x.shape[1:3] == (28, 28) and x.shape[3:] in ((), (1,))
             and len(x) >= 6 and is_float_finite(x, bound=1.0))
    assert code == 0 or not valid, f"valid samples refused: {x.dtype} {x.shape}: {err}"
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
        for a, b in zip(before, all_state(cgan), strict=True):
            np.testing.assert_array_equal(a, b)
        return
    assert kind in ("valid", "column"), kind
