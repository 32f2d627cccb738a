"""Recipe: the `mnist-cdcgan` zoo generator (class-conditional DCGAN on MNIST).

    python zoo/mnist-cdcgan/train.py --data ../shared/data/mnist.npz

The tensorflow.org MNIST DCGAN made class-conditional: G concatenates a
label embedding to the noise, D is a projection discriminator (Miyato &
Koyama, 2018). Non-saturating loss, lazy R1 on D (gamma 1, every 16 steps),
EMA generator (decay 0.999), which is what it is published with.
`G.generate(labels=[7] * 16)` draws sevens.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from recipe import main  # noqa: E402

RECIPE = {
    "name": "mnist-cdcgan",
    "description": "Class-conditional DCGAN (label embedding in G, projection D), "
                   "non-saturating loss + lazy R1, EMA generator.",
    "conditional": True,
    "latent_dim": 100,
    "loss": "non_saturating",
    "penalty": {"name": "r1", "args": {"gamma": 1.0, "interval": 16}},
    "d_steps": 1,
    "ema_decay": 0.999,
    "optimizer": {"g_lr": 2e-4, "d_lr": 2e-4, "beta_1": 0.5, "beta_2": 0.999},
    "batch_size": 128,
    "epochs": 12,
    "seed": 0,
}

if __name__ == "__main__":
    main(RECIPE)
