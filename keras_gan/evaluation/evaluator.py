"""Scoring images or a generator with every metric in one pass of the extractor."""

import time
import warnings

import numpy as np

from keras_gan import extractors as extractors_lib
from keras_gan.evaluation.fake_features import FakeFeatures
from keras_gan.metrics.metric_collection import MetricCollection
from keras_gan.metrics.metric_collection import available
from keras_gan.metrics.quality_metric import quality_metric
from keras_gan.evaluation.reference_statistics import load_reference_statistics
from keras_gan.validation import check_positive_int

# The bundled metric names (keras_gan/metrics/), table order;
# metrics registered later are found by name too.
METRICS = tuple(available())
RECOMMENDED_SAMPLES = 10000


class Evaluator:
    """Scores samples against real data with a collection of metrics.

    Features are extracted once per call and shared by all metrics; the
    real side comes from cached `ReferenceStatistics`. The metrics are a
    `MetricCollection` (default: every registered one: FID, KID, classifier
    score, precision/recall, density/coverage, class coverage). Every result
    names the extractor (and its weights' sha256) and the reference.

    Args:
        reference: see `load_reference_statistics` (default "mnist-test").
        extractor: a name or `FeatureExtractor` (default "mnist_classifier").
        metrics: registered names, `QualityMetric` instances or configs
            (default: every registered metric).
        kid_subsets: number of KID subsets (for `"kid"` given by name).
        kid_subset_size: KID subset size, capped at the number of samples.
        pr_k: neighbourhood size of precision/recall (3).
        dc_k: neighbourhood size of density/coverage (5).
        seed: seed of KID's subset draws.
        data_path: passed to `load_reference_statistics`.
        cache_dir: passed to `load_reference_statistics`.
        allow_sample: passed to `load_reference_statistics`.
        max_reference_features: `max_features` of `load_reference_statistics`.
        verbose: 1 shows progress bars.

    Example:
        >>> ev = Evaluator("mnist-test", data_path="mnist.npz")
        >>> ev.score_images(samples)["fid"]
    """

    def __init__(self, reference="mnist-test", extractor="mnist_classifier", metrics=None,
                 kid_subsets=100, kid_subset_size=1000, pr_k=3, dc_k=5, seed=0,
                 data_path=None, cache_dir=None, allow_sample=False,
                 max_reference_features=10000, verbose=0):
        # Arguments of the metrics given by name (the Evaluator's own
        # keywords, kept for compatibility); other metrics use defaults.
        options = {
            "kid": {"num_subsets": kid_subsets, "subset_size": kid_subset_size, "seed": seed},
            "precision_recall": {"k": pr_k},
            "density_coverage": {"k": dc_k},
        }
        registered = available()
        if metrics is None:
            metrics = registered
        if isinstance(metrics, str):
            metrics = [metrics]
        metrics = list(metrics)
        unknown = [m for m in metrics if isinstance(m, str) and m not in registered]
        if unknown or not metrics:
            raise ValueError(
                f"Unknown metrics {unknown}. Valid: {', '.join(registered)}. "
                f"Received: metrics={metrics!r}"
            )
        self.collection = MetricCollection([
            quality_metric.get_class(m)(**options.get(m, {})) if isinstance(m, str) else m
            for m in metrics
        ])
        self.metrics = tuple(self.collection.names)
        self.kid_subsets = check_positive_int("kid_subsets", kid_subsets)
        self.kid_subset_size = check_positive_int("kid_subset_size", kid_subset_size, 2)
        self.pr_k = check_positive_int("pr_k", pr_k)
        self.dc_k = check_positive_int("dc_k", dc_k)
        self.seed = seed
        self.verbose = verbose
        self.extractor = extractors_lib.get(extractor)
        if "probabilities" in self.collection.needs and not self.extractor.has_logits:
            needing = [m.registry_name for m in self.collection.metrics
                       if "probabilities" in m.needs]
            raise ValueError(
                f"{', '.join(needing)} need a classifier; the {self.extractor.name} "
                "extractor has no class outputs. Received: metrics="
                f"{list(self.metrics)!r}"
            )
        self.reference = load_reference_statistics(
            reference, self.extractor, data_path=data_path, cache_dir=cache_dir,
            max_features=max_reference_features, allow_sample=allow_sample, verbose=verbose,
        )

    @property
    def columns(self):
        """The `Column`s of this evaluator's metrics (what tables and logs show)."""
        return self.collection.columns

    def _min_samples(self):
        return self.collection.min_samples()

    def score_features(self, features, probabilities=None, labels=None):
        """All metrics from precomputed fake features `(N, D)` (and probabilities)."""
        fake = FakeFeatures(features, probabilities, labels,
                            data_classes=getattr(self.extractor, "data_classes", None))
        n = len(fake)
        if n < self._min_samples():
            raise ValueError(
                f"Too few samples for the chosen metrics {list(self.metrics)}: "
                f"need at least {self._min_samples()}. Received: {n} samples"
            )
        ref = self.reference
        out = self.collection.compute(ref, fake)
        out.update(
            n_samples=n, n_reference=ref.count, reference=ref.dataset,
            extractor=self.extractor.name,
            extractor_sha256=self.extractor.fingerprint()[:16],
        )
        return out

    def score_images(self, images, labels=None, data_range="auto"):
        """All metrics for an array of sample images.

        Args:
            images: `(N, H, W)`, `(N, H, W, C)` or `(N, C, H, W)`; uint8
                0..255 or floats in [0, 1], [-1, 1] or [0, 255].
            labels: optional requested classes; adds `class_accuracy`
                (fraction the extractor classifies as requested).
            data_range: "auto" or the range of `images`.

        Returns:
            dict: the metrics' values (`fid`, `kid`, `kid_std`,
            `classifier_score`, `precision`, `recall`, `density`,
            `coverage`, `class_coverage`, ...: those selected), plus
            `n_samples`, `n_reference`, `reference`, `extractor`,
            `extractor_sha256`, `data_range` and `seconds`.
        """
        start = time.time()
        images = np.asarray(images)
        if labels is not None:
            labels = np.asarray(labels).astype("int64").reshape(-1)
            if len(labels) != len(images):
                raise ValueError(
                    f"labels and images differ in length. Received: "
                    f"labels.shape={labels.shape}, images.shape={images.shape}"
                )
        if len(images) < RECOMMENDED_SAMPLES:
            warnings.warn(
                f"Scoring {len(images)} samples: FID and KID depend on the sample "
                f"count; compare models at the same count, ideally {RECOMMENDED_SAMPLES}.",
                stacklevel=2,
            )
        ext = self.extractor.extract(images, data_range, verbose=self.verbose)
        out = self.score_features(ext["features"], ext["probabilities"], labels)
        out["data_range"] = ext["data_range"]
        out["seconds"] = round(time.time() - start, 3)
        return out

    def score_generator(self, generator, n_samples=RECOMMENDED_SAMPLES, seed=0, labels=None,
                        batch_size=500, use_ema=None, recalibrate=False):
        """Draws `n_samples` from a generator (seeded) and scores them.

        With `recalibrate=True` this is how the zoo cards, `make demo`, the
        benchmarks, `keras-gan train` and `EvaluationCallback` score: the
        generator's batch-norm statistics are first measured on its own
        samples (`Generator.recalibrate_batch_norm`: 8,192 noise vectors,
        seed 0), which matters for an EMA generator, whose moving statistics
        are the online G's. This changes the network in place; a GAN's
        next training step copies G's statistics back to its EMA copy, so
        training is unchanged, and grids or exports made afterwards use
        the recalibrated statistics, as the zoo's do.

        Args:
            generator: a `keras_gan.GAN` / `ConditionalGAN`, a
                `keras_gan.Generator`, or a generator `keras.Model` (noise,
                or `[noise, labels]`, -> images in [-1, 1]).
            n_samples: number of samples.
            seed: noise seed (same seed, same samples).
            labels: classes for a conditional generator (default: equal
                numbers of each class, `i % num_classes`).
            batch_size: samples per generator call.
            use_ema: for a GAN with an EMA generator, which one to use.
            recalibrate: recalibrate the batch-norm statistics first (a
                no-op for networks without `BatchNormalization`).

        Returns:
            The dict of `score_images`, with `class_accuracy` for
            conditional generators.

        Example:
            >>> ev.score_generator(gan, 10_000, seed=0, recalibrate=True)
        """
        from keras_gan.evaluation.sampling import draw_samples
        from keras_gan.generator import Generator

        n_samples = check_positive_int("n_samples", n_samples)
        generator = Generator.from_gan(generator, use_ema=use_ema, labels=labels)
        if recalibrate:
            generator.recalibrate_batch_norm()
        images, labels, data_range = draw_samples(
            generator, n_samples, seed=seed, labels=labels, batch_size=batch_size,
            verbose=self.verbose,
        )
        return self.score_images(images, labels=labels, data_range=data_range)
