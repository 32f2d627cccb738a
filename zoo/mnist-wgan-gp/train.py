"""Recipe: the `mnist-wgan-gp` zoo generator (Wasserstein GAN with gradient penalty on MNIST).

    python zoo/mnist-wgan-gp/train.py --data ../shared/data/mnist.npz

The tensorflow.org MNIST DCGAN's G and D (D as the critic: no sigmoid, no
batch normalization), trained with the Wasserstein loss and the WGAN-GP
penalty (Gulrajani et al., 2017; lambda 10, one critic step per G step to
fit a 2-core CPU budget), Adam(2e-4, 0.5, 0.9), and an EMA generator.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from recipe import main  # noqa: E402

RECIPE = {
    "name": "mnist-wgan-gp",
    "description": "Unconditional DCGAN architecture trained as a WGAN-GP "
                   "(Wasserstein loss, gradient penalty 10), EMA generator.",
    "conditional": False,
    "latent_dim": 100,
    "loss": "wasserstein",
    "penalty": {"name": "wgan_gp", "args": {"weight": 10.0}},
    "d_steps": 1,
    "ema_decay": 0.999,
    "optimizer": {"g_lr": 2e-4, "d_lr": 2e-4, "beta_1": 0.5, "beta_2": 0.9},
    "batch_size": 128,
    "epochs": 5,
    "seed": 0,
}

if __name__ == "__main__":
    main(RECIPE)
