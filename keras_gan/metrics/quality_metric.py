"""`QualityMetric`: the base of every sample-quality metric, its `Column`s and its registry."""

import dataclasses

import keras

from keras_gan.utils.registry import Registry

# What a metric can ask the Evaluator for (computed once, shared by all).
NEEDS = ("moments", "features", "radii", "probabilities", "labels")


@dataclasses.dataclass(frozen=True)
class Column:
    """One number a metric reports, and how it is shown.

    Attributes:
        key: the key in the result dict and in `fit`'s logs (e.g. `"fid"`).
        label: the name shown in tables, cards and plots (e.g. `"FID"`).
        direction: `"lower"` or `"higher"` is better, or None.
        fmt: a format spec for the value (e.g. `".2f"`, `".2%"`).
        spread: the key of its standard deviation, if the metric gives one.
        headline: shown in the short tables (the README's zoo table,
            `keras-gan zoo list`), not only in the full ones.
        log_scale: plotted on a log axis (`save_history_plot`).
    """

    key: str
    label: str
    direction: str = None
    fmt: str = ".4f"
    spread: str = None
    headline: bool = False
    log_scale: bool = False

    @property
    def arrow(self):
        """`"↓"`, `"↑"` or `""`: which way is better."""
        return {"lower": "↓", "higher": "↑"}.get(self.direction, "")

    def format(self, value, spread=None):
        """`value` (and `± spread`) as text."""
        text = format(value, self.fmt)
        return text if spread is None else f"{text} ± {format(spread, self.fmt)}"


class QualityMetric(keras.metrics.Metric):
    """A sample-quality metric: its running state, what it needs, how it is shown.

    Every metric of `keras_gan.metrics` is one class in one file, next to
    its functional form (torchmetrics' layout). The class is used two ways:

    - **Streaming**, as a `keras.metrics.Metric`: `update_state(batch)`
      adds to running sufficient statistics (sums, covariance sums,
      counts, or a fixed-size feature buffer), `result()` evaluates the
      functional form on them.
    - **By the `Evaluator`**, which extracts features once for all its
      metrics: `compute(reference, fake)` scores a whole `FakeFeatures`
      set against cached `ReferenceStatistics`.

    Class attributes say what the metric needs and reports, and every
    table, log, plot and card reads them: `needs` (a subset of `NEEDS`:
    the fake side's feature `moments` (mean, covariance), the `features`
    themselves, the reference's k-NN `radii`, the extractor's class
    `probabilities`, the requested `labels`), `columns` (the `Column`s it
    reports) and `order` (its place in tables). Registered with
    `@register("name")`, a metric is found by `Evaluator(metrics=[...])`,
    the CLI table, the `EvaluationCallback`'s logs, `save_history_plot`
    and the model cards, with no other file edited.

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
        """The metric's values for a whole sample set.

        Args:
            reference: the `ReferenceStatistics` of the real data.
            fake: a `FakeFeatures` (features, moments, probabilities,
                labels of the samples).

        Returns:
            dict of the metric's `columns` keys (and their spreads).
        """
        raise NotImplementedError(
            f"{type(self).__name__} does not implement compute(reference, fake)."
        )

    def update_state(self, *args, **kwargs):
        raise NotImplementedError(
            f"{type(self).__name__} has no streaming form; the Evaluator computes it "
            "with compute(reference, fake)."
        )

    def result(self):
        raise NotImplementedError(
            f"{type(self).__name__} has no streaming form; the Evaluator computes it "
            "with compute(reference, fake)."
        )


quality_metric = Registry("metric", QualityMetric)
register = quality_metric.register


def get(identifier):
    """A `QualityMetric` from a registered name, a config dict or an instance."""
    return quality_metric.get(identifier)


def register_alias(name, cls):
    """Keeps configs saved under an older class name loadable (`keras_gan>{name}`)."""
    keras.saving.get_custom_objects()[f"keras_gan>{name}"] = cls
