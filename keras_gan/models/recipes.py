"""Named training recipes: architecture, loss, penalty and optimizer as plain data.

A recipe is a dict that `build_gan` turns into a compiled `GAN` (or
`ConditionalGAN`). The recipes here are the ones measured in
docs/benchmarks.md ("Recipes"); the zoo models and `keras-gan train
--recipe` use them.
"""

import copy
import math

from keras_gan.validation import check_positive_int

# Each recipe: the generator and discriminator builders (names in
# keras_gan.models) with their arguments, the adversarial loss, an optional
# penalty (registry name + arguments), D steps per G step, the EMA of G, Adam's
# settings for G and D, batch size and noise size.
RECIPES = {
    # The tensorflow.org MNIST DCGAN tutorial, unchanged: kept for comparison.
    "tutorial": {
        "description": "tensorflow.org's MNIST DCGAN tutorial: its G and D (dropout 0.3), "
                       "non-saturating loss, Adam(1e-4), batch 256, no EMA.",
        "generator": {"builder": "dcgan_generator", "args": {}},
        "discriminator": {"builder": "dcgan_discriminator", "args": {}},
        "loss": "non_saturating",
        "penalty": None,
        "d_steps": 1,
        "ema_decay": None,
        "optimizer": {"g_lr": 1e-4, "d_lr": 1e-4, "beta_1": 0.9, "beta_2": 0.999},
        "batch_size": 256,
        "latent_dim": 100,
    },
    # Lean DCGAN, chosen for quality per minute on a CPU (docs/benchmarks.md,
    # "Recipes" and "A deeper generator"): G is the tutorial's shape at half
    # its width (a stride-1 then two stride-2 transposed convolutions, 4x4),
    # three 4x4 stride-2 convolutions of 32, 64 and 128 filters and no
    # dropout in D, batch 32, Adam(1e-3, beta_1=0, beta_2=0.99), lazy R1 and
    # an EMA of G.
    "dcgan": {
        "description": "Lean DCGAN: G Dense 7x7x128 -> ConvT 128 -> ConvT 64 -> ConvT 1 (4x4 "
                       "kernels, batch norm), D Conv 32/64/128 (4x4, no dropout); "
                       "non-saturating loss + lazy R1, Adam(1e-3, 0, 0.99), batch 32, "
                       "EMA generator.",
        "generator": {"builder": "dcgan_generator",
                      "args": {"filters": [128, 128, 64], "kernel_size": 4}},
        "discriminator": {"builder": "dcgan_discriminator",
                          "args": {"filters": [32, 64, 128], "dropout": 0.0,
                                   "kernel_size": 4}},
        "loss": "non_saturating",
        "penalty": {"name": "r1", "args": {"gamma": 1.0, "interval": 16}},
        "d_steps": 1,
        "ema_decay": 0.999,
        "optimizer": {"g_lr": 1e-3, "d_lr": 1e-3, "beta_1": 0.0, "beta_2": 0.99},
        "batch_size": 32,
        "latent_dim": 100,
    },
    # The "dcgan" recipe as a WGAN-GP: the same G and D (D as the critic),
    # Wasserstein loss, gradient penalty 10 (Gulrajani et al., 2017), one
    # critic step per G step, and the dcgan recipe's Adam(1e-3, 0, 0.99), which
    # beat its earlier Adam(2e-4, 0, 0.9) (measured in docs/benchmarks.md,
    # "A deeper generator, and more steps").
    "wgan-gp": {
        "description": "Lean DCGAN trained as a WGAN-GP: G Dense 7x7x128 -> ConvT 128 -> "
                       "ConvT 64 -> ConvT 1 (4x4 kernels, batch norm), the dcgan recipe's D "
                       "as the critic; "
                       "Wasserstein loss + gradient penalty 10, one critic step per G step, "
                       "Adam(1e-3, 0, 0.99), batch 32, EMA generator.",
        "generator": {"builder": "dcgan_generator",
                      "args": {"filters": [128, 128, 64], "kernel_size": 4}},
        "discriminator": {"builder": "dcgan_discriminator",
                          "args": {"filters": [32, 64, 128], "dropout": 0.0,
                                   "kernel_size": 4}},
        "loss": "wasserstein",
        "penalty": {"name": "wgan_gp", "args": {"weight": 10.0}},
        "d_steps": 1,
        "ema_decay": 0.999,
        "optimizer": {"g_lr": 1e-3, "d_lr": 1e-3, "beta_1": 0.0, "beta_2": 0.99},
        "batch_size": 32,
        "latent_dim": 100,
    },
}

# The "dcgan" recipe made class-conditional: a label embedding in G (the
# dcgan recipe's three-layer G), a projection discriminator (Miyato & Koyama,
# 2018), and half the dcgan recipe's learning rate (at the full rate this pair
# stopped learning part-way through a zoo-length run), conditional batch norm
# in G (class_norm) and rates decayed linearly over the last fifth of the run.
# Each choice and its measured effect: docs/benchmarks.md, "A deeper
# generator, and more steps" and the cdcgan section.
RECIPES["cdcgan"] = {
    **copy.deepcopy(RECIPES["dcgan"]),
    "description": "Lean class-conditional DCGAN: label embedding + G Dense 7x7x128 -> "
                   "ConvT 128 -> ConvT 64 -> ConvT 1 (4x4 kernels, conditional batch norm: "
                   "a gain and bias per class), projection D "
                   "(Conv 32/64/128, 4x4, no dropout); non-saturating loss + lazy R1, "
                   "Adam(5e-4, 0, 0.99) decayed linearly to 0 over the last fifth of the run, "
                   "batch 32, EMA generator.",
    "conditional": True,
    "generator": {"builder": "conditional_dcgan_generator",
                  "args": {"filters": [128, 128, 64], "kernel_size": 4, "class_norm": True}},
    "discriminator": {"builder": "conditional_dcgan_discriminator",
                      "args": {"filters": [32, 64, 128], "dropout": 0.0, "kernel_size": 4}},
    "optimizer": {"g_lr": 5e-4, "d_lr": 5e-4, "beta_1": 0.0, "beta_2": 0.99, "lr_decay": 0.2},
}

# The "dcgan" recipe for runs of minutes (`make demo`): twice its learning
# rates, the best of the rates tried for a run of the demo's length; long runs
# keep the "dcgan" rates (measured in docs/benchmarks.md, "Recipes").
RECIPES["dcgan-short"] = {
    **copy.deepcopy(RECIPES["dcgan"]),
    "description": "The dcgan recipe for short runs (make demo): Adam(2e-3, 0, 0.99) instead "
                   "of 1e-3; lean DCGAN, G with three transposed convolutions, D Conv "
                   "32/64/128, non-saturating loss + lazy R1, batch 32, EMA generator.",
    "optimizer": {"g_lr": 2e-3, "d_lr": 2e-3, "beta_1": 0.0, "beta_2": 0.99},
}


def available():
    """Sorted recipe names."""
    return sorted(RECIPES)


def get_recipe(name, **overrides):
    """A copy of the recipe `name`, with top-level or dotted overrides.

    Args:
        name: a name from `available()`, or a recipe dict (copied).
        **overrides: values to replace; nested keys use `__` for the dot,
            e.g. `discriminator__args__dropout=0.0`.

    Returns:
        A new recipe dict.

    Example:
        >>> r = get_recipe("dcgan", batch_size=128)
    """
    if isinstance(name, dict):
        recipe = copy.deepcopy(name)
    elif name in RECIPES:
        recipe = copy.deepcopy(RECIPES[name])
    else:
        raise ValueError(
            f"Unknown recipe {name!r}. Valid names: {', '.join(available())}. "
            f"Received: recipe={name!r}"
        )
    for key, value in overrides.items():
        set_path(recipe, key.replace("__", "."), value)
    return recipe


def apply_overrides(recipe, sets):
    """Applies `"dotted.key=JSON value"` overrides (e.g. from `--set`) in place.

    Args:
        recipe: a recipe dict.
        sets: strings `"key=value"`; the value is parsed as JSON when it
            can be (`2e-4`, `[128, 64]`, `null`), else kept as a string.

    Returns:
        The recipe.

    Example:
        >>> apply_overrides(get_recipe("dcgan"), ["optimizer.lr_decay=0.5"])
    """
    import json

    for item in sets:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise ValueError(f"Overrides take KEY=VALUE. Received: {item!r}")
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            pass
        set_path(recipe, key, value)
    return recipe


def set_path(recipe, dotted, value):
    """Sets `recipe["a"]["b"] = value` for `dotted = "a.b"` (in place)."""
    keys = dotted.split(".")
    node = recipe
    for key in keys[:-1]:
        if not isinstance(node.get(key), dict):
            node[key] = {}
        node = node[key]
    node[keys[-1]] = value
    return recipe


def _build_model(spec, **fixed):
    from keras_gan import models

    builder = getattr(models, spec["builder"], None)
    if builder is None or not callable(builder):
        raise ValueError(f"Unknown model builder. Received: builder={spec['builder']!r}")
    return builder(**fixed, **spec.get("args", {}))


def run_steps(recipe, n_images, epochs):
    """Training steps of a run: `epochs * ceil(n_images / batch_size)`.

    The length `build_gan` needs as `total_steps` for a recipe with
    `optimizer.lr_decay`: one step per batch, the last batch of each epoch
    possibly short (as `keras_gan.training.EpochBatches` and `fit` batch).

    Args:
        recipe: a recipe name or dict (see `get_recipe`).
        n_images: number of training images.
        epochs: number of passes over the images.

    Returns:
        The number of G updates of the run, an int.

    Example:
        >>> run_steps("dcgan", 60000, 40)   # batch 32
        75000
    """
    if isinstance(recipe, str):
        recipe = get_recipe(recipe)
    n_images = check_positive_int("n_images", n_images)
    epochs = check_positive_int("epochs", epochs)
    return epochs * math.ceil(n_images / int(recipe["batch_size"]))


def build_gan(recipe, image_shape=(28, 28, 1), num_classes=None, seed=None, compile=True,
              total_steps=None):
    """Builds (and compiles) the GAN a recipe describes.

    Args:
        recipe: a recipe name or dict (see `get_recipe`).
        image_shape: `(height, width, channels)` of the training images.
        num_classes: number of classes; needed by (and only used for)
            conditional recipes.
        seed: seed of the GAN's training noise (default: the recipe's
            `seed`, if any).
        compile: compile with the recipe's Adam settings.
        total_steps: training steps of the run; required by a recipe whose
            `optimizer.lr_decay` is a fraction `f`, which keeps its learning
            rates for the first `1 - f` of the steps, then decays them
            linearly to 0 (`keras_gan.training.ConstantThenLinearDecay`).
            Recipes without `lr_decay` ignore it.

    Returns:
        A `keras_gan.GAN` or `keras_gan.ConditionalGAN`.

    Example:
        >>> gan = build_gan("dcgan")
        >>> gan.fit(images, epochs=1, batch_size=get_recipe("dcgan")["batch_size"])
    """
    import keras

    from keras_gan import losses
    from keras_gan import penalties
    from keras_gan.conditional_gan import ConditionalGAN
    from keras_gan.gan import GAN
    from keras_gan.training import ConstantThenLinearDecay

    recipe = get_recipe(recipe)
    latent = check_positive_int("latent_dim", recipe["latent_dim"])
    image_shape = tuple(image_shape)
    penalty = recipe.get("penalty")
    if isinstance(penalty, dict):
        penalty = penalties.penalty.create(penalty["name"], **penalty.get("args", {}))
    loss = recipe["loss"]
    if isinstance(loss, dict):
        loss = losses.gan_loss.create(loss["name"], **loss.get("args", {}))
    common = dict(loss=loss, penalty=penalty, d_steps=recipe.get("d_steps", 1),
                  ema_decay=recipe.get("ema_decay"), ema_warmup=recipe.get("ema_warmup", True),
                  seed=recipe.get("seed") if seed is None else seed)
    if recipe.get("conditional") and num_classes is None:
        raise ValueError(
            "This recipe is class-conditional: pass num_classes. Received: num_classes=None"
        )
    if recipe.get("conditional"):
        G = _build_model(recipe["generator"], latent_dim=latent, num_classes=num_classes,
                         image_shape=image_shape)
        D = _build_model(recipe["discriminator"], num_classes=num_classes,
                         image_shape=image_shape)
        gan = ConditionalGAN(G, D, latent, num_classes=num_classes, **common)
    else:
        G = _build_model(recipe["generator"], latent_dim=latent, image_shape=image_shape)
        D = _build_model(recipe["discriminator"], image_shape=image_shape)
        gan = GAN(G, D, latent, **common)
    if compile:
        opt = recipe["optimizer"]

        decay = opt.get("lr_decay")
        if decay is not None and not 0.0 < float(decay) <= 1.0:
            raise ValueError(
                f"optimizer.lr_decay must be in (0, 1]. Received: lr_decay={decay!r}"
            )
        if decay is not None and total_steps is None:
            raise ValueError(
                "This recipe decays its learning rates over the last "
                f"{float(decay):g} of the run (optimizer.lr_decay): pass the run's length "
                "as total_steps. Received: total_steps=None"
            )

        def adam(lr):
            if decay is not None:
                total = check_positive_int("total_steps", total_steps)
                lr = ConstantThenLinearDecay(
                    lr, total_steps=total, decay_steps=max(1, round(float(decay) * total)))
            return keras.optimizers.Adam(lr, beta_1=opt["beta_1"], beta_2=opt["beta_2"])

        gan.compile(adam(opt["g_lr"]), adam(opt["d_lr"]))
    return gan
