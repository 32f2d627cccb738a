"""The CLI, EvaluationCallback and the model cards' call give one FID for one generator.

All three score through `Evaluator.score_generator(..., recalibrate=True)`:
the EMA generator's batch-norm statistics are measured on its own samples
before sampling (zoo/zoo_finalize.py makes that call for every card).
"""

import json
import warnings

import numpy as np
import pytest

import keras_gan
from keras_gan.cli.main import main
from keras_gan.evaluation import Evaluator

N = 200
SAMPLE = keras_gan.data.mnist.SAMPLE_PATH  # the bundled digits: no download
KWARGS = dict(kid_subset_size=50, kid_subsets=10, data_path=SAMPLE, allow_sample=True)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    x, _, _ = keras_gan.data.load_mnist(SAMPLE)
    images = keras_gan.data.to_gan_range(x[:64])
    G = keras_gan.models.dcgan_generator(16, (28, 28, 1), filters=(16, 8))
    D = keras_gan.models.dcgan_discriminator((28, 28, 1), filters=(8, 16))
    gan = keras_gan.GAN(G, D, latent_dim=16, ema_decay=0.9, seed=0)
    gan.compile(fast_layers=False)
    callback = keras_gan.callbacks.EvaluationCallback(
        n_samples=N, seed=0, verbose=0, **KWARGS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        gan.fit(images, epochs=1, batch_size=16, verbose=0, callbacks=[callback])
    path = tmp_path_factory.mktemp("same-score") / "gan.keras"
    gan.save(path)
    return gan, callback, path


def _card_score(gan, recalibrate=True):
    # The call zoo/zoo_finalize.py's score_ema_generator makes, at N samples.
    G = keras_gan.Generator.from_gan(gan, use_ema=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return Evaluator("mnist-test", **KWARGS).score_generator(
            G, N, seed=0, recalibrate=recalibrate)


def test_cli_callback_and_card_give_the_same_fid(trained, capsys):
    gan, callback, path = trained
    from_callback = callback.history[-1]["fid"]
    assert main(["evaluate", str(path), "--json", "-q", "--allow-sample", "--mnist", SAMPLE, "--n-samples",
                 str(N), "--kid-subsets", "10", "--kid-subset-size", "50"]) == 0
    from_cli = json.loads(capsys.readouterr().out)["fid"]
    from_card = _card_score(gan)["fid"]
    assert from_cli == pytest.approx(from_card, rel=1e-5)
    assert from_callback == pytest.approx(from_card, rel=1e-5)
    # Without recalibration the EMA generator scores differently: the test can fail.
    assert main(["evaluate", str(path), "--json", "-q", "--allow-sample", "--mnist", SAMPLE, "--n-samples",
                 str(N), "--kid-subsets", "10", "--kid-subset-size", "50",
                 "--no-recalibrate"]) == 0
    raw = json.loads(capsys.readouterr().out)["fid"]
    assert abs(raw - from_card) > 1e-3 * from_card, (raw, from_card)


def test_the_callback_leaves_the_generator_as_it_was(trained):
    gan, callback, _ = trained
    before = [np.array(v) for v in gan.generator_ema.non_trainable_variables]
    callback.set_model(gan)
    callback._score(None)
    after = [np.array(v) for v in gan.generator_ema.non_trainable_variables]
    for a, b in zip(before, after, strict=True):
        np.testing.assert_array_equal(a, b)
