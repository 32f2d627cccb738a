"""Drawing a fixed, seeded set of samples from a GAN or a generator model."""

import keras
import numpy as np


def _is_gan(obj):
    from keras_gan.gan import GAN

    return isinstance(obj, GAN)


def balanced_labels(n, num_classes):
    """`[0, 1, ..., K-1, 0, 1, ...]`: equal numbers of every class."""
    return (np.arange(n) % num_classes).astype("int32")


def _embedding_classes(model):
    for layer in model._flatten_layers(include_self=False):
        if isinstance(layer, keras.layers.Embedding):
            return int(layer.input_dim)
    return None


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

    if _is_gan(generator):
        generator = generator.as_generator(use_ema)
    elif use_ema:
        raise ValueError("use_ema applies to keras_gan.GAN objects only. Received: use_ema=True")
    if not isinstance(generator, Generator):
        generator = _as_generator(generator, labels)
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


def _as_generator(model, labels):
    """A plain generator `keras.Model` (noise, or [noise, labels]) as a `Generator`."""
    from keras_gan.generator import Generator

    if not isinstance(model, keras.Model):
        raise ValueError(
            "Expected a keras_gan.GAN or a generator keras.Model. "
            f"Received: generator={type(model).__name__}"
        )
    inputs = model.inputs
    num_classes = None
    if len(inputs) == 2:
        num_classes = _embedding_classes(model)
        if num_classes is None and labels is None:
            raise ValueError(
                "This generator takes labels; pass labels=... (one class per sample). "
                "Received: labels=None"
            )
        if num_classes is None:
            num_classes = max(2, int(np.max(labels)) + 1)
    return Generator(model, latent_dim=int(inputs[0].shape[-1]), num_classes=num_classes)
