"""`save_history_plot`: training curves of a GAN as one PNG."""

import os

from keras_gan.utils.atomic import atomic_path

# Panels: (title, [(log key, legend label)], y label). FID gets a log axis.
PANELS = (
    ("Losses", [("d_loss", "D loss"), ("g_loss", "G loss"), ("penalty", "penalty")], "loss"),
    ("D's mean logits", [("d_real", "on real"), ("d_fake", "on fake")], "logit"),
    ("Sample quality", [("fid", "FID")], "FID (log scale)"),
)


def save_history_plot(history, path, steps_per_epoch=None, title=None, steps=None):
    """Writes the training curves of a `fit` history as a PNG.

    Panels: D and G losses (and the penalty), D's mean logits on real and
    fake data, and FID when an `EvaluationCallback` logged it (with `val_`
    curves from `fit(validation_data=...)` drawn dashed). Uses matplotlib's
    non-interactive Agg canvas; the file is written atomically.

    Args:
        history: a `keras.callbacks.History`, or its `history` dict
            (`{log key: [one value per epoch]}`).
        path: the `.png` to write.
        steps_per_epoch: x axis in training steps when given, else epochs.
        title: figure title.
        steps: the training step at the end of each epoch (x axis in steps);
            exact where epochs differ in length (a short last epoch, one cut
            by `TimeLimit`), and used instead of `steps_per_epoch`.

    Returns:
        `path`.

    Example:
        >>> h = gan.fit(x, epochs=10)
        >>> save_history_plot(h, "history.png", steps_per_epoch=len(x) // 32)
    """
    from matplotlib.figure import Figure

    logs = getattr(history, "history", history)
    panels = [p for p in PANELS if any(k in logs or "val_" + k in logs for k, _ in p[1])]
    if not panels:
        raise ValueError(
            "Nothing to plot: the history has none of d_loss, g_loss, d_real, d_fake, fid. "
            f"Received: keys={sorted(logs)}"
        )
    if steps is not None:
        steps = [int(s) for s in steps]
        lengths = {k: len(v) for k, v in logs.items()
                   if v and k.removeprefix("val_") in {k for p in PANELS for k, _ in p[1]}}
        bad = {k: n for k, n in lengths.items() if n != len(steps)}
        if bad:
            raise ValueError(
                f"steps has one entry per epoch, {len(steps)}, but the history has "
                f"{bad}. Received: steps={steps}"
            )
    fig = Figure(figsize=(4.2 * len(panels), 3.4), dpi=100)
    axes = fig.subplots(1, len(panels), squeeze=False)[0]
    for ax, (name, keys, ylabel) in zip(axes, panels):
        for key, label in keys:
            for prefix, style in (("", "-"), ("val_", "--")):
                values = logs.get(prefix + key)
                if not values:
                    continue
                xs = steps if steps is not None else [
                    (i + 1) * (steps_per_epoch or 1) for i in range(len(values))]
                ax.plot(xs, values, style, marker="o" if len(values) < 30 else None,
                        markersize=3, label=("held-out " if prefix else "") + label)
        if name == "Sample quality":
            ax.set_yscale("log")
        ax.set_title(name)
        ax.set_xlabel("step" if steps_per_epoch or steps is not None else "epoch")
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
