"""Scores the generator during `fit` and puts the metrics into the logs."""

import keras

from keras_gan.evaluation.evaluator import RECOMMENDED_SAMPLES
from keras_gan.evaluation.evaluator import Evaluator
from keras_gan.generator import Generator
from keras_gan.utils.deprecation import renamed_arguments
from keras_gan.validation import check_positive_int


class EvaluationCallback(keras.callbacks.Callback):
    """Evaluates sample quality every `epoch_freq` epochs and logs it.

    The scores are added to the epoch's `logs` (one entry per column of the
    evaluator's metrics: `fid`, `kid`, `classifier_score`, `precision`,
    `recall`, `density`, `coverage`, `class_coverage`, ..., with an
    optional prefix), so callbacks placed *after* this one in the list
    (`ModelCheckpoint(monitor="fid", mode="min")`, `EarlyStopping`,
    `CSVLogger`) and the returned `History` see them. Samples come from a
    fixed seed, so epochs are compared on the same noise. Passed to
    `gan.evaluate(x, callbacks=[...])`, it adds the same scores to
    `evaluate`'s logs, next to the losses on the held-out data.

    Args:
        evaluator: an `Evaluator`, or None to build `Evaluator(**kwargs)`
            when training starts.
        epoch_freq: evaluate after every `epoch_freq`-th epoch (and the last
            one), as `fit(validation_freq=...)` counts epochs. Formerly `every`.
        n_samples: samples per evaluation (10,000 for comparable numbers).
        seed: noise seed.
        use_ema: score the EMA generator (default: when the GAN has one).
        prefix: prepended to the log keys (e.g. "ema_").
        verbose: 1 prints one line per evaluation.
        recalibrate: measure the scored generator's batch-norm statistics on
            its own samples first, as the zoo cards are scored
            (`Evaluator.score_generator(..., recalibrate=True)`); the
            statistics are put back after scoring, so neither training nor
            `gan.evaluate` changes.
        **evaluator_kwargs: arguments of `Evaluator` (e.g. `data_path`).

    Example:
        >>> gan.fit(x, epochs=20, callbacks=[
        ...     EvaluationCallback(epoch_freq=5, data_path="mnist.npz"),
        ...     keras.callbacks.ModelCheckpoint("best.keras", monitor="fid",
        ...                                     mode="min", save_best_only=True)])
        >>> gan.evaluate(x_test, return_dict=True,
        ...              callbacks=[EvaluationCallback(data_path="mnist.npz")])
        {'d_loss': ..., 'g_loss': ..., 'd_real': ..., 'd_fake': ..., 'fid': ..., ...}
    """

    def __init__(self, evaluator=None, epoch_freq=1, n_samples=RECOMMENDED_SAMPLES, seed=0,
                 use_ema=None, prefix="", verbose=1, recalibrate=True, **evaluator_kwargs):
        super().__init__()
        epoch_freq = renamed_arguments(
            "EvaluationCallback", {"every": "epoch_freq"}, evaluator_kwargs,
            dict(epoch_freq=epoch_freq), dict(epoch_freq=1))["epoch_freq"]
        epoch_freq = check_positive_int("epoch_freq", epoch_freq)
        if evaluator is not None and evaluator_kwargs:
            raise ValueError(
                "Pass either an Evaluator or Evaluator arguments, not both. "
                f"Received: {sorted(evaluator_kwargs)}"
            )
        self.evaluator = evaluator
        self.evaluator_kwargs = evaluator_kwargs
        self.epoch_freq = epoch_freq
        self.recalibrate = bool(recalibrate)
        self.n_samples = n_samples
        self.seed = seed
        self.use_ema = use_ema
        self.prefix = prefix
        self.verbose = verbose
        self.history = []
        self.evaluate_logs = {}
        self._fitting = False

    def get_config(self):
        """The constructor's arguments (new names only; `evaluator` as given)."""
        return {"evaluator": self.evaluator if not self.evaluator_kwargs else None,
                "epoch_freq": self.epoch_freq, "n_samples": self.n_samples, "seed": self.seed,
                "use_ema": self.use_ema, "prefix": self.prefix, "verbose": self.verbose,
                "recalibrate": self.recalibrate, **self.evaluator_kwargs}

    @classmethod
    def from_config(cls, config):
        """An `EvaluationCallback` from `get_config()` (old names are accepted, deprecated)."""
        return cls(**config)

    def _prepare(self):
        if self.evaluator is None:
            self.evaluator = Evaluator(**self.evaluator_kwargs)
        if not hasattr(self.model, "generate"):
            raise ValueError(
                "EvaluationCallback needs a keras_gan.GAN. Received: model="
                f"{type(self.model).__name__}"
            )

    def on_train_begin(self, logs=None):
        self._fitting = True
        self._prepare()

    def on_train_end(self, logs=None):
        self._fitting = False

    def on_test_end(self, logs=None):
        # `gan.evaluate(..., callbacks=[this])`: the scores join its logs.
        # Inside `fit` (validation) the epoch-end evaluation does the work.
        # (Keras hands callbacks a copy of the logs: `GAN.evaluate` merges
        # `evaluate_logs` into what it returns.)
        self.evaluate_logs = {}
        if self._fitting:
            return
        self._prepare()
        self.evaluate_logs = self._score(epoch=None)
        if logs is not None:
            logs.update(self.evaluate_logs)

    def _due(self, epoch):
        last = (self.params or {}).get("epochs")
        return (epoch + 1) % self.epoch_freq == 0 or (last is not None and epoch + 1 == last)

    def on_epoch_end(self, epoch, logs=None):
        if not self._due(epoch):
            return
        values = self._score(epoch)
        if logs is not None:
            logs.update(values)

    def _score(self, epoch):
        kwargs = dict(n_samples=self.n_samples, seed=self.seed, use_ema=self.use_ema)
        if not self.recalibrate:
            scores = self.evaluator.score_generator(self.model, **kwargs)
        else:
            # Scored as the cards are (recalibrated), but the network's
            # statistics are put back afterwards: evaluating changes nothing.
            network = Generator.from_gan(self.model, use_ema=self.use_ema).network
            saved = [keras.ops.convert_to_numpy(v) for v in network.non_trainable_variables]
            try:
                scores = self.evaluator.score_generator(self.model, recalibrate=True, **kwargs)
            finally:
                for variable, value in zip(network.non_trainable_variables, saved, strict=True):
                    variable.assign(value)
        self.history.append({"epoch": None if epoch is None else epoch + 1, **scores})
        values = {self.prefix + c.key: float(scores[c.key])
                  for c in self.evaluator.columns if c.key in scores}
        if self.verbose:
            text = " - ".join(f"{k}: {v:.4g}" for k, v in values.items())
            where = "Evaluation" if epoch is None else f"Epoch {epoch + 1}"
            print(f"{where}: {text} ({scores['extractor']}, "
                  f"{scores['n_samples']} samples vs {scores['reference']})")
        return values
