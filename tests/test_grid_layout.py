"""One grid layout for class-conditional models: the zoo card, SampleGrid and `keras-gan sample`."""

import numpy as np
import pytest
from PIL import Image

import keras_gan
from keras_gan.cli.main import main
from keras_gan.utils.image_grid import class_grid_labels
from keras_gan.zoo.hub_folder import save_sample_grid


def test_class_grid_labels_one_row_per_class():
    labels, nrow = class_grid_labels(10, 64)
    assert nrow == 8 and labels.dtype == np.int32 and labels.shape == (80,)
    np.testing.assert_array_equal(labels.reshape(10, 8), np.repeat(np.arange(10)[:, None], 8, 1))
    labels, nrow = class_grid_labels(3, 1)
    np.testing.assert_array_equal(labels, [0, 1, 2])
    assert nrow == 1


@pytest.fixture(scope="module")
def conditional_gan():
    G = keras_gan.models.conditional_dcgan_generator(8, 4, (8, 8, 1), filters=(8, 8, 4))
    D = keras_gan.models.conditional_dcgan_discriminator(4, (8, 8, 1), filters=(4, 8))
    gan = keras_gan.ConditionalGAN(G, D, latent_dim=8, num_classes=4, seed=0)
    gan.compile()
    return gan


def test_card_callback_and_cli_draw_the_same_grid(conditional_gan, tmp_path):
    gan = conditional_gan
    card = tmp_path / "card.png"
    save_sample_grid(gan.as_generator(), card, n=16, seed=0, scale=2)
    callback = keras_gan.callbacks.SampleGrid(tmp_path / "grids", n=16, seed=0, scale=2)
    callback.set_model(gan)
    model = tmp_path / "gan.keras"
    gan.save(model)
    cli = tmp_path / "cli.png"
    assert main(["sample", str(model), "--out", str(cli), "-n", "16", "--seed", "0",
                 "--scale", "2", "-q"]) == 0
    card_pixels = np.asarray(Image.open(card))
    # 4 rows (classes) of round(sqrt(16)) = 4 tiles of 8 px, 2 px padding, scale 2.
    assert card_pixels.shape[:2] == ((4 * 10 + 2) * 2, (4 * 10 + 2) * 2)
    np.testing.assert_array_equal(np.asarray(callback.grid()).squeeze(), card_pixels.squeeze())
    np.testing.assert_array_equal(np.asarray(Image.open(cli)).squeeze(), card_pixels.squeeze())
