"""`gan.evaluate(x)`: D and G losses and D's means on held-out data, changing nothing."""

import keras
import numpy as np
import pytest
from keras import ops

import keras_gan
from helpers import all_state
from helpers import tiny_gan
from helpers import tiny_images
from helpers import tiny_labels


def softplus(x):
    return np.logaddexp(0.0, x)


def _reference(gan, x, labels=None):
    """The same numbers by hand: one batch, the noise the GAN's seed would give."""
    state = ops.convert_to_numpy(gan.seed_generator.state.value).copy()
    z = keras.random.normal((len(x), gan.latent_dim), seed=gan.seed_generator)
    gan.seed_generator.state.assign(state)
    if labels is not None:
        labels = ops.convert_to_tensor(labels)
    g_in = z if labels is None else [z, labels]
    fake = gan.generator(g_in, training=False)
    d = lambda t: ops.convert_to_numpy(  # noqa: E731
        gan.discriminator(t if labels is None else [t, labels], training=False)).astype(float)
    r, f = d(ops.convert_to_tensor(x)), d(fake)
    return {"d_loss": softplus(-r).mean() + softplus(f).mean(), "g_loss": softplus(-f).mean(),
            "d_real": r.mean(), "d_fake": f.mean()}


@pytest.mark.parametrize("conditional", [False, True])
def test_evaluate_returns_losses_and_changes_nothing(conditional):
    x = tiny_images(32)
    labels = tiny_labels(32) if conditional else None
    gan = tiny_gan(conditional=conditional, ema_decay=0.9, seed=3)
    gan.compile()
    gan.fit(x, labels, epochs=1, batch_size=8, verbose=0)
    before = all_state(gan)
    held_out = tiny_images(16, seed=5)
    held_labels = tiny_labels(16, seed=5) if conditional else None
    logs = gan.evaluate(held_out, held_labels, batch_size=16, verbose=0, return_dict=True)
    assert set(logs) == {"d_loss", "g_loss", "d_real", "d_fake"}
    expected = _reference(gan, held_out, held_labels)
    for key in expected:
        np.testing.assert_allclose(logs[key], expected[key], rtol=1e-4, atol=1e-5, err_msg=key)
    # Weights, optimizer state, EMA, batch-norm statistics and RNG states: unchanged.
    for a, b in zip(before, all_state(gan), strict=True):
        np.testing.assert_array_equal(a, b)
    # The same call twice gives the same numbers (the noise is put back).
    again = gan.evaluate(held_out, held_labels, batch_size=16, verbose=0, return_dict=True)
    assert again == logs


@pytest.mark.parametrize("how", ["evaluate_between_epochs", "validation_inside_fit"])
def test_evaluation_leaves_training_as_it_was(how):
    x = tiny_images(32)
    held_out = tiny_images(16, seed=9)

    def train(evaluated):
        keras.utils.set_random_seed(4)
        gan = tiny_gan(seed=1)
        gan.compile()
        if how == "validation_inside_fit":
            kwargs = {"validation_data": (held_out,)} if evaluated else {}
            gan.fit(x, epochs=2, batch_size=8, shuffle=False, verbose=0, **kwargs)
            return all_state(gan)
        for _ in range(2):
            gan.fit(x, epochs=1, batch_size=8, shuffle=False, verbose=0)
            if evaluated:
                gan.evaluate(held_out, batch_size=8, verbose=0)
        return all_state(gan)

    for a, b in zip(train(False), train(True), strict=True):
        np.testing.assert_array_equal(a, b)


def test_evaluate_checks_inputs_like_fit():
    gan = tiny_gan()
    with pytest.raises(ValueError, match="compile"):
        gan.evaluate(tiny_images(8))
    gan.compile()
    with pytest.raises(ValueError, match=r"Received"):
        gan.evaluate(np.zeros((8, 5, 5, 1), "float32"))


def test_evaluation_callback_scores_join_the_logs_of_fit_with_validation():
    """`fit(validation_data=...)` runs `evaluate`: val_d_loss etc. beside the losses."""
    gan = tiny_gan(seed=0)
    gan.compile()
    history = gan.fit(tiny_images(32), epochs=1, batch_size=8, verbose=0,
                      validation_data=(tiny_images(16, seed=2),))
    for key in ("val_d_loss", "val_g_loss", "val_d_real", "val_d_fake"):
        assert key in history.history and np.isfinite(history.history[key][0])


def test_evaluation_callback_adds_its_scores_to_evaluate():
    from keras_gan.callbacks import EvaluationCallback
    from keras_gan.evaluation import Evaluator

    path = keras_gan.data.mnist.SAMPLE_PATH
    real, _, _ = keras_gan.data.load_mnist(path, split="test")
    G = keras_gan.models.dcgan_generator(8, (28, 28, 1), filters=(8, 4))
    D = keras_gan.models.dcgan_discriminator((28, 28, 1), filters=(4, 8), dropout=0.0)
    gan = keras_gan.GAN(G, D, 8, seed=0)
    gan.compile()
    evaluator = Evaluator(keras_gan.data.to_gan_range(real), metrics=["fid", "precision_recall"])
    callback = EvaluationCallback(evaluator, n_samples=50, verbose=0)
    held_out = keras_gan.data.to_gan_range(real[:64])
    with pytest.warns(UserWarning):  # fewer than 10,000 samples
        logs = gan.evaluate(held_out, batch_size=32, verbose=0, return_dict=True,
                            callbacks=[callback])
    assert {"d_loss", "g_loss", "d_real", "d_fake", "fid", "precision", "recall"} <= set(logs)
    direct = evaluator.score_generator(gan, n_samples=50, seed=0, recalibrate=True)
    np.testing.assert_allclose(logs["fid"], direct["fid"], rtol=1e-5)
