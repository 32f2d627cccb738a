"""The benchmark's GAN written directly in each framework (no Keras, no keras_gan).

Every module builds the tensorflow.org MNIST DCGAN pair (G 2,330,944
parameters incl. batch-norm statistics, D 212,865), and returns a `step()`
that makes one alternating GAN step, exactly as `keras_gan.GAN` does:

    D: z ~ N(0, I); fake = G(z) (no gradient to G); minimise
       d_loss(D(x), D(fake)) [+ 10 * WGAN-GP penalty]; one Adam update.
    G: fresh z; minimise g_loss(D(G(z))); one Adam update.

Objectives: "ns" (non-saturating: d = softplus(-D(x)) + softplus(D(fake)),
g = softplus(-D(G(z)))) and "wgan_gp" (d = D(fake) - D(x) + 10 * GP,
g = -D(G(z)); GP on per-sample interpolates, norm with 1e-12 under the
square root). Adam(2e-4, beta_1=0.5, beta_2=0.999, eps=1e-7), batch 128,
latent 100.
"""

BATCH = 128
LATENT = 100
LR = 2e-4
BETA_1 = 0.5
BETA_2 = 0.999
EPSILON = 1e-7
GP_WEIGHT = 10.0
