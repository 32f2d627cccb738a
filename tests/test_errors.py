"""Bad input gives a clear error that names the value, and changes nothing."""

import keras
import numpy as np
import pytest
from helpers import IMAGE
from helpers import LATENT
from helpers import all_state
from helpers import tiny_gan
from helpers import tiny_images
from helpers import tiny_labels

import keras_gan


@pytest.fixture
def gan():
    gan = tiny_gan(penalty="wgan_gp", seed=0)
    gan.compile()
    return gan


@pytest.fixture
def cgan():
    gan = tiny_gan(conditional=True, penalty="r1", seed=0)
    gan.compile()
    return gan


def assert_fit_fails(gan, match, *args, **kwargs):
    before = all_state(gan)
    with pytest.raises(ValueError, match=match):
        gan.fit(*args, verbose=0, **kwargs)
    for a, b in zip(before, all_state(gan), strict=True):
        np.testing.assert_array_equal(a, b)


def test_wrong_channels(gan):
    x = np.zeros((8, 8, 8, 3), "float32")
    assert_fit_fails(gan, r"channels: got 3, expected 1.*Received: x.shape=\(8, 8, 8, 3\)", x)


def test_wrong_spatial_shape(gan):
    x = np.zeros((8, 16, 16, 1), "float32")
    assert_fit_fails(gan, r"Received: x.shape=\(8, 16, 16, 1\)", x)


def test_wrong_rank(gan):
    x = np.zeros((8, 8, 8), "float32")
    assert_fit_fails(gan, r"rank 4.*Received: x.shape=\(8, 8, 8\)", x)


def test_uint8_pixels(gan):
    x = np.zeros((8,) + IMAGE, "uint8")
    assert_fit_fails(gan, r"\[-1.0, 1.0\].*to_gan_range.*Received: x.dtype=uint8", x)


def test_out_of_range_pixels(gan):
    x = tiny_images(8) * 127.5 + 127.5
    assert_fit_fails(gan, r"expected in \[-1.0, 1.0\].*max=25", x)


def test_nan_pixels(gan):
    x = tiny_images(8)
    x[3, 0, 0, 0] = np.nan
    assert_fit_fails(gan, r"non-finite.*1 NaN/inf", x)


def test_labels_for_unconditional(gan):
    assert_fit_fails(gan, r"unconditional.*ConditionalGAN.*Received: y", tiny_images(8), tiny_labels(8))


def test_labels_missing_for_conditional(cgan):
    assert_fit_fails(cgan, r"needs \(samples, labels\).*Received: y=None", tiny_images(8))


def test_labels_out_of_range(cgan):
    y = np.array([0, 1, 2, 3, 0, 1, 2, 0], "int32")
    assert_fit_fails(cgan, r"\[0, 3\).*max=3", tiny_images(8), y)


def test_float_labels(cgan):
    assert_fit_fails(cgan, r"integers.*Received: y.dtype=float32", tiny_images(8), np.zeros(8, "float32"))


def test_bad_batches_in_a_dataset_are_caught_before_training(gan):
    tf = pytest.importorskip("tensorflow")
    ds = tf.data.Dataset.from_tensor_slices(np.zeros((8, 8, 8, 3), "float32")).batch(4)
    assert_fit_fails(gan, r"Received: x.shape=\(4, 8, 8, 3\)", ds)
    ds = tf.data.Dataset.from_tensor_slices((tiny_images(8), tiny_labels(8))).batch(4)
    assert_fit_fails(gan, r"unconditional", ds)


def test_bad_torch_dataloader(gan):
    torch = pytest.importorskip("torch")
    data = torch.utils.data.TensorDataset(torch.zeros(8, 8, 8, 3))
    loader = torch.utils.data.DataLoader(data, batch_size=4)
    assert_fit_fails(gan, r"Received: x.shape=\(4, 8, 8, 3\)", loader)


def test_bad_shape_in_unpeekable_generator_fails_before_any_update(gan):
    def batches():
        while True:
            yield (np.zeros((4, 8, 8, 3), "float32"),)

    assert_fit_fails(
        gan, r"channels: got 3.*Received: x.shape=\((4|None), 8, 8, 3\)", batches(), steps_per_epoch=2
    )


def test_unknown_names():
    G = keras_gan.models.mlp_generator(2, 2)
    D = keras_gan.models.mlp_discriminator(2)
    with pytest.raises(ValueError, match=r"Unknown loss 'hinged'.*hinge.*least_squares.*minimax"):
        keras_gan.GAN(G, D, 2, loss="hinged")
    with pytest.raises(ValueError, match=r"Unknown penalty 'r3'.*dragan, r1, r2, wgan_gp"):
        keras_gan.GAN(G, D, 2, penalty="r3")


def test_generator_output_must_match_discriminator_input():
    G = keras_gan.models.dcgan_generator(LATENT, (28, 28, 1))
    D = keras_gan.models.dcgan_discriminator((32, 32, 1))
    with pytest.raises(ValueError, match=r"generator output \(28, 28, 1\), discriminator input \(32, 32, 1\)"):
        keras_gan.GAN(G, D, LATENT)


def test_latent_dim_must_match_generator():
    G = keras_gan.models.dcgan_generator(100, IMAGE)
    D = keras_gan.models.dcgan_discriminator(IMAGE)
    with pytest.raises(ValueError, match=r"expected \(64,\).*Received: latent_dim=64"):
        keras_gan.GAN(G, D, 64)


def test_batchnorm_in_d_with_penalty():
    G = keras_gan.models.mlp_generator(2, 2)
    inputs = keras.Input((2,))
    h = keras.layers.BatchNormalization(name="bn_in_d")(keras.layers.Dense(8)(inputs))
    D = keras.Model(inputs, keras.layers.Dense(1)(h))
    with pytest.raises(ValueError, match=r"BatchNormalization.*bn_in_d.*LayerNormalization"):
        keras_gan.GAN(G, D, 2, penalty="wgan_gp", data_range=None)
    keras_gan.GAN(G, D, 2, penalty=None, data_range=None)  # fine without a penalty


def test_conditional_needs_conditional_models():
    G = keras_gan.models.mlp_generator(2, 2)
    D = keras_gan.models.mlp_discriminator(2)
    with pytest.raises(ValueError, match="conditional"):
        keras_gan.ConditionalGAN(G, D, 2, num_classes=3, data_range=None)
    with pytest.raises(ValueError, match="num_classes=1"):
        keras_gan.ConditionalGAN(G, D, 2, num_classes=1)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"latent_dim": 0}, "latent_dim=0"),
        ({"d_steps": 0}, "d_steps=0"),
        ({"ema_decay": 1.5}, "ema_decay=1.5"),
        ({"data_range": (1, -1)}, r"data_range=\(1.0, -1.0\)"),
    ],
)
def test_bad_constructor_arguments(kwargs, match):
    args = dict(
        generator=keras_gan.models.mlp_generator(2, 2),
        discriminator=keras_gan.models.mlp_discriminator(2),
        latent_dim=2,
    )
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        keras_gan.GAN(**args)


def test_generate_arguments(gan, cgan):
    with pytest.raises(ValueError, match="unconditional.*Received: labels"):
        gan.generate(2, labels=[1, 2])
    with pytest.raises(ValueError, match=r"Received: z.shape=\(2, 3\)"):
        gan.generate(np.zeros((2, 3), "float32"))
    with pytest.raises(ValueError, match="Received: n=0"):
        gan.generate(0)
    with pytest.raises(ValueError, match="no EMA generator"):
        gan.generate(2, use_ema=True)
    with pytest.raises(ValueError, match="Received: labels=None"):
        cgan.generate(2)
    with pytest.raises(ValueError, match=r"\[0, 3\)"):
        cgan.generate(labels=[0, 5])
    assert cgan.generate(labels=[0, 1, 2], seed=0).shape == (3,) + IMAGE
    assert cgan.generate(4, labels=2, seed=0).shape == (4,) + IMAGE


def test_fit_before_compile():
    gan = tiny_gan()
    with pytest.raises(ValueError, match="compile"):
        gan.fit(tiny_images(8), verbose=0)
