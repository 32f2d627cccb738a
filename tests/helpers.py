"""Small models shared by the tests."""

import numpy as np

import keras_gan

IMAGE = (8, 8, 1)
LATENT = 6


def tiny_gan(conditional=False, **kwargs):
    """A small DCGAN pair on 8x8x1 images (dropout kept: RNG state matters)."""
    if conditional:
        G = keras_gan.models.conditional_dcgan_generator(
            LATENT, 3, IMAGE, embedding_dim=4, filters=(8, 8, 4)
        )
        D = keras_gan.models.conditional_dcgan_discriminator(3, IMAGE, filters=(4, 8))
        return keras_gan.ConditionalGAN(G, D, LATENT, num_classes=3, **kwargs)
    G = keras_gan.models.dcgan_generator(LATENT, IMAGE, filters=(8, 8, 4))
    D = keras_gan.models.dcgan_discriminator(IMAGE, filters=(4, 8))
    return keras_gan.GAN(G, D, LATENT, **kwargs)


def tiny_images(n=32, seed=0):
    rng = np.random.default_rng(seed)
    return rng.uniform(-1, 1, size=(n,) + IMAGE).astype("float32")


def tiny_labels(n=32, seed=0):
    return np.random.default_rng(seed).integers(0, 3, n).astype("int32")


def all_state(gan):
    """Every variable that defines a GAN's training state, as numpy."""
    arrays = [np.array(v) for v in gan.get_weights()]
    arrays += [np.array(v) for v in gan.optimizer.variables]
    arrays += [np.array(sg.state) for sg in gan._seed_generators_to_save()]
    return arrays


def mnist_gan(conditional=False, ema=0.9, train=True):
    """A very small DCGAN pair on 28x28x1 (the zoo shape), briefly trained."""
    if conditional:
        G = keras_gan.models.conditional_dcgan_generator(8, 10, (28, 28, 1), filters=(8, 8, 8))
        D = keras_gan.models.conditional_dcgan_discriminator(10, (28, 28, 1), filters=(8, 8))
        gan = keras_gan.ConditionalGAN(G, D, 8, num_classes=10, ema_decay=ema, seed=1)
    else:
        G = keras_gan.models.dcgan_generator(8, (28, 28, 1), filters=(8, 8, 8))
        D = keras_gan.models.dcgan_discriminator((28, 28, 1), filters=(8, 8))
        gan = keras_gan.GAN(G, D, 8, ema_decay=ema, seed=1)
    gan.compile()
    if train:
        x = np.random.default_rng(0).uniform(-1, 1, (64, 28, 28, 1)).astype("float32")
        y = (np.arange(64) % 10).astype("int32") if conditional else None
        gan.fit(x, y, epochs=1, batch_size=32, verbose=0)
    return gan
