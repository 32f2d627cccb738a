"""`save_history_plot`: the curves a user looks at after training."""

import numpy as np
import pytest
from PIL import Image

from keras_gan.utils.history_plot import save_history_plot

pytestmark = pytest.mark.once  # matplotlib only


def _ink(png):
    """Non-white pixels per column third: which panels have content."""
    a = np.asarray(Image.open(png).convert("L"))
    thirds = np.array_split(a, 3, axis=1)
    return [int((t < 200).sum()) for t in thirds]


def test_panels_follow_the_logged_keys(tmp_path):
    losses = {"d_loss": [1.3, 1.2, 1.25], "g_loss": [0.8, 0.9, 0.85],
              "d_real": [0.1, 0.2, 0.3], "d_fake": [-0.1, -0.2, -0.1]}
    two = save_history_plot(losses, str(tmp_path / "two.png"), steps_per_epoch=100)
    three = save_history_plot({**losses, "fid": [80.0, 20.0, 9.0],
                               "val_d_loss": [1.4, 1.3, 1.3]}, str(tmp_path / "three.png"),
                              title="test")
    w2, h2 = Image.open(two).size
    w3, h3 = Image.open(three).size
    assert h2 == h3 and w3 > w2  # one panel more for FID
    assert all(ink > 500 for ink in _ink(three))  # every panel drew something
    with pytest.raises(ValueError, match=r"Nothing to plot.*Received: keys=\['loss'\]"):
        save_history_plot({"loss": [1.0]}, str(tmp_path / "x.png"))


def test_per_epoch_logs_place_each_point_at_its_step(tmp_path, monkeypatch):
    # Chunks of 100 steps, the last cut at step 230 by a time limit, and FID
    # scored every second epoch: each point at the step its epoch ended.
    from matplotlib.axes import Axes

    drawn = []
    plot = Axes.plot
    monkeypatch.setattr(Axes, "plot", lambda ax, xs, ys, *a, **k: (
        drawn.append((list(xs), list(ys))), plot(ax, xs, ys, *a, **k))[1])
    epoch_logs = [{"step": 100, "d_loss": 1.3, "loss": 9.0},
                  {"step": 200, "d_loss": 1.2, "fid": 20.0},
                  {"step": 230, "d_loss": 1.25}]
    save_history_plot(epoch_logs, str(tmp_path / "cut.png"))
    assert drawn == [([100, 200, 230], [1.3, 1.2, 1.25]), ([200], [20.0])]
    # The History dict puts epoch i at i * steps_per_epoch.
    drawn.clear()
    save_history_plot({"d_loss": [1.3, 1.2, 1.25]}, str(tmp_path / "even.png"),
                      steps_per_epoch=100)
    assert drawn == [([100, 200, 300], [1.3, 1.2, 1.25])]
    with pytest.raises(ValueError, match=r"needs the training step.*"
                                         r"Received: history\[1\] with keys=\['d_loss'\]"):
        save_history_plot([{"step": 1, "d_loss": 1.0}, {"d_loss": 1.0}],
                          str(tmp_path / "x.png"))
