"""Recipe: the `mnist-dcgan` zoo generator (unconditional DCGAN on MNIST).

    python -m zoo.train mnist-dcgan --data ../shared/data/mnist.npz  # from the repository root

keras_gan's `dcgan` recipe (`keras_gan.models.recipes`): a lean DCGAN (G
with a stride-1 and two stride-2 transposed convolutions, D with 4x4
convolutions and no dropout), non-saturating loss + lazy R1, Adam(1e-3, 0,
0.99), batch 32, EMA generator. Why these settings: docs/benchmarks.md,
"Recipes" and "A deeper generator".

If training diverges, `DivergenceGuard` stops it and names the last good
checkpoint in `work/checkpoints`; rerun with a changed setting, e.g.
`--set optimizer.g_lr=2e-4 --set optimizer.d_lr=2e-4`, and it resumes there.
"""

from zoo.recipe import main

RECIPE = {
    "name": "mnist-dcgan",
    "recipe": "dcgan",
    "epochs": 40,
    "seed": 0,
}

if __name__ == "__main__":
    main(RECIPE)
