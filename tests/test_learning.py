"""Real learning tests: 8 Gaussians on a ring, in seconds, on each backend.

Success means every mode is reached (at least 3% of 2,000 samples each,
12.5% is perfect balance) and most samples (>50%) lie within 0.25 of a mode
centre (5 standard deviations of the data).
"""

import keras
import numpy as np
import pytest
from conftest import ring_data

import keras_gan

N_MODES = 8


def adam(lr):
    return keras.optimizers.Adam(lr, beta_1=0.5, beta_2=0.9)


def mode_stats(samples, centers):
    d = np.linalg.norm(samples[:, None] - centers[None], axis=-1)
    near = d.min(1) < 0.25
    counts = np.bincount(d.argmin(1)[near], minlength=len(centers))
    return near.mean(), counts


CONFIGS = {
    # 60 epochs, not 40: after 40 the result hung on the weight initialisation
    # and the CPU's rounding (docs/design.md, "Learning tests").
    "non_saturating+r1": dict(
        loss="non_saturating", penalty=keras_gan.penalties.R1(gamma=0.1), d_steps=1, epochs=60
    ),
    "wasserstein+wgan_gp": dict(
        loss="wasserstein", penalty=keras_gan.penalties.WGANGP(weight=1.0), d_steps=5, epochs=30
    ),
}


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_ring_of_gaussians(name):
    cfg = CONFIGS[name]
    x, _, centers = ring_data(256 * 20)
    gan = keras_gan.GAN(
        keras_gan.models.mlp_generator(8, 2, units=(64, 64)),
        keras_gan.models.mlp_discriminator(2, units=(64, 64)),
        latent_dim=8,
        loss=cfg["loss"],
        penalty=cfg["penalty"],
        d_steps=cfg["d_steps"],
        data_range=None,
        seed=0,
    )
    gan.compile(adam(2e-3), adam(2e-3))
    gan.fit(x, epochs=cfg["epochs"], batch_size=256, verbose=0)
    near, counts = mode_stats(gan.generate(2000, seed=1), centers)
    assert counts.min() >= 60, f"{name}: modes {counts} (near={near:.2f})"
    assert near > 0.5, f"{name}: only {near:.1%} of samples near a mode; {counts}"


def test_conditional_ring_generates_requested_mode():
    x, y, centers = ring_data(256 * 20)
    gan = keras_gan.ConditionalGAN(
        keras_gan.models.conditional_mlp_generator(8, N_MODES, 2, units=(64, 64)),
        keras_gan.models.conditional_mlp_discriminator(N_MODES, 2, units=(64, 64)),
        latent_dim=8,
        num_classes=N_MODES,
        loss="non_saturating",
        penalty=keras_gan.penalties.R1(gamma=0.1),
        data_range=None,
        seed=0,
    )
    gan.compile(adam(2e-3), adam(2e-3))
    gan.fit(x, y, epochs=25, batch_size=256, verbose=0)
    labels = np.repeat(np.arange(N_MODES), 100)
    samples = gan.generate(labels=labels, seed=2)
    nearest = np.linalg.norm(samples[:, None] - centers[None], axis=-1).argmin(1)
    accuracy = (nearest == labels).mean()
    assert accuracy > 0.9, f"only {accuracy:.1%} of samples at the requested mode"
