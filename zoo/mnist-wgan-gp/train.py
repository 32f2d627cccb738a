"""Recipe: the `mnist-wgan-gp` zoo generator (Wasserstein GAN with gradient penalty on MNIST).

    python -m zoo.train mnist-wgan-gp --data ../shared/data/mnist.npz  # from the repository root

keras_gan's `wgan-gp` recipe: the lean DCGAN of the `dcgan` recipe with D as
the critic (no sigmoid, no batch normalization), trained with the Wasserstein
loss and the WGAN-GP penalty (Gulrajani et al., 2017; lambda 10, one critic
step per G step), Adam(1e-3, 0, 0.99), batch 32, EMA generator.

If training diverges, `DivergenceGuard` stops it and names the last good
checkpoint in `work/checkpoints`; rerun with a changed setting, e.g.
`--set penalty.args.weight=20`, and it resumes there.
"""

from zoo.recipe import main

RECIPE = {
    "name": "mnist-wgan-gp",
    "recipe": "wgan-gp",
    "epochs": 64,
    "seed": 0,
}

if __name__ == "__main__":
    main(RECIPE)
