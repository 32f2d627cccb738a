"""TimeLimit: stops fit once a wall-clock budget is spent, across fit calls."""

import keras
import pytest
from helpers import tiny_gan
from helpers import tiny_images

import keras_gan
from keras_gan.callbacks import time_limit


class FakeClock:
    """time.monotonic that moves `tick` seconds at every read."""

    def __init__(self, tick):
        self.now, self.tick = 1000.0, tick

    def __call__(self):
        self.now += self.tick
        return self.now


def test_stops_after_the_batch_that_crosses_the_budget(monkeypatch, capsys):
    # 25 s per clock read: on_train_begin reads once, each batch end once,
    # so batch k (1-based) ends at 25 * k s; a 1-minute budget ends at batch 3.
    monkeypatch.setattr(time_limit, "_clock", FakeClock(25.0))
    x = tiny_images(32)
    gan = tiny_gan()
    gan.compile()
    limit = keras_gan.callbacks.TimeLimit(minutes=1)
    history = gan.fit(x, epochs=4, batch_size=4, verbose=0, callbacks=[limit])
    assert limit.expired
    assert int(keras.ops.convert_to_numpy(gan.optimizer.iterations)) == 3
    assert len(history.epoch) == 1  # stopped inside the first of 4 epochs (8 batches each)
    assert "TimeLimit: 1.25 of 1 minutes of training spent; stopping." in capsys.readouterr().out

    # The budget is shared: a later fit with the same callback runs one batch only.
    gan.fit(x, epochs=2, batch_size=4, verbose=0, callbacks=[limit])
    assert int(keras.ops.convert_to_numpy(gan.optimizer.iterations)) == 4


def test_a_budget_not_reached_changes_nothing(monkeypatch):
    monkeypatch.setattr(time_limit, "_clock", FakeClock(0.001))
    x = tiny_images(32)
    gan = tiny_gan()
    gan.compile()
    limit = keras_gan.callbacks.TimeLimit(minutes=5, verbose=False)
    gan.fit(x, epochs=2, batch_size=8, verbose=0, callbacks=[limit])
    assert not limit.expired
    assert int(keras.ops.convert_to_numpy(gan.optimizer.iterations)) == 8
    assert 0 < limit.elapsed < 1


@pytest.mark.parametrize("minutes", [0, -1, float("nan"), float("inf"), "6", True, None])
def test_rejects_a_bad_budget(minutes):
    with pytest.raises(ValueError, match=r"Received: minutes="):
        keras_gan.callbacks.TimeLimit(minutes)
