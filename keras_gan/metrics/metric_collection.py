"""`MetricCollection`: the metrics an `Evaluator` computes, as one object."""

from keras_gan.metrics.quality_metric import get
from keras_gan.metrics.quality_metric import quality_metric


def available():
    """Registered metric names, in table order."""
    names = quality_metric.available()
    return sorted(names, key=lambda n: (quality_metric.get_class(n).order, n))


class MetricCollection:
    """Several `QualityMetric`s computed on one pass of features.

    The collection answers what the metrics need together (`needs`,
    `min_samples`) and how their numbers are shown (`columns`), and merges
    their results. The `Evaluator`, `keras-gan evaluate`'s table, the
    `EvaluationCallback`'s logs and the zoo's model cards all read it, so a
    new metric is one file in `keras_gan/metrics/` (and its test).

    Args:
        metrics: registered names, `QualityMetric` instances or configs
            (default: every registered metric).

    Example:
        >>> MetricCollection(["fid", "precision_recall"]).columns[0].label
        'FID'
    """

    def __init__(self, metrics=None):
        if metrics is None:
            metrics = available()
        if isinstance(metrics, str):
            metrics = [metrics]
        metrics = list(metrics)
        if not metrics:
            raise ValueError(
                f"Pass at least one metric. Valid names: {', '.join(available())}. "
                f"Received: metrics={metrics!r}"
            )
        self.metrics = [get(m) for m in metrics]
        names = [m.registry_name for m in self.metrics]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ValueError(f"Each metric once. Received: metrics={names!r}")

    @property
    def names(self):
        return [m.registry_name for m in self.metrics]

    @property
    def needs(self):
        """Union of the metrics' needs."""
        return {need for m in self.metrics for need in m.needs}

    @property
    def columns(self):
        """Every metric's `Column`s, in the metrics' order."""
        return [c for m in self.metrics for c in m.columns]

    def min_samples(self):
        return max(m.min_samples() for m in self.metrics)

    def compute(self, reference, fake):
        """Merged results of every metric (`FakeFeatures` `fake` vs `reference`)."""
        out = {}
        for metric in self.metrics:
            out.update(metric.compute(reference, fake))
        return out

    def get_config(self):
        import keras

        return {"metrics": [keras.saving.serialize_keras_object(m) for m in self.metrics]}


def all_columns():
    """Every registered metric's `Column`s, in table order."""
    return [c for name in available() for c in quality_metric.get_class(name).columns]


def columns_for(result, headline=False):
    """The registered metrics' `Column`s whose keys are in `result`, in table order.

    For code that only has a result dict or logs (model cards, zoo tables,
    history plots, run records).

    Args:
        result: a dict of metric values (e.g. an `Evaluator` result, a
            model card's metrics, `fit` logs).
        headline: only the columns marked `headline` (the short tables).

    Returns:
        list of `Column`.

    Example:
        >>> columns_for({"fid": 1.0, "loss": 2.0})[0].label
        'FID'
    """
    return [c for c in all_columns()
            if result.get(c.key) is not None and (c.headline or not headline)]


def metric_values(result):
    """The metric values in `result` (each column and its spread), as floats.

    For run records and checkpoint scores: what the registered metrics
    reported, whatever they are, without a hand-kept list of keys.
    """
    out = {}
    for column in columns_for(result):
        for key in (column.key, column.spread):
            if key is not None and result.get(key) is not None:
                out[key] = float(result[key])
    return out
