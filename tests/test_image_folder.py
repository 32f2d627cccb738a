"""`keras_gan.data.image_folder`: a folder of pictures through fit, resume and bad files."""

import os

import keras
import numpy as np
import pytest
from PIL import Image

import keras_gan
from helpers import all_state

LATENT = 4


def _write(folder, images, classes=None, ext="png"):
    """Writes uint8 images as files; class i of `classes` goes to sub-folder `c{i}`."""
    paths = []
    for i, a in enumerate(images):
        sub = folder if classes is None else os.path.join(folder, f"c{classes[i]}")
        os.makedirs(sub, exist_ok=True)
        path = os.path.join(sub, f"{i:03d}.{ext}")
        Image.fromarray(a).save(path)
        paths.append(path)
    return paths


def _reference(path, size, channels=3):
    """Independent preparation: numpy centre crop of the largest square, PIL bicubic, [-1, 1]."""
    with Image.open(path) as image:
        a = np.asarray(image.convert("RGB" if channels == 3 else "L"))
    h, w = a.shape[:2]
    side = min(h, w)
    top, left = (h - side) // 2, (w - side) // 2
    crop = Image.fromarray(a[top:top + side, left:left + side])
    out = np.asarray(crop.resize((size, size), Image.Resampling.BICUBIC), "float32")
    return out.reshape(size, size, channels) / 127.5 - 1.0


@pytest.fixture
def colour_folder(tmp_path):
    """12 RGB images of 10x12 (width 12: a 1-pixel crop each side), 3 classes."""
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (12, 10, 12, 3), dtype=np.uint8)
    classes = [i % 3 for i in range(12)]
    _write(str(tmp_path / "data"), images, classes)
    return str(tmp_path / "data")


def _gan(image_shape, conditional=False, seed=0):
    if conditional:
        G = keras_gan.models.conditional_dcgan_generator(LATENT, 3, image_shape, embedding_dim=4,
                                                         filters=(8, 8, 4))
        D = keras_gan.models.conditional_dcgan_discriminator(3, image_shape, filters=(4, 8))
        gan = keras_gan.ConditionalGAN(G, D, LATENT, num_classes=3, seed=seed)
    else:
        G = keras_gan.models.dcgan_generator(LATENT, image_shape, filters=(8, 8, 4))
        D = keras_gan.models.dcgan_discriminator(image_shape, filters=(4, 8))
        gan = keras_gan.GAN(G, D, LATENT, seed=seed)
    gan.compile()
    return gan


def test_files_become_batches_in_file_order(colour_folder):
    data = keras_gan.data.image_folder(colour_folder, 8, batch_size=5, shuffle=False, verbose=0)
    assert data.image_shape == (8, 8, 3) and data.class_names == ["c0", "c1", "c2"]
    assert len(data) == 3 and data.num_classes == 3
    x, y = data[0]
    files = sorted(os.path.join(r, f) for r, _, fs in os.walk(colour_folder) for f in fs)
    assert x.shape == (5, 8, 8, 3) and x.dtype == np.float32
    for image, path in zip(x, files[:5], strict=True):
        np.testing.assert_allclose(image, _reference(path, 8), atol=1e-6)
    assert y.tolist() == [int(os.path.basename(os.path.dirname(p))[1]) for p in files[:5]]
    assert -1.0 <= x.min() and x.max() <= 1.0
    # The shuffled order is a permutation of the files, different each epoch.
    shuffled = keras_gan.data.image_folder(colour_folder, 8, batch_size=12, seed=3, verbose=0)
    first = shuffled.order(0)
    assert sorted(first.tolist()) == list(range(12)) and first.tolist() != shuffled.order(1).tolist()
    with pytest.raises(TypeError, match="not converted to one array"):
        np.asarray(data.images)


def test_grayscale_no_labels_and_rectangular_sizes(tmp_path):
    rng = np.random.default_rng(1)
    paths = _write(str(tmp_path / "g"), rng.integers(0, 256, (4, 16, 16), dtype=np.uint8),
                   ext="bmp")
    data = keras_gan.data.image_folder(str(tmp_path / "g"), (8, 4), channels=None, verbose=0)
    assert data.image_shape == (8, 4, 1) and data.labels is None and data.class_names is None
    x = data.images[np.array([0])]
    with Image.open(paths[0]) as image:  # crop to 1:2 (w:h) = 8 wide, centred, then resize
        expected = np.asarray(image.crop((4, 0, 12, 16)).resize((4, 8), Image.Resampling.BICUBIC),
                              "float32")[..., None] / 127.5 - 1
    np.testing.assert_allclose(x[0], expected, atol=1e-5)
    rgb = keras_gan.data.image_folder(str(tmp_path / "g"), 8, channels=3, verbose=0)
    assert rgb[0].shape == (4, 8, 8, 3)  # grayscale files converted to RGB


def test_fit_on_a_folder_trains_and_samples_the_folder_shape(colour_folder):
    keras.utils.set_random_seed(0)
    data = keras_gan.data.image_folder(colour_folder, 8, batch_size=4, verbose=0)
    gan = _gan(data.image_shape, conditional=True)
    before = [np.array(w) for w in gan.generator.get_weights()]
    history = gan.fit(data, epochs=2, verbose=0)
    assert len(history.history["d_loss"]) == 2
    assert int(gan.optimizer.iterations) == 6  # 12 images / 4, two epochs
    assert any(not np.array_equal(a, np.array(b))
               for a, b in zip(before, gan.generator.get_weights(), strict=True))
    assert keras.ops.shape(gan.generate(5, labels=np.arange(5) % 3)) == (5, 8, 8, 3)


def test_resume_from_a_folder_matches_the_uninterrupted_run(colour_folder, tmp_path):
    def make():
        keras.utils.set_random_seed(1)
        return _gan((8, 8, 3), seed=4)

    def data():
        return keras_gan.data.image_folder(colour_folder, 8, labels=None, batch_size=4,
                                           seed=7, verbose=0)

    straight = make()
    straight.fit(data(), epochs=3, verbose=0,
                 callbacks=[keras_gan.callbacks.Checkpoint(tmp_path / "a", save_freq=1)])

    class Crash(keras.callbacks.Callback):  # as a SIGKILL after step 5, mid-epoch 2
        def on_train_batch_end(self, batch, logs=None):
            if int(self.model.optimizer.iterations) == 5:
                raise KeyboardInterrupt

    first = make()
    with pytest.raises(KeyboardInterrupt):
        first.fit(data(), epochs=3, verbose=0, callbacks=[
            keras_gan.callbacks.Checkpoint(tmp_path / "b", save_freq=1), Crash()])
    resumed = make()
    history = resumed.fit(data(), epochs=3, verbose=0, callbacks=[
        keras_gan.callbacks.Checkpoint(tmp_path / "b", save_freq=1)])
    assert int(resumed.optimizer.iterations) == 9 and history.epoch == [1, 2]
    for a, b in zip(all_state(straight), all_state(resumed), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
    # Another seed is another order: refused rather than silently reordered.
    other = keras_gan.data.image_folder(colour_folder, 8, labels=None, batch_size=4, seed=8,
                                        verbose=0)
    with pytest.raises(ValueError, match="another data layout"):
        make().fit(other, epochs=4, verbose=0,
                   callbacks=[keras_gan.callbacks.Checkpoint(tmp_path / "b", save_freq=1)])


def test_resumed_stream_continues_the_epoch_order(colour_folder):
    data = keras_gan.data.image_folder(colour_folder, 8, batch_size=4, seed=2, verbose=0)
    epoch1 = [data.order(1)[b * 4:(b + 1) * 4] for b in range(3)]
    stream = data.resumed(1, 1)
    for i, expected in enumerate(epoch1[1:] + [data.order(2)[:4]]):
        x, _ = stream[i]
        np.testing.assert_array_equal(x, data.images[expected])


@pytest.mark.once
def test_bad_inputs_stop_with_one_line_naming_the_file(tmp_path, colour_folder):
    bad = tmp_path / "bad"
    paths = _write(str(bad), np.random.default_rng(0).integers(0, 256, (4, 12, 12, 3), "uint8"))
    with open(paths[2], "rb") as f:
        head = f.read()
    with open(paths[2], "wb") as f:  # truncated: the header survives, the pixels do not
        f.write(head[: len(head) // 2])
    with pytest.raises(keras_gan.data.BadImageError, match=r"Cannot read image .*002\.png") as e:
        keras_gan.data.image_folder(str(bad), 8, verbose=0)
    assert "\n" not in str(e.value)
    data = keras_gan.data.image_folder(str(bad), 8, skip_bad_images=True, verbose=0)
    assert len(data.images) == 3 and data.skipped == [paths[2]]
    # verify="header" reads headers only: the truncated file fails when read.
    lazy = keras_gan.data.image_folder(str(bad), 8, batch_size=4, verify="header",
                                       shuffle=False, verbose=0)
    with pytest.raises(keras_gan.data.BadImageError, match=r"002\.png"):
        lazy[0]
    with open(tmp_path / "junk.png", "wb") as f:
        f.write(b"not an image")
    (tmp_path / "junk").mkdir()
    os.replace(tmp_path / "junk.png", tmp_path / "junk" / "junk.png")
    with pytest.raises(keras_gan.data.BadImageError, match=r"junk\.png"):
        keras_gan.data.image_folder(str(tmp_path / "junk"), 8, verbose=0)
    (tmp_path / "empty" / "sub").mkdir(parents=True)
    (tmp_path / "empty" / "notes.txt").write_text("x")
    with pytest.raises(ValueError, match=r"No images found.*Received: path="):
        keras_gan.data.image_folder(str(tmp_path / "empty"), 8, verbose=0)
    with pytest.raises(FileNotFoundError, match="No such folder"):
        keras_gan.data.image_folder(str(tmp_path / "missing"), 8, verbose=0)
    mixed = tmp_path / "mixed"
    _write(str(mixed), np.zeros((2, 12, 12, 3), "uint8"))
    Image.fromarray(np.zeros((12, 12), "uint8")).save(mixed / "gray.png")
    with pytest.raises(ValueError, match=r"mixes grayscale and colour.*gray\.png has 1 channel"):
        keras_gan.data.image_folder(str(mixed), 8, verbose=0)
    with pytest.raises(keras_gan.data.BadImageError,
                       match=r"000\.png is 12x10 .*smaller than the 16x16"):
        keras_gan.data.image_folder(colour_folder, 16, verbose=0)
    Image.fromarray(np.zeros((12, 12, 3), "uint8")).save(os.path.join(colour_folder, "top.png"))
    with pytest.raises(ValueError, match=r"1 are at the top level, e\.g\. 'top\.png'"):
        keras_gan.data.image_folder(colour_folder, 8, verbose=0)
    for kwargs, message in (({"channels": 2}, "channels=2"), ({"crop": "edge"}, "crop='edge'"),
                            ({"image_size": 0}, "image_size=0"),
                            ({"verify": "yes"}, "verify='yes'"),
                            ({"labels": "folders"}, "labels='folders'")):
        with pytest.raises(ValueError, match=message):
            keras_gan.data.image_folder(str(bad), **{"image_size": 8, **kwargs})


@pytest.mark.once
def test_cli_trains_on_an_rgb_folder_and_refuses_a_bad_file(tmp_path, capsys):
    from keras_gan.cli.main import main

    rng = np.random.default_rng(5)
    folder = str(tmp_path / "photos")
    paths = _write(folder, rng.integers(0, 256, (8, 36, 40, 3), dtype=np.uint8))
    out = tmp_path / "out"
    assert main(["train", "--data", folder, "--image-size", "32", "--epochs", "1",
                 "--batch-size", "4", "--out", str(out), "--verbose", "0"]) == 0
    printed = capsys.readouterr().out
    assert "images=8 shape=(32, 32, 3)" in printed
    G = keras.saving.load_model(out / "generator.keras")  # the exported network
    z = np.random.default_rng(0).standard_normal((3, G.input_shape[-1])).astype("float32")
    assert tuple(keras.ops.shape(G(z))) == (3, 32, 32, 3)
    assert (out / "samples.png").exists() and (out / "checkpoints").is_dir()
    # A truncated file: one line naming it, exit 2, before any step (no checkpoint).
    with open(paths[3], "rb") as f:
        head = f.read()
    with open(paths[3], "wb") as f:
        f.write(head[:200])
    bad_out = tmp_path / "bad"
    assert main(["train", "--data", folder, "--image-size", "32", "--epochs", "1",
                 "--out", str(bad_out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "003.png" in err[0], err
    assert not (bad_out / "checkpoints").exists()
    # --skip-bad-images leaves it out and says so (the data step of the same command).
    from keras_gan.cli.main import build_parser
    from keras_gan.cli.train import load_image_folder

    args = build_parser().parse_args(["train", "--data", folder, "--image-size", "32",
                                      "--skip-bad-images", "--model", "dcgan"])
    data, labels, _ = load_image_folder(args, 4)
    assert len(data.images) == 7 and labels is None
    assert "Skipped 1 bad image(s), e.g. " + paths[3] in capsys.readouterr().out
    assert main(["train", "--data", folder, "--epochs", "1", "--out", str(bad_out)]) == 2
    assert "needs --image-size" in capsys.readouterr().err
