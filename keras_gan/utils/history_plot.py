"""`save_history_plot`: training curves of a GAN as one PNG."""

import os

from keras_gan.utils.atomic import atomic_path

# Panels: (title, [(log key, legend label)], y label). FID gets a log axis.
PANELS = (
    ("Losses", [("d_loss", "D loss"), ("g_loss", "G loss"), ("penalty", "penalty")], "loss"),
    ("D's mean logits", [("d_real", "on real"), ("d_fake", "on fake")], "logit"),
    ("Sample quality", [("fid", "FID")], "FID (log scale)"),
)
PLOTTED = {prefix + key for _, keys, _ in PANELS for key, _ in keys for prefix in ("", "val_")}


def save_history_plot(history, path, steps_per_epoch=None, title=None):
    """Writes the training curves of a `fit` history as a PNG.

    Panels: D and G losses (and the penalty), D's mean logits on real and
    fake data, and FID when an `EvaluationCallback` logged it (with `val_`
    curves from `fit(validation_data=...)` drawn dashed). Uses matplotlib's
    non-interactive Agg canvas; the file is written atomically.

    Args:
        history: a `keras.callbacks.History`, its `history` dict
            (`{log key: [one value per epoch]}`), a
            `keras_gan.callbacks.StepHistory`, or its list of per-epoch log
            dicts, each with the training `"step"` at which its epoch ended.
            The list is exact where epochs differ in length (a last epoch cut
            by `TimeLimit`, a resumed one) and where a key is logged only in
            some epochs (an `EvaluationCallback` with `every > 1`).
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
                if k in PLOTTED:
                    xs, ys = series.setdefault(k, ([], []))
                    xs.append(int(record["step"]))
                    ys.append(float(v))
        xlabel = "step"
    panels = [p for p in PANELS if any(k in series or "val_" + k in series for k, _ in p[1])]
    if not panels:
        raise ValueError(
            "Nothing to plot: the history has none of d_loss, g_loss, d_real, d_fake, fid. "
            f"Received: keys={sorted(series)}"
        )
    fig = Figure(figsize=(4.2 * len(panels), 3.4), dpi=100)
    axes = fig.subplots(1, len(panels), squeeze=False)[0]
    for ax, (name, keys, ylabel) in zip(axes, panels):
        for key, label in keys:
            for prefix, style in (("", "-"), ("val_", "--")):
                xs, values = series.get(prefix + key, ((), ()))
                if not values:
                    continue
                ax.plot(xs, values, style, marker="o" if len(values) < 30 else None,
                        markersize=3, label=("held-out " if prefix else "") + label)
        if name == "Sample quality":
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
