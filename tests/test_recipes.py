"""Named training recipes: lookups, overrides, and the GANs they build."""

import keras
import numpy as np
import pytest

import keras_gan
from keras_gan.models import recipes


@pytest.mark.parametrize("name", recipes.available())  # one test each: both workers share them
def test_every_recipe_builds_and_trains_two_steps(name):
    x = np.random.default_rng(0).uniform(-1, 1, (8, 28, 28, 1)).astype("float32")
    y = np.arange(8, dtype="int32") % 10
    recipe = recipes.get_recipe(name)
    conditional = recipe.get("conditional", False)
    gan = recipes.build_gan(name, num_classes=10 if conditional else None, seed=0,
                            total_steps=2)
    assert isinstance(gan, keras_gan.ConditionalGAN if conditional else keras_gan.GAN)
    assert gan.latent_dim == recipe["latent_dim"]
    assert gan.ema_decay == recipe["ema_decay"]
    assert gan.d_steps == recipe.get("d_steps", 1)
    assert type(gan.loss_fn).registry_name == recipe["loss"]
    if recipe["penalty"] is None:
        assert gan.penalty is None
    else:
        assert type(gan.penalty).registry_name == recipe["penalty"]["name"]
        for key, value in recipe["penalty"]["args"].items():
            assert getattr(gan.penalty, key) == value, (name, key)
    opt = recipe["optimizer"]
    for optimizer, lr in ((gan.generator_optimizer, opt["g_lr"]),
                          (gan.discriminator_optimizer, opt["d_lr"])):
        assert float(keras.ops.convert_to_numpy(optimizer.learning_rate)) == pytest.approx(lr)
        assert optimizer.beta_1 == opt["beta_1"] and optimizer.beta_2 == opt["beta_2"]
    history = gan.fit(x, y if conditional else None, batch_size=4, epochs=1, verbose=0)
    assert all(np.isfinite(v[-1]) for v in history.history.values()), name


@pytest.mark.once
def test_tutorial_recipe_is_the_tensorflow_tutorial():
    gan = recipes.build_gan("tutorial", compile=False)
    # tensorflow.org/tutorials/generative/dcgan: 2,330,944 and 212,865 parameters.
    assert gan.generator.count_params() == 2_330_944
    assert gan.discriminator.count_params() == 212_865
    assert [type(l).__name__ for l in gan.discriminator.layers].count("Dropout") == 2
    r = recipes.get_recipe("tutorial")
    assert r["batch_size"] == 256 and r["optimizer"]["g_lr"] == 1e-4 and r["ema_decay"] is None


@pytest.mark.once
def test_lean_dcgan_recipe():
    gan = recipes.build_gan("dcgan", compile=False)
    G, D = gan.generator, gan.discriminator
    # Dense 100 -> 7x7x128 (no bias) + BN over its 6,272 outputs, ConvT 128->128
    # (4x4, stride 1) + BN, ConvT 128->64 (4x4) + BN, ConvT 64->1 (4x4); BN:
    # gamma, beta and two moving statistics.
    two_layer_g = 100 * 6272 + 4 * 6272 + 4 * 4 * 128 * 64 + 4 * 64 + 4 * 4 * 64
    assert G.count_params() == two_layer_g + 4 * 4 * 128 * 128 + 4 * 128 == 1_047_296
    assert "Dropout" not in [type(l).__name__ for l in D.layers]
    assert G.output_shape == (None, 28, 28, 1)
    # The wgan-gp recipe has the same G (its D is the critic: no sigmoid).
    wgan = recipes.build_gan("wgan-gp", compile=False)
    assert wgan.generator.count_params() == G.count_params()
    assert wgan.discriminator.count_params() == D.count_params()
    # `dcgan-short` (make demo) is the same recipe with twice the learning rates.
    short, lean = recipes.get_recipe("dcgan-short"), recipes.get_recipe("dcgan")
    assert short.pop("optimizer") == dict(lean.pop("optimizer"), g_lr=2e-3, d_lr=2e-3)
    assert {k: v for k, v in short.items() if k != "description"} == {
        k: v for k, v in lean.items() if k != "description"}


@pytest.mark.once
def test_overrides_and_copies():
    r = recipes.get_recipe("dcgan", batch_size=32, discriminator__args__dropout=0.25,
                           optimizer__g_lr=3e-3)
    assert r["batch_size"] == 32
    assert r["discriminator"]["args"]["dropout"] == 0.25
    assert r["optimizer"]["g_lr"] == 3e-3
    # The registry entry is untouched.
    assert recipes.get_recipe("dcgan")["batch_size"] == recipes.RECIPES["dcgan"]["batch_size"]
    assert recipes.get_recipe("dcgan")["optimizer"]["g_lr"] == 1e-3
    gan = recipes.build_gan(r, compile=False)
    # one Dropout per convolution
    assert [type(l).__name__ for l in gan.discriminator.layers].count("Dropout") == 3


@pytest.mark.once
def test_unknown_names_are_named_in_the_error():
    with pytest.raises(ValueError, match="Received: recipe='dcgna'"):
        recipes.get_recipe("dcgna")
    with pytest.raises(ValueError, match="builder='nope'"):
        recipes.build_gan(recipes.get_recipe("dcgan", generator__builder="nope"))
    with pytest.raises(ValueError, match="r3"):
        recipes.build_gan(recipes.get_recipe("dcgan", penalty={"name": "r3", "args": {}}))


@pytest.mark.once
def test_lr_decay_needs_the_runs_length_and_builds_the_schedule():
    r = recipes.get_recipe("dcgan")
    r["optimizer"]["lr_decay"] = 0.25
    with pytest.raises(ValueError, match="Received: total_steps=None"):
        recipes.build_gan(r)  # silently constant rates before
    gan = recipes.build_gan(r, total_steps=1000)
    for opt in (gan.generator_optimizer, gan.discriminator_optimizer):
        schedule = opt._learning_rate
        assert isinstance(schedule, keras_gan.training.ConstantThenLinearDecay)
        assert (schedule.total_steps, schedule.decay_steps) == (1000, 250)
        assert float(schedule(750)) == pytest.approx(1e-3)
        assert float(schedule(875)) == pytest.approx(5e-4)
    gan = recipes.build_gan(recipes.get_recipe("dcgan"), total_steps=1000)  # no decay: a number
    assert not isinstance(gan.generator_optimizer._learning_rate,
                          keras_gan.training.ConstantThenLinearDecay)
    r["optimizer"]["lr_decay"] = 1.5
    with pytest.raises(ValueError, match="lr_decay=1.5"):
        recipes.build_gan(r, total_steps=1000)


@pytest.mark.once
def test_run_steps_counts_the_batches_of_the_run():
    # The zoo card's count: 64 epochs of 60,000 digits in batches of 32.
    assert recipes.run_steps("wgan-gp", 60000, 64) == 120000
    # A short last batch is a step: as many as the batches EpochBatches yields.
    r = recipes.get_recipe("dcgan")
    r["batch_size"] = 32
    stream = keras_gan.training.EpochBatches(np.zeros((70, 2), "float32"), batch_size=32)
    assert len(stream) == 3 and len(stream[2]) == 6
    assert recipes.run_steps(r, 70, 5) == 15
    with pytest.raises(ValueError, match="Received: epochs=0"):
        recipes.run_steps(r, 70, 0)
