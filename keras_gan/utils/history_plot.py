"""`save_history_plot`: training curves of a GAN as one PNG."""

import os

from keras_gan.utils.atomic import atomic_path

# Training panels: (title, [(log key, legend label)], y label, log axis).
# After them, one panel per sample-quality `Column` found in the history:
# every registered metric's columns (keras_gan.metrics) are read, so a new
# metric logged by an `EvaluationCallback` is plotted with no edit here.
TRAINING_PANELS = (
    ("Losses", [("d_loss", "D loss"), ("g_loss", "G loss"), ("penalty", "penalty")], "loss",
     False),
    ("D's mean logits", [("d_real", "on real"), ("d_fake", "on fake")], "logit", False),
)


def _panels():
    from keras_gan.metrics import all_columns

    quality = tuple(
        (f"Sample quality: {c.label}", [(c.key, c.label)],
         c.label + (" (log scale)" if c.log_scale else ""), c.log_scale)
        for c in all_columns()
    )
    return TRAINING_PANELS + quality


def save_history_plot(history, path, steps_per_epoch=None, title=None):
    """Writes the training curves of a `fit` history as a PNG.

    Panels: D and G losses (and the penalty), D's mean logits on real and
    fake data, and one panel per sample-quality metric an
    `EvaluationCallback` logged (FID on a log axis; any registered
    metric's `columns`), with `val_` curves from
    `fit(validation_data=...)` drawn dashed. Uses matplotlib's
    non-interactive Agg canvas; the file is written atomically.

    Args:
        history: a `keras.callbacks.History`, its `history` dict
            (`{log key: [one value per epoch]}`), a
            `keras_gan.callbacks.StepHistory`, or its list of per-epoch log
            dicts, each with the training `"step"` at which its epoch ended.
            The list is exact where epochs differ in length (a last epoch cut
            by `TimeLimit`, a resumed one) and where a key is logged only in
            some epochs (an `EvaluationCallback` with `epoch_freq > 1`).
        path: the `.png` to write.
        steps_per_epoch: for a `History` or dict, the x axis in training
            steps (epoch `i` ends at step `i * steps_per_epoch`); else epochs.
        title: figure title.

    Returns:
        `path`.

    Example:
        >>> h = gan.fit(x, epochs=10)
        >>> save_history_plot(h, "history.png", steps_per_epoch=len(x) // 32)
        >>> # or, exact: each epoch at the step it ended
        >>> steps = keras_gan.callbacks.StepHistory()
        >>> gan.fit(x, epochs=10, callbacks=[steps])
        >>> save_history_plot(steps, "history.png")
    """
    from matplotlib.figure import Figure

    all_panels = _panels()
    plotted = {prefix + key for _, keys, _, _ in all_panels for key, _ in keys
               for prefix in ("", "val_")}
    history = getattr(history, "history", history)
    if isinstance(history, dict):
        scale = steps_per_epoch or 1
        series = {k: ([(i + 1) * scale for i in range(len(v))], list(v))
                  for k, v in history.items()}
        xlabel = "step" if steps_per_epoch else "epoch"
    else:
        series = {}
        for i, record in enumerate(history):
            if "step" not in record:
                raise ValueError(
                    "Each per-epoch log dict needs the training step its epoch ended at. "
                    f"Received: history[{i}] with keys={sorted(record)}"
                )
            for k, v in record.items():
                if k in plotted:
                    xs, ys = series.setdefault(k, ([], []))
                    xs.append(int(record["step"]))
                    ys.append(float(v))
        xlabel = "step"
    panels = [p for p in all_panels
              if any(k in series or "val_" + k in series for k, _ in p[1])]
    if not panels:
        keys = ", ".join(k for _, pairs, _, _ in all_panels for k, _ in pairs)
        raise ValueError(
            f"Nothing to plot: the history has none of {keys}. "
            f"Received: keys={sorted(series)}"
        )
    ncols = min(len(panels), 4)
    nrows = -(-len(panels) // ncols)
    fig = Figure(figsize=(4.2 * ncols, 3.4 * nrows), dpi=100)
    axes = list(fig.subplots(nrows, ncols, squeeze=False).ravel())
    for ax in axes[len(panels):]:
        ax.set_visible(False)
    for ax, (name, keys, ylabel, log_scale) in zip(axes, panels):
        for key, label in keys:
            for prefix, style in (("", "-"), ("val_", "--")):
                xs, values = series.get(prefix + key, ((), ()))
                if not values:
                    continue
                ax.plot(xs, values, style, marker="o" if len(values) < 30 else None,
                        markersize=3, label=("held-out " if prefix else "") + label)
        if log_scale:
            ax.set_yscale("log")
        ax.set_title(name)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png")
    return path
