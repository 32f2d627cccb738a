"""Exact-resume training checkpoints for `keras_gan.GAN`."""

import json
import os
import shutil
import time
import warnings

import keras
import numpy as np
from keras import ops

from keras_gan import backend
from keras_gan.errors import DivergenceError
from keras_gan.utils.atomic import atomic_directory
from keras_gan.utils.atomic import write_text_atomic
from keras_gan.utils.deprecation import check_no_unknown
from keras_gan.utils.deprecation import renamed_arguments
from keras_gan.validation import check_positive_int

WEIGHTS = "gan.weights.h5"
STATE = "state.json"
RNG = "global_rng.npy"
LATEST = "latest"


def _sync(model):
    """Copies JAX's training state back into the model's variables."""
    sync = getattr(model, "jax_state_sync", None)
    if sync is not None:
        sync()


def nonfinite_weights(model):
    """Names of the model's variables (optimizer included) holding NaN or inf."""
    bad = []
    variables = list(model.weights)
    if getattr(model, "optimizer", None) is not None:
        variables += list(model.optimizer.variables)
    for v in variables:
        value = ops.convert_to_numpy(v.value)
        if np.issubdtype(value.dtype, np.floating) and not np.isfinite(value).all():
            bad.append(v.path)
    return bad


def _learning_rates(model):
    """`[(learning-rate variable, owner name, current value)]` of the model's optimizers."""
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None:
        return {}
    named = [("generator", getattr(model, "generator_optimizer", None)),
             ("discriminator", getattr(model, "discriminator_optimizer", None))]
    if not any(o is not None for _, o in named):
        named = [("model", optimizer)]
    rates = []
    for name, opt in named:
        variable = getattr(opt, "_learning_rate", None)
        if isinstance(variable, keras.Variable):
            rates.append((variable, name, float(keras.ops.convert_to_numpy(variable))))
    return rates


_SKIPPED = "Skipping variable loading for optimizer"
_BASE_LOAD = keras.optimizers.Optimizer.load_own_variables


class _OptimizerMismatch(ValueError):
    """A checkpoint's optimizer state that cannot be mapped onto the model's."""


def _optimizer_pairs(name, optimizer, saved):
    """`[(live variable, saved array)]` for an optimizer whose saved state
    differs from the live one only by a learning-rate variable.

    Keras stores an optimizer's variables by position: the step counter,
    then the learning rate when it is a number (a schedule stores none),
    then the slots (Adam's moments). A run resumed with a schedule where the
    checkpoint had a number, or the reverse, keeps everything but the rate.
    """
    live = list(optimizer.variables)
    rate_is_variable = isinstance(getattr(optimizer, "_learning_rate", None), keras.Variable)
    if not rate_is_variable and len(saved) == len(live) + 1:
        pairs = [(live[0], saved[0])] + list(zip(live[1:], saved[2:]))
    elif rate_is_variable and len(saved) + 1 == len(live):
        pairs = [(live[0], saved[0])] + list(zip(live[2:], saved[1:]))
    else:
        pairs = None
    if pairs is None or any(tuple(v.shape) != tuple(a.shape) for v, a in pairs):
        raise _OptimizerMismatch(
            f"The checkpoint's {name} does not match this model's: it holds "
            f"{len(saved)} variables and this one {len(live)}. Resuming would restart "
            "its step counter and moments; was the optimizer (type, or the layers it "
            f"trains) changed since the checkpoint was written? Received: {name}="
            f"{type(optimizer).__name__} with {len(live)} variables")
    return pairs


def _saved_optimizers(model, path):
    """`{name: saved arrays}` for each of the model's optimizers whose saved
    state holds another number of variables than the live one."""
    import h5py  # a Keras dependency; only needed here

    found = {}
    with h5py.File(path, "r") as f:
        for name in f.keys():
            optimizer = getattr(model, name, None)
            if (not isinstance(optimizer, keras.optimizers.Optimizer) or "vars" not in f[name]
                    or type(optimizer).load_own_variables is not _BASE_LOAD):
                continue  # not an optimizer that Keras loads by position
            group = f[name]["vars"]
            if len(group) != len(optimizer.variables):
                found[name] = [np.asarray(group[str(i)]) for i in range(len(group))]
    return found


def _load_weights(model, path):
    """`model.load_weights(path)`, also across a learning rate changed between
    a number and a schedule (which Keras skips with a warning, silently
    restarting the optimizer). Returns the names of optimizers so loaded.

    The mismatch is found from the file's layout before anything is loaded;
    Keras' warning about it is then expected and not shown again.
    """
    pairs = {name: _optimizer_pairs(name, getattr(model, name), saved)
             for name, saved in _saved_optimizers(model, path).items()}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.load_weights(path)
    for w in caught:
        if not (pairs and _SKIPPED in str(w.message)):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    for name in pairs:
        for variable, value in pairs[name]:
            variable.assign(value)
    return list(pairs)


class Checkpoint(keras.callbacks.Callback):
    """Saves and restores the full training state; resumes at the exact step.

    Pass it to `GAN.fit(..., callbacks=[Checkpoint(dir)])` and simply rerun
    the same script after a crash: `fit` restores the latest checkpoint (G,
    D, EMA, both optimizers, every RNG state, the step counter) and, for
    array and `PyDataset` inputs, continues with the next batch of the
    interrupted epoch, in the same order (see `EpochBatches`). On CPU with a
    fixed seed, the resumed run ends with the same weights as a run that
    was never interrupted (see `docs/reliability.md`).

    Keras' `BackupAndRestore` also works with a GAN, but restarts an
    interrupted epoch from its first batch.

    Each checkpoint is a folder `ckpt-<step>` holding `gan.weights.h5` and
    `state.json`, written to a temporary folder and renamed into place; the
    file `latest` names the newest one and is replaced atomically. A crash
    mid-save leaves the previous checkpoint intact. Non-finite weights are
    never saved: the callback raises `DivergenceError` naming the step and
    the last good checkpoint instead.

    Args:
        directory: folder for the checkpoints.
        save_freq: `"epoch"` (save at epoch ends only) or an integer: save
            every this many GAN steps as well (Keras' `ModelCheckpoint`
            spelling). Formerly `every_n_steps` (None meant `"epoch"`).
        epoch_freq: save at the end of every this many epochs (0: never).
            Formerly `every_n_epochs`.
        keep: number of checkpoints kept (oldest removed first).
        seed: seed of the per-epoch data order for array inputs (default:
            the GAN's `seed`, else 0).
        verbose: 1 prints a line per save and on restore.

    Example:
        >>> ckpt = keras_gan.callbacks.Checkpoint("runs/mnist", save_freq=500)
        >>> gan.fit(images, epochs=20, batch_size=128, callbacks=[ckpt])
    """

    def __init__(self, directory, save_freq="epoch", epoch_freq=1, keep=2, seed=None,
                 verbose=0, **deprecated):
        super().__init__()
        values = renamed_arguments(
            "Checkpoint",
            {"every_n_steps": ("save_freq", lambda v: "epoch" if v is None else v),
             "every_n_epochs": "epoch_freq"},
            deprecated, dict(save_freq=save_freq, epoch_freq=epoch_freq),
            dict(save_freq="epoch", epoch_freq=1))
        check_no_unknown("Checkpoint", deprecated)
        save_freq, epoch_freq = values["save_freq"], values["epoch_freq"]
        if not (isinstance(save_freq, str) and save_freq == "epoch"):
            save_freq = check_positive_int("save_freq", save_freq)
        epoch_freq = check_positive_int("epoch_freq", epoch_freq, minimum=0)
        keep = check_positive_int("keep", keep)
        self.directory = os.fspath(directory)
        self.save_freq = save_freq
        self.epoch_freq = epoch_freq
        self.keep = keep
        self.seed = seed
        self.verbose = verbose
        # Set by GAN.fit when it resumes mid-epoch: `batch_offset` batches of
        # epoch `offset_epoch` were trained before the restart.
        self.batch_offset = 0
        self.offset_epoch = None
        self.batches_per_epoch = None
        self._epoch = 0
        self._batch = 0
        self._step = 0
        self._pending_rng = None

    def get_config(self):
        """The constructor's arguments (new names only)."""
        return {"directory": self.directory, "save_freq": self.save_freq,
                "epoch_freq": self.epoch_freq, "keep": self.keep, "seed": self.seed,
                "verbose": self.verbose}

    @classmethod
    def from_config(cls, config):
        """A `Checkpoint` from `get_config()` (old names are accepted, deprecated)."""
        return cls(**config)

    # ----------------------------------------------------------------- files
    def checkpoints(self):
        """Existing checkpoint folders, oldest first."""
        if not os.path.isdir(self.directory):
            return []
        names = [n for n in os.listdir(self.directory)
                 if n.startswith("ckpt-") and os.path.isfile(
                     os.path.join(self.directory, n, STATE))]
        return [os.path.join(self.directory, n) for n in sorted(names)]

    def latest(self):
        """The newest complete checkpoint folder, or None."""
        pointer = os.path.join(self.directory, LATEST)
        if os.path.exists(pointer):
            with open(pointer) as f:
                path = os.path.join(self.directory, f.read().strip())
            if os.path.isfile(os.path.join(path, STATE)):
                return path
        found = self.checkpoints()
        return found[-1] if found else None

    def save(self, epoch, batch):
        """Writes a checkpoint of the current state at `(epoch, batch)`."""
        model = self.model
        _sync(model)
        step = int(ops.convert_to_numpy(model.optimizer.iterations))
        bad = nonfinite_weights(model)
        if bad:
            raise DivergenceError(
                f"Non-finite weights at step {step} (epoch {epoch + 1}) in "
                f"{', '.join(bad[:5])}{'...' if len(bad) > 5 else ''}. Not saving them. "
                f"Last good checkpoint: {self.latest() or 'none'}."
            )
        self._step = step
        name = f"ckpt-{step:010d}"
        final = os.path.join(self.directory, name)
        if os.path.exists(final):  # same step saved already (epoch end after a step save)
            return final
        state = {
            "step": step, "epoch": epoch, "batch": batch,
            "batches_per_epoch": self.batches_per_epoch, "seed": self.data_seed(),
            "backend": keras.backend.backend(), "time": time.time(),
        }
        with atomic_directory(final) as tmp:
            model.save_weights(os.path.join(tmp, WEIGHTS))
            rng = backend.get_global_rng_state()
            if rng is not None:
                np.save(os.path.join(tmp, RNG), rng)
            with open(os.path.join(tmp, STATE), "w") as f:
                json.dump(state, f)
        write_text_atomic(os.path.join(self.directory, LATEST), name)
        for old in self.checkpoints()[:-self.keep]:
            shutil.rmtree(old, ignore_errors=True)
        if self.verbose:
            print(f"Checkpoint: saved step {step} to {final}")
        return final

    def restore(self, model):
        """Loads the latest checkpoint into `model`; returns its state or None.

        A checkpoint that fails to load (e.g. a damaged file) is skipped in
        favour of the one before it. Learning rates set at `compile` win over
        the checkpoint's: a run resumed with another learning rate (say,
        after `DivergenceGuard` stopped it) trains with the new one, and
        says so. That holds when the rate changes between a number and a
        schedule too (`optimizer.lr_decay` in a recipe): the step counter and
        the moments still come from the checkpoint. An optimizer whose state
        cannot be mapped (another type, other layers) raises `ValueError`
        instead of silently starting over.
        """
        rates = _learning_rates(model)
        candidates = self.checkpoints()
        latest = self.latest()
        if latest in candidates:
            candidates.remove(latest)
            candidates.append(latest)
        errors = []
        for path in reversed(candidates):
            try:
                across = _load_weights(model, os.path.join(path, WEIGHTS))
                with open(os.path.join(path, STATE)) as f:
                    state = json.load(f)
                rng_path = os.path.join(path, RNG)
                rng = None
                if os.path.exists(rng_path) and state.get("backend") == keras.backend.backend():
                    rng = np.load(rng_path, allow_pickle=False)
            except _OptimizerMismatch:
                raise  # every checkpoint of the run has the same layout
            except Exception as e:  # damaged: try the previous one
                errors.append(f"{path}: {type(e).__name__}: {e}")
                continue
            if self.verbose:
                print(f"Checkpoint: resumed from {path} (step {state['step']}, "
                      f"epoch {state['epoch'] + 1}, batch {state['batch']})")
                for name in across:
                    print(f"Checkpoint: {name} resumed with its step counter and moments; "
                          "its learning rate changed between a number and a schedule")
            for variable, name, value in rates:
                saved = float(keras.ops.convert_to_numpy(variable))
                if saved != value:
                    variable.assign(value)
                    if self.verbose:
                        print(f"Checkpoint: {name} learning rate {value:g} (the checkpoint "
                              f"had {saved:g})")
            state["path"] = path
            # Mid-epoch, the saved global RNG state is what the next batch
            # saw; starting the data iterator draws from it (torch's
            # DataLoader does), so it is set right before that batch.
            # At an epoch boundary the iterator comes next, as it did then.
            self._pending_rng = None
            if rng is not None:
                if state["batch"]:
                    self._pending_rng = rng
                else:
                    backend.set_global_rng_state(rng)
            return state
        if errors:
            raise OSError("No checkpoint in {} could be loaded: {}".format(
                self.directory, "; ".join(errors)))
        return None

    def data_seed(self, model=None):
        """The data-order seed: a keras_gan dataset's own, `seed`, else the GAN's, else 0."""
        if getattr(self, "dataset_seed", None) is not None:
            return int(self.dataset_seed)
        if self.seed is not None:
            return int(self.seed)
        return int(getattr(model or self.model, "seed", None) or 0)

    # ------------------------------------------------------------- callbacks
    def on_train_begin(self, logs=None):
        _sync(self.model)
        # Counted here: on JAX the model's variables lag behind during fit.
        self._step = int(ops.convert_to_numpy(self.model.optimizer.iterations))

    def on_train_batch_begin(self, batch, logs=None):
        if self._pending_rng is not None:
            backend.set_global_rng_state(self._pending_rng)
            self._pending_rng = None

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch
        self._batch = self.batch_offset if epoch == self.offset_epoch else 0

    def on_train_batch_end(self, batch, logs=None):
        self._batch += 1
        self._step += 1
        if self.save_freq != "epoch" and self._step % self.save_freq == 0:
            self.save(self._epoch, self._batch)

    def on_epoch_end(self, epoch, logs=None):
        self.offset_epoch = None
        if self.epoch_freq and (epoch + 1) % self.epoch_freq == 0:
            self.save(epoch + 1, 0)
