"""Exact resume after SIGKILL, atomic saves, BackupAndRestore, divergence guards."""

import json
import os
import signal
import subprocess
import sys

import keras
import numpy as np
import pytest

import keras_gan
from helpers import all_state
from helpers import tiny_gan
from helpers import tiny_images

HERE = os.path.dirname(os.path.abspath(__file__))
WORKER = os.path.join(HERE, "resume_worker.py")


def run_worker(out, *args):
    env = dict(os.environ, KERAS_BACKEND=keras.backend.backend(), TF_CPP_MIN_LOG_LEVEL="3")
    return subprocess.run([sys.executable, WORKER, str(out), *args], env=env,
                          capture_output=True, text=True, timeout=600)


def load_final(out):
    with np.load(os.path.join(out, "final.npz")) as f:
        arrays = [f[f"arr_{i}"] for i in range(len(f.files) - 1)]
        return arrays, int(f["step"])


def test_sigkill_mid_epoch_then_resume_matches_uninterrupted_run(tmp_path):
    straight, crashed = tmp_path / "straight", tmp_path / "crashed"
    proc = run_worker(straight)
    assert proc.returncode == 0, proc.stderr[-3000:]
    # 5 batches per epoch; checkpoints every 2 steps; killed after step 7
    # (epoch 2, batch 2), i.e. one step after the step-6 checkpoint.
    proc = run_worker(crashed, "--kill-at-step", "7")
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-3000:]
    assert not (crashed / "final.npz").exists()
    ckpt = crashed / "ckpt"
    latest = (ckpt / "latest").read_text()
    assert latest == "ckpt-0000000006"
    state = json.loads((ckpt / latest / "state.json").read_text())
    assert (state["epoch"], state["batch"], state["step"]) == (1, 1, 6)
    assert not [n for n in os.listdir(ckpt) if ".tmp-" in n]
    proc = run_worker(crashed)  # the same command again: resumes
    assert proc.returncode == 0, proc.stderr[-3000:]
    expected, step_a = load_final(straight)
    resumed, step_b = load_final(crashed)
    assert step_a == step_b == 15
    assert len(expected) == len(resumed)
    for a, b in zip(expected, resumed, strict=True):
        # CPU runs of all three backends are deterministic here: bit-identical.
        np.testing.assert_array_equal(a, b)


def test_resume_skips_seen_batches_in_order(tmp_path):
    """The data order of a resumed epoch continues exactly where it stopped."""
    x = np.arange(10, dtype="float32")[:, None].repeat(64, 1).reshape(10, 8, 8, 1) / 10
    order = keras_gan.training.EpochBatches(x, batch_size=3, seed=5)
    full = [order[i][:, 0, 0, 0].tolist() for i in range(len(order))]
    partial = keras_gan.training.EpochBatches(x, batch_size=3, seed=5, start_batch=2)
    seen = [partial[i][:, 0, 0, 0].tolist() for i in range(len(partial))]
    assert seen == full[2:]
    assert sorted(sum(full, [])) == sorted(x[:, 0, 0, 0].tolist())
    other_epoch = keras_gan.training.EpochBatches(x, batch_size=3, seed=5, first_epoch=1)
    assert [other_epoch[i][:, 0, 0, 0].tolist() for i in range(4)] != full


def test_checkpoint_restores_everything_and_finished_run_is_a_no_op(tmp_path):
    x = tiny_images(32)
    ckpt = keras_gan.callbacks.Checkpoint(tmp_path / "c", save_freq="epoch")
    gan = tiny_gan(ema_decay=0.9, seed=1)
    gan.compile()
    gan.fit(x, epochs=2, batch_size=8, callbacks=[ckpt], verbose=0)
    before = all_state(gan)
    fresh = tiny_gan(ema_decay=0.9, seed=1)
    fresh.compile()
    history = fresh.fit(x, epochs=2, batch_size=8, callbacks=[
        keras_gan.callbacks.Checkpoint(tmp_path / "c")], verbose=0)
    assert history.epoch == []  # already done: nothing trained
    for a, b in zip(before, all_state(fresh), strict=True):
        np.testing.assert_array_equal(a, b)


def test_checkpoint_keeps_last_n_and_survives_a_damaged_latest(tmp_path):
    x = tiny_images(32)
    ckpt = keras_gan.callbacks.Checkpoint(tmp_path, save_freq=2, keep=2)
    gan = tiny_gan()
    gan.compile()
    gan.fit(x, epochs=2, batch_size=8, callbacks=[ckpt], verbose=0)
    names = [os.path.basename(p) for p in ckpt.checkpoints()]
    assert names == ["ckpt-0000000006", "ckpt-0000000008"]
    # Damage the newest weights file: restore falls back to the one before.
    with open(os.path.join(ckpt.checkpoints()[-1], "gan.weights.h5"), "wb") as f:
        f.write(b"garbage")
    other = tiny_gan()
    other.compile()
    state = keras_gan.callbacks.Checkpoint(tmp_path).restore(other)
    assert state["step"] == 6 and int(other.optimizer.iterations) == 6


@pytest.mark.parametrize("crash_at", ["epoch_end", "mid_epoch"])
def test_backup_and_restore_after_a_crash_in_a_fresh_process(tmp_path, crash_at):
    """Crash at the end of epoch 2, or inside it, then rerun as a new process would.

    The rerun seeds afresh, as a new process does. D keeps its unseeded
    Dropout: on torch its masks come from torch's global RNG, which the
    GAN's `save_weights` stores, so the resumed run ends with the
    uninterrupted run's weights on every backend.
    """
    x = tiny_images(32)

    def make():
        gan = tiny_gan(ema_decay=0.9, seed=2)
        gan.compile()
        return gan

    keras.utils.set_random_seed(11)
    straight = make()
    straight.fit(x, epochs=3, batch_size=8, shuffle=False, verbose=0)

    class Crash(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.epoch = epoch

        def on_train_batch_end(self, batch, logs=None):
            if crash_at == "mid_epoch" and self.epoch == 1 and batch == 2:
                raise RuntimeError("crash")

        def on_epoch_end(self, epoch, logs=None):
            if crash_at == "epoch_end" and epoch == 1:
                raise RuntimeError("crash")

    backup = str(tmp_path / "backup")
    keras.utils.set_random_seed(11)
    first = make()
    with pytest.raises(RuntimeError, match="crash"):
        first.fit(x, epochs=3, batch_size=8, shuffle=False, verbose=0, callbacks=[
            keras.callbacks.BackupAndRestore(backup), Crash()])
    keras.utils.set_random_seed(11)  # a fresh process: the same seed as at the start
    second = make()
    second.fit(x, epochs=3, batch_size=8, shuffle=False, verbose=0,
               callbacks=[keras.callbacks.BackupAndRestore(backup)])
    assert int(second.optimizer.iterations) == 12
    for a, b in zip(all_state(straight), all_state(second), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


def _poison(gan):
    keras_gan.callbacks.checkpoint._sync(gan)  # JAX: bring the live state back first
    kernel = gan.discriminator.trainable_variables[0]
    value = keras.ops.convert_to_numpy(kernel.value).copy()
    value.flat[0] = np.nan
    kernel.assign(value)


def test_divergence_stops_with_step_and_last_good_checkpoint(tmp_path):
    x = tiny_images(32)
    gan = tiny_gan()
    gan.compile()
    ckpt = keras_gan.callbacks.Checkpoint(tmp_path, save_freq=2)

    class Poison(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            if batch == 2:
                _poison(gan)

    with pytest.raises(keras_gan.errors.DivergenceError,
                       match=r"step [0-9]+: non-finite .*ckpt-0000000002"):
        gan.fit(x, epochs=2, batch_size=8, verbose=0, callbacks=[
            Poison(), keras_gan.callbacks.DivergenceGuard(), ckpt])
    # The poisoned state was never written: every checkpoint loads finite.
    for path in ckpt.checkpoints():
        fresh = tiny_gan()
        fresh.compile()
        fresh.load_weights(os.path.join(path, "gan.weights.h5"))
        assert not keras_gan.callbacks.checkpoint.nonfinite_weights(fresh)


def test_checkpoint_refuses_to_save_nonfinite_weights(tmp_path):
    gan = tiny_gan()
    gan.compile()
    gan.fit(tiny_images(16), epochs=1, batch_size=8, verbose=0)
    _poison(gan)
    ckpt = keras_gan.callbacks.Checkpoint(tmp_path)
    ckpt.set_model(gan)
    with pytest.raises(keras_gan.errors.DivergenceError, match="Not saving"):
        ckpt.save(1, 0)
    assert ckpt.checkpoints() == []


def test_save_is_atomic_when_interrupted(tmp_path, monkeypatch):
    gan = tiny_gan()
    gan.compile()
    path = str(tmp_path / "gan.keras")
    gan.save(path)
    good = open(path, "rb").read()

    def broken_save(self, filepath, *args, **kwargs):
        with open(filepath, "wb") as f:
            f.write(b"half a zip file")
        raise KeyboardInterrupt("killed mid-save")

    monkeypatch.setattr(keras.Model, "save", broken_save)
    with pytest.raises(KeyboardInterrupt):
        gan.save(path)
    with pytest.raises(KeyboardInterrupt):
        gan.export_generator(str(tmp_path / "g.keras"))
    monkeypatch.undo()
    assert open(path, "rb").read() == good
    assert sorted(os.listdir(tmp_path)) == ["gan.keras"]  # no temp files left
    assert isinstance(keras.saving.load_model(path), keras_gan.GAN)


def test_checkpoint_argument_errors(tmp_path):
    with pytest.raises(ValueError, match="save_freq=0"):
        keras_gan.callbacks.Checkpoint(tmp_path, save_freq=0)
    with pytest.raises(ValueError, match="keep=0"):
        keras_gan.callbacks.Checkpoint(tmp_path, keep=0)
    with pytest.raises(ValueError, match="action='ignore'"):
        keras_gan.callbacks.DivergenceGuard(action="ignore")
    gan = tiny_gan()
    gan.compile()
    with pytest.raises(ValueError, match="steps_per_epoch=2"):
        gan.fit(tiny_images(16), batch_size=8, steps_per_epoch=2,
                callbacks=[keras_gan.callbacks.Checkpoint(tmp_path)])


def test_same_seed_twice_gives_identical_loss_curves():
    x = tiny_images(40, seed=3)
    runs = []
    for _ in range(2):
        keras.utils.set_random_seed(5)
        gan = tiny_gan(penalty=keras_gan.penalties.R1(gamma=1.0, interval=2), seed=9)
        gan.compile()
        runs.append(gan.fit(x, epochs=2, batch_size=8, verbose=0).history)
    assert runs[0] == runs[1]  # exactly equal, every logged value
    assert len(runs[0]["d_loss"]) == 2


def test_pydataset_resume_skips_seen_batches(tmp_path):
    class Batches(keras.utils.PyDataset):
        def __init__(self):
            super().__init__()
            self.x = tiny_images(24, seed=4)

        def __len__(self):
            return 3

        def __getitem__(self, i):
            return self.x[i * 8:(i + 1) * 8]

    def make():
        keras.utils.set_random_seed(1)
        gan = tiny_gan(seed=4)
        gan.compile()
        return gan

    straight = make()
    straight.fit(Batches(), epochs=2, verbose=0,
                 callbacks=[keras_gan.callbacks.Checkpoint(tmp_path / "a", save_freq=1)])

    class Stop(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            if int(self.model.optimizer.iterations) == 5:
                raise KeyboardInterrupt

    first = make()
    with pytest.raises(KeyboardInterrupt):
        first.fit(Batches(), epochs=2, verbose=0, callbacks=[
            keras_gan.callbacks.Checkpoint(tmp_path / "b", save_freq=1), Stop()])
    resumed = make()
    history = resumed.fit(Batches(), epochs=2, verbose=0, callbacks=[
        keras_gan.callbacks.Checkpoint(tmp_path / "b", save_freq=1)])
    assert int(resumed.optimizer.iterations) == 6 and history.epoch == [1]
    for a, b in zip(all_state(straight), all_state(resumed), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


def test_crash_while_writing_a_checkpoint_keeps_the_previous_one(tmp_path, monkeypatch):
    gan = tiny_gan()
    gan.compile()
    ckpt = keras_gan.callbacks.Checkpoint(tmp_path, save_freq="epoch")
    gan.fit(tiny_images(16), epochs=1, batch_size=8, verbose=0, callbacks=[ckpt])
    assert (tmp_path / "latest").read_text() == "ckpt-0000000002"

    def dying_save_weights(self, filepath, *args, **kwargs):
        with open(filepath, "wb") as f:
            f.write(b"partial")
        raise KeyboardInterrupt("killed while saving")

    monkeypatch.setattr(keras_gan.GAN, "save_weights", dying_save_weights)
    with pytest.raises(KeyboardInterrupt):
        gan.fit(tiny_images(16), epochs=2, batch_size=8, verbose=0, callbacks=[ckpt])
    monkeypatch.undo()
    assert sorted(os.listdir(tmp_path)) == ["ckpt-0000000002", "latest"]
    fresh = tiny_gan()
    fresh.compile()
    assert keras_gan.callbacks.Checkpoint(tmp_path).restore(fresh)["step"] == 2


def test_changed_batch_size_is_refused_on_resume(tmp_path):
    gan = tiny_gan()
    gan.compile()
    x = tiny_images(16)
    gan.fit(x, epochs=1, batch_size=8, verbose=0,
            callbacks=[keras_gan.callbacks.Checkpoint(tmp_path)])
    with pytest.raises(ValueError, match="Received: 4 batches per epoch"):
        gan.fit(x, epochs=2, batch_size=4, verbose=0,
                callbacks=[keras_gan.callbacks.Checkpoint(tmp_path)])


@pytest.mark.parametrize("to_schedule", [True, False])
def test_resume_across_a_learning_rate_changed_to_or_from_a_schedule(tmp_path, to_schedule):
    # Keras skips (with a warning) an optimizer whose variable count changed,
    # which a schedule does to Adam: the step counter and moments must survive.
    x = tiny_images(32)
    decay = keras_gan.training.ConstantThenLinearDecay(2e-4, total_steps=8, decay_steps=4)

    def adam(lr):
        return keras.optimizers.Adam(lr, beta_1=0.5, beta_2=0.99)

    first = tiny_gan(seed=1)
    first.compile(adam(2e-4 if to_schedule else decay), adam(2e-4 if to_schedule else decay))
    first.fit(x, epochs=1, batch_size=8, verbose=0,
              callbacks=[keras_gan.callbacks.Checkpoint(tmp_path, save_freq="epoch")])
    g_before = [np.array(v) for v in first.generator_optimizer.variables]
    d_before = [np.array(v) for v in first.discriminator_optimizer.variables]

    second = tiny_gan(seed=1)
    second.compile(adam(decay if to_schedule else 2e-4), adam(decay if to_schedule else 2e-4))
    second.fit(x[:8], epochs=1, batch_size=8, verbose=0)  # build the optimizers
    state = keras_gan.callbacks.Checkpoint(tmp_path).restore(second)
    assert state["step"] == 4
    for before, opt in ((g_before, second.generator_optimizer),
                        (d_before, second.discriminator_optimizer)):
        after = [np.array(v) for v in opt.variables]
        assert len(after) == len(before) + (-1 if to_schedule else 1)
        assert int(after[0]) == int(before[0]) == 4
        slots_before = before[2:] if to_schedule else before[1:]
        slots_after = after[1:] if to_schedule else after[2:]
        for a, b in zip(slots_before, slots_after, strict=True):
            np.testing.assert_array_equal(a, b)
        assert any(np.abs(a).sum() > 0 for a in slots_after)  # real moments, not zeros
    if not to_schedule:  # the rate set at compile wins
        assert float(second.generator_optimizer.learning_rate) == pytest.approx(2e-4)
    for a, b in zip(first.get_weights(), second.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_resume_with_another_optimizer_is_refused(tmp_path):
    x = tiny_images(16)
    first = tiny_gan(seed=1)
    first.compile()
    first.fit(x, epochs=1, batch_size=8, verbose=0,
              callbacks=[keras_gan.callbacks.Checkpoint(tmp_path, save_freq="epoch")])
    second = tiny_gan(seed=1)
    second.compile(keras.optimizers.SGD(1e-3), keras.optimizers.SGD(1e-3))
    second.fit(x[:8], epochs=1, batch_size=8, verbose=0)
    with pytest.raises(ValueError, match=r"does not match.*Received: .*optimizer=SGD"):
        keras_gan.callbacks.Checkpoint(tmp_path).restore(second)
