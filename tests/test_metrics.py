"""Metrics against independent NumPy/SciPy references, on every backend."""

import numpy as np
import pytest
import scipy.linalg
import scipy.special
from scipy.spatial.distance import cdist

from keras_gan import metrics as M


def gaussian_features(n, d, seed, shift=0.0, scale=1.0):
    mix = np.random.default_rng(1000 + d).normal(size=(d, d)) / np.sqrt(d)  # same for all seeds
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(n, d)) @ mix * scale + shift).astype("float32")


# ----- independent references -------------------------------------------------

def fid_reference(a, b):
    a, b = a.astype("float64"), b.astype("float64")
    m1, m2 = a.mean(0), b.mean(0)
    s1, s2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    covmean = scipy.linalg.sqrtm(s1 @ s2)
    return float(((m1 - m2) ** 2).sum() + np.trace(s1) + np.trace(s2)
                 - 2 * np.trace(covmean.real))


def mmd2_reference(x, y, degree=3, coef0=1.0):
    x, y = x.astype("float64"), y.astype("float64")
    d = x.shape[1]
    m = len(x)

    def k(a, b):
        return (a @ b / d + coef0) ** degree

    xx = sum(k(x[i], x[j]) for i in range(m) for j in range(m) if i != j)
    yy = sum(k(y[i], y[j]) for i in range(m) for j in range(m) if i != j)
    xy = sum(k(x[i], y[j]) for i in range(m) for j in range(m))
    return xx / (m * (m - 1)) + yy / (m * (m - 1)) - 2 * xy / m**2


def inception_score_reference(p):
    marginal = p.mean(axis=0)
    return float(np.exp(np.mean(scipy.special.rel_entr(p, marginal[None, :]).sum(axis=1))))


def knn_reference(x, k):
    return np.sort(cdist(x, x), axis=1)[:, k]


def prdc_reference(real, fake, k_pr, k_dc):
    real, fake = real.astype("float64"), fake.astype("float64")
    d_rf = cdist(real, fake)
    r_pr, f_pr, r_dc = knn_reference(real, k_pr), knn_reference(fake, k_pr), knn_reference(real, k_dc)
    precision = (d_rf <= r_pr[:, None]).any(axis=0).mean()
    recall = (d_rf <= f_pr[None, :]).any(axis=1).mean()
    density = (d_rf <= r_dc[:, None]).sum() / (k_dc * len(fake))
    coverage = (d_rf.min(axis=1) <= r_dc).mean()
    return precision, recall, density, coverage


# ----- FID ----------------------------------------------------------------------

def test_fid_matches_scipy_reference():
    real = gaussian_features(3000, 32, 0)
    fake = gaussian_features(2500, 32, 1, shift=0.3, scale=1.3)
    expected = fid_reference(real, fake)
    assert M.fid_from_features(real, fake) == pytest.approx(expected, rel=1e-6)
    metric = M.FrechetDistance(32)
    for start in range(0, 3000, 512):
        metric.update_state(real[start:start + 512], real=True)
    for start in range(0, 2500, 300):
        metric.update_state(fake[start:start + 300])
    assert metric.result() == pytest.approx(expected, rel=1e-6)


def test_fid_streaming_is_exact_for_offset_features():
    # Large means with small spread: raw sums of x x^T would cancel in float32.
    real = gaussian_features(4000, 16, 2, shift=50.0)
    fake = gaussian_features(4000, 16, 3, shift=50.2, scale=1.1)
    metric = M.FrechetDistance(16)
    for start in range(0, 4000, 128):
        metric.update_state(real[start:start + 128], real=True)
        metric.update_state(fake[start:start + 128])
    assert metric.result() == pytest.approx(fid_reference(real, fake), rel=5e-5)


def test_fid_closed_form_for_diagonal_gaussians():
    mu1, mu2 = np.array([0.0, 1.0, 2.0]), np.array([1.0, 1.0, 0.0])
    s1, s2 = np.array([1.0, 4.0, 9.0]), np.array([4.0, 4.0, 1.0])
    expected = ((mu1 - mu2) ** 2).sum() + ((np.sqrt(s1) - np.sqrt(s2)) ** 2).sum()
    assert M.frechet_distance(mu1, np.diag(s1), mu2, np.diag(s2)) == pytest.approx(expected)


@pytest.mark.parametrize("case", ["rank_deficient", "dead_features", "tiny_variance"])
def test_fid_is_finite_and_real_for_near_singular_covariances(case):
    rng = np.random.default_rng(4)
    if case == "rank_deficient":  # fewer samples than dimensions
        a = rng.normal(size=(20, 64))
        b = rng.normal(size=(30, 64)) + 0.5
    elif case == "dead_features":  # constant (e.g. dead ReLU) columns
        a = rng.normal(size=(500, 32))
        b = rng.normal(size=(500, 32)) * 1.5
        a[:, :10] = 0.0
        b[:, 5:12] = 0.0
    else:  # eigenvalues spanning 1e-12 .. 1
        q = np.linalg.qr(rng.normal(size=(16, 16)))[0]
        scales = np.logspace(-6, 0, 16)
        a = rng.normal(size=(1000, 16)) * scales @ q.T
        b = rng.normal(size=(1000, 16)) * scales[::-1] @ q.T
    value = M.fid_from_features(a, b)
    assert np.isfinite(value) and isinstance(value, float) and value >= 0
    # Identical sets are at distance 0, even when singular.
    assert M.fid_from_features(a, a) == pytest.approx(0.0, abs=1e-6 * np.trace(np.cov(a.T)))
    # A pure shift costs exactly |shift|^2.
    shift = np.full(a.shape[1], 0.1)
    assert M.fid_from_features(a, a + shift) == pytest.approx(
        float(shift @ shift), rel=1e-4, abs=1e-8)


def test_fid_with_fixed_reference_statistics():
    real = gaussian_features(2000, 8, 5)
    fake = gaussian_features(1000, 8, 6, shift=0.5)
    metric = M.FrechetDistance(8, reference=M.feature_statistics(real))
    metric.update_state(fake)
    assert metric.result() == pytest.approx(fid_reference(real, fake), rel=1e-6)
    with pytest.raises(ValueError, match="real=True"):
        metric.update_state(real, real=True)
    metric.reset_state()
    with pytest.raises(ValueError, match="at least 2"):
        metric.result()


# ----- KID ----------------------------------------------------------------------

def test_kid_full_set_matches_explicit_double_loop():
    real = gaussian_features(60, 6, 7)
    fake = gaussian_features(60, 6, 8, shift=0.4)
    mean, std = M.kernel_distance(real, fake, num_subsets=3, subset_size=60)
    assert mean == pytest.approx(mmd2_reference(real, fake), rel=1e-5)
    assert std == pytest.approx(0.0, abs=1e-6 * abs(mean))  # each subset is the full set


def test_kid_subsets_match_reference_subsets():
    real = gaussian_features(200, 5, 9)
    fake = gaussian_features(150, 5, 10, scale=1.4)
    rng = np.random.default_rng(3)
    expected = []
    for _ in range(4):
        x = real[rng.choice(200, 40, replace=False)]
        y = fake[rng.choice(150, 40, replace=False)]
        expected.append(mmd2_reference(x, y))
    mean, std = M.kernel_distance(real, fake, num_subsets=4, subset_size=40, seed=3)
    assert mean == pytest.approx(np.mean(expected), rel=1e-5)
    assert std == pytest.approx(np.std(expected), rel=1e-4)


def test_kid_is_unbiased_near_zero_for_same_distribution():
    a = gaussian_features(2000, 16, 11)
    b = gaussian_features(2000, 16, 12)
    b_far = gaussian_features(2000, 16, 13, shift=0.3)
    same, same_std = M.kernel_distance(a, b, num_subsets=20, subset_size=500)
    far, _ = M.kernel_distance(a, b_far, num_subsets=20, subset_size=500)
    assert abs(same) < 3 * same_std + 1e-3
    assert far > 10 * abs(same)


def test_kid_streaming_metric_matches_function():
    real = gaussian_features(300, 8, 14)
    fake = gaussian_features(250, 8, 15, shift=0.2)
    metric = M.KernelDistance(8, max_samples=400, num_subsets=5, subset_size=100, seed=1)
    for start in range(0, 300, 64):
        metric.update_state(real[start:start + 64], real=True)
    for start in range(0, 250, 64):
        metric.update_state(fake[start:start + 64])
    expected = M.kernel_distance(real, fake, num_subsets=5, subset_size=100, seed=1)
    assert metric.result_with_std() == pytest.approx(expected, rel=1e-5)
    assert metric.result() == pytest.approx(expected[0], rel=1e-5)


# ----- classifier score -----------------------------------------------------------

def test_classifier_score_matches_reference_and_limits():
    rng = np.random.default_rng(16)
    p = rng.dirichlet(np.full(10, 0.3), size=1000)
    assert M.classifier_score(p)[0] == pytest.approx(inception_score_reference(p), rel=1e-6)
    parts = np.array_split(p, 5)
    ref = [inception_score_reference(q) for q in parts]
    assert M.classifier_score(p, splits=5) == pytest.approx((np.mean(ref), np.std(ref)), rel=1e-6)
    assert M.classifier_score(np.eye(10))[0] == pytest.approx(10.0, rel=1e-6)
    assert M.classifier_score(np.tile(p[:1], (50, 1)))[0] == pytest.approx(1.0, rel=1e-6)
    metric = M.ClassifierScore(10)
    for start in range(0, 1000, 128):
        metric.update_state(p[start:start + 128].astype("float32"))
    assert metric.result() == pytest.approx(inception_score_reference(p), rel=1e-4)


# ----- precision / recall, density / coverage ---------------------------------------

def test_knn_radii_match_cdist():
    x = gaussian_features(300, 7, 17)
    radii = M.knn_radii(x, [1, 3, 5], chunk=128)
    for k in (1, 3, 5):
        np.testing.assert_allclose(radii[k], knn_reference(x.astype("float64"), k), rtol=1e-4)


def test_precision_recall_density_coverage_match_reference():
    real = gaussian_features(700, 12, 18)
    fake = gaussian_features(500, 12, 19, shift=0.3, scale=0.8)
    p, r, d, c = prdc_reference(real, fake, 3, 5)
    tol = 2.0 / 500  # a tie flipped by float32 rounding moves one sample
    got_p, got_r = M.precision_recall(real, fake, k=3)
    got_d, got_c = M.density_coverage(real, fake, k=5)
    assert got_p == pytest.approx(p, abs=tol) and got_r == pytest.approx(r, abs=tol)
    assert got_d == pytest.approx(d, abs=tol) and got_c == pytest.approx(c, abs=tol)
    assert 0.2 < p < 0.99 and 0.2 < r < 0.99  # a non-trivial case

    pr = M.PrecisionRecall(12, k=3, max_samples=1000)
    dc = M.DensityCoverage(12, k=5, max_samples=1000, reference=real)
    for start in range(0, 700, 200):
        pr.update_state(real[start:start + 200], real=True)
    for start in range(0, 500, 200):
        pr.update_state(fake[start:start + 200])
        dc.update_state(fake[start:start + 200])
    assert pr.result() == pytest.approx({"precision": got_p, "recall": got_r})
    assert dc.result() == pytest.approx({"density": got_d, "coverage": got_c})


def test_identical_sets_have_full_precision_recall_coverage():
    x = gaussian_features(400, 6, 20)
    assert M.precision_recall(x, x) == (1.0, 1.0)
    density, coverage = M.density_coverage(x, x)
    assert coverage == 1.0
    # A sample of the same distribution lies in about k real balls: density ~ 1.
    y = gaussian_features(400, 6, 24)
    assert M.density_coverage(x, y)[0] == pytest.approx(1.0, abs=0.15)


def test_mode_dropping_lowers_recall_and_coverage_not_precision():
    rng = np.random.default_rng(21)
    centres = rng.normal(size=(10, 8)) * 5
    labels = rng.integers(0, 10, 2000)
    real = centres[labels] + rng.normal(size=(2000, 8))
    half = rng.integers(0, 5, 2000)  # fakes from only 5 of 10 modes
    fake = centres[half] + rng.normal(size=(2000, 8))
    p, r = M.precision_recall(real, fake)
    d, c = M.density_coverage(real, fake)
    assert p > 0.8 and r < 0.6 and c < 0.6
    assert p > r + 0.3 and c < 0.6


# ----- errors and configs ---------------------------------------------------------------

@pytest.mark.parametrize("fn", [M.fid_from_features, M.precision_recall, M.density_coverage,
                                lambda a, b: M.kernel_distance(a, b, subset_size=10)])
def test_metric_functions_reject_bad_features(fn):
    good = gaussian_features(50, 4, 22)
    bad = good.copy()
    bad[7, 2] = np.nan
    with pytest.raises(ValueError, match=r"NaN or inf .*row 7"):
        fn(good, bad)
    with pytest.raises(ValueError, match=r"fake.shape=\(50,\)"):
        fn(good, good[:, 0])
    with pytest.raises(ValueError, match="differ in dimension"):
        fn(good, gaussian_features(50, 5, 1))
    with pytest.raises(ValueError, match="Too few samples"):
        fn(good, good[:1])


def test_kid_subset_larger_than_samples_names_the_value():
    a = gaussian_features(50, 4, 23)
    with pytest.raises(ValueError, match="subset_size=100"):
        M.kernel_distance(a, a, subset_size=100)


def test_buffer_overflow_and_wrong_shapes_raise():
    metric = M.KernelDistance(4, max_samples=10)
    metric.update_state(np.zeros((8, 4), "float32"))
    with pytest.raises(ValueError, match="max_samples=10"):
        metric.update_state(np.zeros((3, 4), "float32"))
    with pytest.raises(ValueError, match=r"features.shape=\(3, 5\)"):
        metric.update_state(np.zeros((3, 5), "float32"))
    with pytest.raises(ValueError, match=r"features.shape=\(3, 5\)"):
        M.FrechetDistance(4).update_state(np.zeros((3, 5), "float32"))
    with pytest.raises(ValueError, match="feature_dim=0"):
        M.FrechetDistance(0)
    with pytest.raises(ValueError, match="row sums"):
        M.classifier_score(np.full((4, 3), 0.5))


@pytest.mark.parametrize("make", [
    lambda: M.FrechetDistance(4, reference=(np.zeros(4), np.eye(4)), name="f"),
    lambda: M.KernelDistance(4, max_samples=20, num_subsets=3, subset_size=5, degree=2,
                             gamma=0.5, coef0=0.5, seed=7),
    lambda: M.PrecisionRecall(4, k=2, max_samples=30,
                              reference=np.arange(12, dtype="float32").reshape(3, 4)),
    lambda: M.DensityCoverage(4, k=4, max_samples=25),
    lambda: M.ClassifierScore(7, name="cs"),
])
def test_metric_config_round_trip(make):
    metric = make()
    config = metric.get_config()
    clone = type(metric).from_config(config)
    assert clone.get_config() == config
