"""StepHistory: each epoch's logs at the optimizer step it ended, across fit calls."""

import keras
import numpy as np
import pytest
from helpers import tiny_gan
from helpers import tiny_images

import keras_gan


def test_records_the_step_each_epoch_ended_across_fit_calls():
    x = tiny_images(30)  # batches of 8: 3 full and a short one, 4 steps an epoch
    gan = tiny_gan()
    gan.compile()
    steps = keras_gan.callbacks.StepHistory()
    first = gan.fit(x, epochs=2, batch_size=8, verbose=0, callbacks=[steps])
    # A second fit call with the same instance (a resumed run) keeps adding.
    second = gan.fit(x[:16], epochs=1, batch_size=8, verbose=0, callbacks=[steps])
    assert [e["step"] for e in steps.history] == [4, 8, 10]
    assert int(keras.ops.convert_to_numpy(gan.optimizer.iterations)) == 10
    # The values are what fit logged at those epoch ends (History has them by index).
    logged = {k: first.history[k] + second.history[k] for k in first.history}
    for key, values in logged.items():
        np.testing.assert_allclose([e[key] for e in steps.history], values, rtol=1e-6)
    assert {"d_loss", "g_loss"} <= set(steps.history[0])
    assert all(type(v) is float for e in steps.history for k, v in e.items() if k != "step")


@pytest.mark.once  # matplotlib only
def test_save_history_plot_draws_it_at_its_steps(tmp_path, monkeypatch):
    from matplotlib.axes import Axes

    steps = keras_gan.callbacks.StepHistory()
    steps.history = [{"step": 100, "d_loss": 1.3}, {"step": 230, "d_loss": 1.2}]
    drawn = []
    plot = Axes.plot
    monkeypatch.setattr(Axes, "plot", lambda ax, xs, ys, *a, **k: (
        drawn.append((list(xs), list(ys))), plot(ax, xs, ys, *a, **k))[1])
    keras_gan.save_history_plot(steps, str(tmp_path / "h.png"))
    assert drawn == [([100, 230], [1.3, 1.2])]
