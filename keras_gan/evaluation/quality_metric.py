"""`QualityMetric`: one sample-quality metric of the `Evaluator`, and its registry."""

import dataclasses

from keras_gan.utils.registry import Configurable
from keras_gan.utils.registry import Registry

# What a metric can ask the Evaluator for (computed once, shared by all).
NEEDS = ("moments", "features", "radii", "probabilities", "labels")


@dataclasses.dataclass(frozen=True)
class Column:
    """One number a metric reports, and how it is shown.

    Attributes:
        key: the key in the result dict (e.g. `"fid"`).
        label: the name shown in tables and cards (e.g. `"FID"`).
        direction: `"lower"` or `"higher"` is better, or None.
        fmt: a format spec for the value (e.g. `".2f"`, `".2%"`).
        spread: the key of its standard deviation, if the metric gives one.
    """

    key: str
    label: str
    direction: str = None
    fmt: str = ".4f"
    spread: str = None

    @property
    def arrow(self):
        """`"↓"`, `"↑"` or `""`: which way is better."""
        return {"lower": "↓", "higher": "↑"}.get(self.direction, "")

    def format(self, value, spread=None):
        """`value` (and `± spread`) as text."""
        text = format(value, self.fmt)
        return text if spread is None else f"{text} ± {format(spread, self.fmt)}"


class QualityMetric(Configurable):
    """A sample-quality metric: what it needs, how it is shown, how it is computed.

    Subclasses set `needs` (a subset of `NEEDS`: the fake side's feature
    `moments` (mean, covariance), the `features` themselves, the reference's
    k-NN `radii`, the extractor's class `probabilities`, the requested
    `labels`), `columns` (the `Column`s it reports), `order` (its place in
    tables) and implement `compute(reference, fake)`. Registered with
    `@register("name")`, a metric is found by `Evaluator(metrics=[...])`, and
    the CLI table, the `EvaluationCallback`'s logs and the model cards show
    its columns without further changes (torchmetrics' `MetricCollection`
    idea).

    Example:
        >>> @register("mean_norm")
        ... class MeanNorm(QualityMetric):
        ...     needs = ("features",)
        ...     columns = (Column("mean_norm", "Mean feature norm"),)
        ...     def compute(self, reference, fake):
        ...         return {"mean_norm": float(np.linalg.norm(fake.features, axis=1).mean())}
    """

    registry_name = None
    needs = ()
    columns = ()
    order = 100

    def min_samples(self):
        """The fewest fake samples the metric is defined for."""
        return 1

    def compute(self, reference, fake):
        """The metric's values.

        Args:
            reference: the `ReferenceStatistics` of the real data.
            fake: a `FakeFeatures` (features, moments, probabilities,
                labels of the samples).

        Returns:
            dict of the metric's `columns` keys (and their spreads).
        """
        raise NotImplementedError


quality_metric = Registry("metric", QualityMetric)
register = quality_metric.register


def get(identifier):
    """A `QualityMetric` from a registered name, a config dict or an instance."""
    return quality_metric.get(identifier)
