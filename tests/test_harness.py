"""Every registered loss, penalty and quality metric goes through keras_gan.testing.

The references live here, one per registered name: a loss or penalty that
is registered without one fails `test_every_registered_*_has_a_reference`,
and a subclass that is defined in keras_gan but not registered fails
`test_every_subclass_is_registered`.
"""

import numpy as np
import pytest

import keras_gan
from keras_gan import losses
from keras_gan import penalties
from keras_gan.metrics.quality_metric import QualityMetric
from keras_gan.metrics.quality_metric import quality_metric
from keras_gan.testing import run_loss_test
from keras_gan.testing import run_penalty_test
from keras_gan.testing import run_serialization_test


def softplus(x):
    return np.logaddexp(0.0, x)


# name: (D loss (real, fake), G loss (fake)), float64 NumPy.
LOSS_REFERENCES = {
    "minimax": (lambda r, f: softplus(-r).mean() + softplus(f).mean(),
                lambda f: -softplus(f).mean()),
    "non_saturating": (lambda r, f: softplus(-r).mean() + softplus(f).mean(),
                       lambda f: softplus(-f).mean()),
    "wasserstein": (lambda r, f: f.mean() - r.mean(), lambda f: -f.mean()),
    "hinge": (lambda r, f: np.maximum(0, 1 - r).mean() + np.maximum(0, 1 + f).mean(),
              lambda f: -f.mean()),
    "least_squares": (lambda r, f: 0.5 * ((r - 1) ** 2).mean() + 0.5 * (f ** 2).mean(),
                      lambda f: 0.5 * ((f - 1) ** 2).mean()),
}

# name: (instance, unweighted penalty of a linear D with ||w|| = norm).
PENALTY_REFERENCES = {
    "wgan_gp": (penalties.WGANGP(weight=10.0), lambda n: (n - 1) ** 2),
    "r1": (penalties.R1(gamma=4.0), lambda n: n ** 2),
    "r2": (penalties.R2(gamma=2.0), lambda n: n ** 2),
    "dragan": (penalties.DRAGAN(weight=5.0, c=0.5), lambda n: (n - 1) ** 2),
}


def test_every_registered_loss_has_a_reference():
    assert losses.available() == sorted(LOSS_REFERENCES)


def test_every_registered_penalty_has_a_reference():
    assert penalties.penalty.available() == sorted(PENALTY_REFERENCES)


def _subclasses(base):
    found, todo = [], [base]
    while todo:
        for cls in todo.pop().__subclasses__():
            found.append(cls)
            todo.append(cls)
    return [c for c in found if c.__module__.startswith("keras_gan.")]


@pytest.mark.parametrize("base, available", [
    (losses.gan_loss.GANLoss, losses.available),
    (penalties.penalty.Penalty, penalties.penalty.available),
    (QualityMetric, quality_metric.available),
])
def test_every_subclass_is_registered(base, available):
    for cls in _subclasses(base):
        if base is QualityMetric and "columns" not in vars(cls):
            continue  # a shared base (FeatureBufferMetric): it reports nothing itself
        assert cls.registry_name in available(), f"{cls.__name__} is not registered"


@pytest.mark.parametrize("name", sorted(LOSS_REFERENCES))
def test_loss(name):
    run_loss_test(losses.get(name), *LOSS_REFERENCES[name], get=losses.get)


@pytest.mark.parametrize("name", sorted(PENALTY_REFERENCES))
def test_penalty(name):
    instance, closed_form = PENALTY_REFERENCES[name]
    run_penalty_test(instance, closed_form, get=penalties.get)


@pytest.mark.parametrize("name", keras_gan.evaluation.METRICS)
def test_metric_serialization(name):
    run_serialization_test(quality_metric.get(name), quality_metric.get)


def test_the_harness_catches_a_broken_penalty():
    """A penalty whose gradient misses D (a constant, as torch without
    `create_graph=True` gives) fails run_penalty_test."""
    from keras import ops

    class Detached(penalties.R1):
        def compute(self, discriminator_fn, real, fake, seed=None):
            return ops.stop_gradient(super().compute(discriminator_fn, real, fake, seed))

    with pytest.raises(AssertionError, match="penalty gradient"):
        run_penalty_test(Detached(gamma=1.0), lambda n: n ** 2)


def test_the_harness_catches_a_lost_constructor_argument():
    class Forgetful(penalties.R1):
        def __init__(self, gamma=10.0, interval=1, extra=3):
            super().__init__(gamma, interval)
            self.extra = extra

    with pytest.raises(AssertionError, match=r"misses constructor arguments \['extra'\]"):
        run_serialization_test(Forgetful())
