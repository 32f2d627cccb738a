"""Recipe: the `mnist-cdcgan` zoo generator (class-conditional DCGAN on MNIST).

    python -m zoo.train mnist-cdcgan --data ../shared/data/mnist.npz  # from the repository root

keras_gan's `cdcgan` recipe: the `dcgan` recipe made class-conditional. G
concatenates a label embedding to the noise and gives every batch
normalization a gain and a bias per class (conditional batch norm, de Vries
et al., 2017); D is a projection discriminator (Miyato & Koyama, 2018). G
has the `dcgan` recipe's three transposed convolutions. Non-saturating
loss + lazy R1, Adam(5e-4, 0, 0.99) decayed linearly to 0 over the last
15,000 of 75,000 steps, batch 32, EMA generator.
`G.generate(labels=[7] * 16)` draws sevens.

If training diverges, `DivergenceGuard` stops it and names the last good
checkpoint in `work/checkpoints`; rerun with a changed setting, e.g.
`--set optimizer.g_lr=2e-4 --set optimizer.d_lr=2e-4`, and it resumes there.
"""

from zoo.recipe import main

RECIPE = {
    "name": "mnist-cdcgan",
    "recipe": "cdcgan",
    "epochs": 40,
    "seed": 0,
}

if __name__ == "__main__":
    main(RECIPE)
