"""Every integer argument goes through `check_positive_int`: True is refused, np.int64 accepted."""

import numpy as np
import pytest

import keras_gan

pytestmark = pytest.mark.once  # argument checks do not depend on the backend


def _gan(**kwargs):
    G = keras_gan.models.dcgan_generator(kwargs.pop("latent_dim", 8), (8, 8, 1),
                                         filters=(8, 8, 4))
    D = keras_gan.models.dcgan_discriminator((8, 8, 1), filters=(4, 8))
    return keras_gan.GAN(G, D, latent_dim=8, **kwargs)


CASES = {
    "GAN.d_steps": lambda v: _gan(d_steps=v),
    "Penalty.interval": lambda v: keras_gan.penalties.R1(interval=v),
    "Checkpoint.save_freq": lambda v: keras_gan.callbacks.Checkpoint("/tmp/x", save_freq=v),
    "Checkpoint.keep": lambda v: keras_gan.callbacks.Checkpoint("/tmp/x", keep=v),
    "SampleGrid.n_samples": lambda v: keras_gan.callbacks.SampleGrid("/tmp/x", n_samples=v),
    "SampleGrid.epoch_freq": lambda v: keras_gan.callbacks.SampleGrid("/tmp/x", epoch_freq=v),
    "EvaluationCallback.epoch_freq": lambda v: keras_gan.callbacks.EvaluationCallback(
        epoch_freq=v),
    "TensorBoardLogger.update_freq": lambda v: keras_gan.callbacks.TensorBoardLogger(
        "/tmp/x", update_freq=v),
    "DivergenceGuard.check_freq": lambda v: keras_gan.callbacks.DivergenceGuard(check_freq=v),
    "Generator.num_classes": lambda v: keras_gan.Generator(
        keras_gan.models.dcgan_generator(8, (8, 8, 1), filters=(8, 8, 4)), 8,
        num_classes=v),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_true_is_refused_and_numpy_integers_accepted(case):
    build = CASES[case]
    name = case.split(".")[1]
    with pytest.raises(ValueError, match=f"Received: {name}=True"):
        build(True)
    with pytest.raises(ValueError, match=f"Received: {name}=0"):
        build(0)
    build(np.int64(2))


def test_minimums_that_are_not_one():
    with pytest.raises(ValueError, match=r"integer >= 2\. Received: num_classes=1"):
        keras_gan.Generator(keras_gan.models.dcgan_generator(8, (8, 8, 1), filters=(8, 8, 4)),
                            8, num_classes=1)
    keras_gan.callbacks.DivergenceGuard(check_freq="epoch")
    keras_gan.callbacks.TensorBoardLogger("/tmp/x", image_freq=0)
    with pytest.raises(ValueError, match="Received: image_freq=-1"):
        keras_gan.callbacks.TensorBoardLogger("/tmp/x", image_freq=-1)
