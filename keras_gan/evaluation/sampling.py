"""Drawing a fixed, seeded set of samples from a GAN or a generator model."""

import numpy as np

from keras_gan.validation import check_positive_int


def balanced_labels(n, num_classes):
    """`[0, 1, ..., K-1, 0, 1, ...]`: equal numbers of every class."""
    return (np.arange(n) % num_classes).astype("int32")


def labels_in_shares(n, data_labels, num_classes=None):
    """`n` class labels whose counts follow the class shares of `data_labels`.

    A class-conditional generator has no class shares of its own: scored
    with equal shares, its samples differ from data whose classes are not
    balanced (MNIST: 9.0 % fives, 11.2 % ones) by the evaluator's choice,
    not the model's. These labels ask for each class as often as the data
    has it. Counts are `n * share` rounded by largest remainder (Hamilton's
    method), so they sum to `n`; labels come in class order.

    Args:
        n: number of labels.
        data_labels: integer class labels of the data (e.g. the training
            labels), any shape.
        num_classes: number of classes (default: the largest label + 1).

    Returns:
        An int32 array `(n,)`.

    Example:
        >>> labels = labels_in_shares(10000, y_train)   # 1,124 ones, 904 fives, ...
        >>> evaluator.score_generator(G, 10000, labels=labels)
    """
    n = check_positive_int("n", n)
    data_labels = np.asarray(data_labels).reshape(-1)
    if data_labels.size == 0 or not np.issubdtype(data_labels.dtype, np.integer) \
            or data_labels.min() < 0:
        raise ValueError("data_labels must be non-negative integer class labels. Received: "
                         f"data_labels with dtype={data_labels.dtype}, size={data_labels.size}")
    top = int(data_labels.max()) + 1
    if num_classes is None:
        num_classes = top
    num_classes = check_positive_int("num_classes", num_classes)
    if top > num_classes:
        raise ValueError(f"data_labels has class {top - 1}, outside [0, {num_classes}). "
                         f"Received: num_classes={num_classes}")
    exact = np.bincount(data_labels, minlength=num_classes) * (n / data_labels.size)
    counts = np.floor(exact).astype(np.int64)
    remainder = exact - counts
    counts[np.argsort(-remainder, kind="stable")[:n - counts.sum()]] += 1
    return np.repeat(np.arange(num_classes), counts).astype("int32")


def draw_samples(generator, n_samples, seed=0, labels=None, batch_size=500, use_ema=None,
                 verbose=0):
    """`(images, labels, data_range)` drawn from `generator` with a fixed seed.

    Args:
        generator: a `keras_gan.GAN` / `ConditionalGAN`, or a generator
            `keras.Model` taking noise `(N, latent_dim)` or `[noise, labels]`
            and returning images in [-1, 1].
        n_samples: how many.
        seed: noise seed.
        labels: classes for conditional generators (default balanced).
        batch_size: samples per call.
        use_ema: GANs only: which generator to use.
        verbose: 1 shows a progress bar.

    Returns:
        numpy images, int labels or None, and the images' value range.
    """
    from keras_gan.generator import Generator

    generator = Generator.from_gan(generator, use_ema=use_ema, labels=labels)
    if generator.conditional and labels is None:
        labels = balanced_labels(n_samples, generator.num_classes)
    if labels is not None:
        labels = np.asarray(labels).astype("int32").reshape(-1)
        if len(labels) != n_samples:
            raise ValueError(
                f"Expected {n_samples} labels. Received: labels.shape={labels.shape}"
            )
    images = generator.generate(n_samples, labels=labels, seed=seed, batch_size=batch_size,
                                verbose=verbose)
    return images, labels, generator.data_range or (-1.0, 1.0)
