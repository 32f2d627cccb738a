"""Drawing a fixed, seeded set of samples from a GAN or a generator model."""

import keras
import numpy as np
from keras import ops


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


def draw_samples(generator, n_samples, seed=0, labels=None, batch_size=500, use_ema=None):
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

    Returns:
        numpy images, int labels or None, and the images' value range.
    """
    if _is_gan(generator):
        num_classes = getattr(generator, "num_classes", None)
        if num_classes is not None and labels is None:
            labels = balanced_labels(n_samples, num_classes)
        kwargs = {} if num_classes is None else {"labels": labels}
        images = generator.generate(n_samples, seed=seed, use_ema=use_ema,
                                    batch_size=batch_size, **kwargs)
        low, high = generator.data_range
        return images, labels, (low, high)
    from keras_gan.generator import Generator

    if isinstance(generator, Generator):
        if use_ema:
            raise ValueError(
                "use_ema applies to keras_gan.GAN objects only. Received: use_ema=True"
            )
        if generator.conditional and labels is None:
            labels = balanced_labels(n_samples, generator.num_classes)
        images = generator.generate(n_samples, labels=labels, seed=seed, batch_size=batch_size)
        return images, labels, generator.data_range or (-1.0, 1.0)
    if not isinstance(generator, keras.Model):
        raise ValueError(
            "Expected a keras_gan.GAN or a generator keras.Model. "
            f"Received: generator={type(generator).__name__}"
        )
    if use_ema:
        raise ValueError("use_ema applies to keras_gan.GAN objects only. Received: use_ema=True")
    inputs = generator.inputs
    latent_dim = int(inputs[0].shape[-1])
    conditional = len(inputs) == 2
    if conditional and labels is None:
        classes = _embedding_classes(generator)
        if classes is None:
            raise ValueError(
                "This generator takes labels; pass labels=... (one class per sample)."
            )
        labels = balanced_labels(n_samples, classes)
    if labels is not None:
        labels = np.asarray(labels).astype("int32").reshape(-1)
        if len(labels) != n_samples:
            raise ValueError(
                f"Expected {n_samples} labels. Received: labels.shape={labels.shape}"
            )
    z = np.random.default_rng(seed).standard_normal((n_samples, latent_dim)).astype("float32")
    out = []
    for s in range(0, n_samples, batch_size):
        args = [z[s:s + batch_size]]
        if conditional:
            args.append(labels[s:s + batch_size])
        x = generator(args if conditional else args[0], training=False)
        out.append(ops.convert_to_numpy(x))
    return np.concatenate(out), labels, (-1.0, 1.0)
