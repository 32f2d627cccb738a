"""keras_gan's fast layer calls give Keras' results (torch).

`keras_gan.backend.accelerate_layers` replaces the `call` of covered
Conv2D / Conv2DTranspose / BatchNormalization / Dropout instances on torch
(keras_gan/backend/torch_layers.py); on TensorFlow and JAX it does nothing
(see docs/design.md, "Faster layer calls, same results", for why TF's fused
batch norm was withdrawn). Every test builds the same layer twice with the same weights,
accelerates one, and compares outputs, input and weight gradients,
second-order gradients (gradient penalties) and moving statistics with
Keras' own call as the reference.
"""

import os

import keras
import numpy as np
import pytest
from keras import layers

import keras_gan
from keras_gan import backend

BACKEND = keras.backend.backend()
TORCH = BACKEND == "torch"
torch_only = pytest.mark.skipif(not TORCH, reason="torch backend only")


def _pair(make, shape):
    reference, fast = make(), make()
    reference.build(shape)
    fast.build(shape)
    fast.set_weights(reference.get_weights())
    return reference, fast, backend.accelerate_layers(fast)


def _call_and_grads(layer, x_np, training, seed):
    """`layer(x)` and the gradients of `sum(layer(x) * r)` w.r.t. x and the weights, as numpy."""
    params = lambda: [v.value for v in layer.trainable_variables]  # noqa: E731
    weight = lambda shape: np.random.default_rng(seed).normal(size=shape).astype("float32")  # noqa: E731
    import torch

    x = torch.tensor(x_np, requires_grad=True)
    y = layer(x, training=training)
    grads = torch.autograd.grad((y * torch.tensor(weight(tuple(y.shape)))).sum(), [x, *params()])
    return y.detach().numpy(), [g.numpy() for g in grads]


def _compare(make, shape, training=True, expect_fast=True, seed=0):
    reference, fast, patched = _pair(make, shape)
    assert patched == ([fast.name] if expect_fast else []), patched
    x_np = np.random.default_rng(seed).normal(size=shape).astype("float32")
    y_ref, g_ref = _call_and_grads(reference, x_np, training, seed + 1)
    y_fast, g_fast = _call_and_grads(fast, x_np, training, seed + 1)
    assert y_fast.shape == y_ref.shape
    scale = float(np.abs(y_ref).max()) + 1e-6
    np.testing.assert_allclose(y_fast, y_ref, atol=2e-6 * scale, rtol=1e-5)
    for a, b in zip(g_fast, g_ref, strict=True):
        gscale = float(np.abs(b).max()) + 1e-6
        np.testing.assert_allclose(a, b, atol=2e-6 * gscale, rtol=1e-5)
    # Moving statistics (batch normalization) and every other variable.
    for a, b in zip(fast.get_weights(), reference.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-6, rtol=1e-6)
    return reference, fast


TRANSPOSE_CASES = [
    # kernel, strides, padding, output_padding
    (5, 1, "same", None),  # the DCGAN's first layer
    (5, 2, "same", None),  # the DCGAN's upsampling layers
    (4, 2, "same", None),
    (3, 3, "same", None),
    (3, 2, "valid", None),
    (2, 2, "valid", None),
    (3, 2, "same", 1),
    (5, 3, "same", 2),
    ((3, 5), (2, 1), "same", None),
]


@torch_only
@pytest.mark.parametrize("kernel, strides, padding, output_padding", TRANSPOSE_CASES)
def test_conv2d_transpose_matches_keras(kernel, strides, padding, output_padding):
    _compare(
        lambda: layers.Conv2DTranspose(
            6, kernel, strides=strides, padding=padding,
            output_padding=output_padding, activation="relu",
        ),
        (3, 7, 8, 4),
    )


@torch_only
@pytest.mark.parametrize(
    "kernel, strides, padding",
    [(5, 2, "same"), (5, 1, "same"), (4, 2, "same"), (3, 2, "valid"),
     (2, 3, "same"), ((3, 1), (1, 2), "same")],
)
def test_conv2d_matches_keras(kernel, strides, padding):
    _compare(
        lambda: layers.Conv2D(6, kernel, strides=strides, padding=padding, activation="tanh"),
        (3, 9, 8, 4),
    )


@torch_only
@pytest.mark.parametrize(
    "make, shape, training",
    [
        (lambda: layers.BatchNormalization(), (16, 12), True),
        (lambda: layers.BatchNormalization(momentum=0.9, center=False), (16, 5, 5, 3), True),
        (lambda: layers.BatchNormalization(scale=False, epsilon=1e-5), (16, 5, 5, 3), True),
        (lambda: layers.BatchNormalization(), (16, 5, 5, 3), False),
        # One value per channel: Keras' call (torch's fused kernel refuses it).
        (lambda: layers.BatchNormalization(), (1, 7), True),
    ],
)
def test_batch_normalization_matches_keras(make, shape, training):
    reference, fast = _compare(make, shape, training=training)
    if training and shape[0] > 1:  # the moving statistics moved, identically
        assert not np.allclose(reference.moving_mean.numpy(), 0.0)


@torch_only
@pytest.mark.parametrize(
    "make, shape",
    [
        # Keras' own call stays where the fast one does not apply.
        (lambda: layers.Conv2D(4, 3, dilation_rate=2), (2, 9, 9, 3)),
        (lambda: layers.Conv2D(6, 3, groups=3, padding="same"), (2, 9, 9, 3)),
        (lambda: layers.Conv2D(4, 3, data_format="channels_first"), (2, 3, 9, 9)),
        (lambda: layers.Conv2DTranspose(4, 3, strides=2, padding="valid", output_padding=1), (2, 5, 5, 3)),
        (lambda: layers.Conv2DTranspose(4, 1, strides=2, padding="valid"), (2, 5, 5, 3)),
        (lambda: layers.Conv2DTranspose(4, 3, dilation_rate=2), (2, 5, 5, 3)),
        (lambda: layers.BatchNormalization(axis=1), (4, 3, 5, 5)),
        (lambda: layers.BatchNormalization(renorm=True), (8, 5)),
        (lambda: layers.BatchNormalization(dtype="mixed_float16"), (8, 5)),
        (lambda: layers.BatchNormalization(), (4, 3, 5, 5, 2)),
        (lambda: layers.Dropout(0.3, seed=3), (8, 5)),
        (lambda: layers.Dropout(0.3, noise_shape=(8, 1)), (8, 5)),
    ],
)
def test_uncovered_configurations_keep_keras_call(make, shape):
    _, fast, patched = _pair(make, shape)
    assert patched == []
    assert "call" not in vars(fast)


@torch_only
def test_dropout_keeps_keras_distribution():
    import torch

    layer = layers.Dropout(0.3)
    layer.build((400, 500))
    assert backend.accelerate_layers(layer) == [layer.name]
    x = torch.ones(400, 500, requires_grad=True)
    y = layer(x, training=True)
    kept = (y != 0).float()
    # Kept fraction 0.7 (200,000 draws: standard error 0.001); scaled by 1/0.7.
    assert abs(float(kept.mean()) - 0.7) < 0.005
    np.testing.assert_allclose(y[y != 0].detach().numpy(), 1 / 0.7, rtol=1e-6)
    (grad,) = torch.autograd.grad(y.sum(), x)
    np.testing.assert_allclose(grad.numpy(), kept.numpy() / 0.7, rtol=1e-6)
    np.testing.assert_array_equal(layer(x, training=False).detach().numpy(), x.detach().numpy())
    # The mask comes from torch's global generator, which checkpoints save.
    torch.manual_seed(5)
    a = layer(x, training=True)
    torch.manual_seed(5)
    b = layer(x, training=True)
    np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())


def _dcgan_pair(latent=8):
    G = keras_gan.models.dcgan_generator(latent, (8, 8, 1), filters=(8, 6, 4))
    D = keras_gan.models.dcgan_discriminator((8, 8, 1), filters=(4, 6), dropout=0.0)
    return G, D


@torch_only
def test_gradient_penalty_second_order_matches_keras():
    """WGAN-GP's double backward through the fast convolutions gives Keras' gradients."""
    import torch

    keras.utils.set_random_seed(0)
    _, D_ref = _dcgan_pair()
    D_fast = keras.models.clone_model(D_ref)
    D_fast.set_weights(D_ref.get_weights())
    assert len(backend.accelerate_layers(D_fast)) == 2  # the two Conv2D
    x = torch.tensor(np.random.default_rng(1).normal(size=(6, 8, 8, 1)).astype("float32"))
    penalty = keras_gan.penalties.WGANGP(weight=10.0)

    def grads(D):
        params = [v.value for v in D.trainable_variables]
        with torch.enable_grad():
            g = backend.input_gradient(lambda t: D(t, training=True), x)
            loss = penalty.weight * ((g.square().sum((1, 2, 3)) + 1e-12).sqrt() - 1).square().mean()
            return torch.autograd.grad(loss, params, allow_unused=True)

    pairs = list(zip(grads(D_fast), grads(D_ref), strict=True))
    # The last Dense layer's bias does not move the input gradient.
    assert [a is None for a, _ in pairs] == [b is None for _, b in pairs]
    pairs = [(a, b) for a, b in pairs if b is not None]
    # Piecewise-linear D: the input gradient moves with the kernels only.
    assert sum(float(b.abs().max()) > 0 for _, b in pairs) == 3
    for a, b in pairs:
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-4, atol=1e-6 * float(b.abs().max()))


def test_compile_accelerates_generator_and_discriminator(tmp_path):
    G, D = _dcgan_pair()
    gan = keras_gan.GAN(G, D, latent_dim=8, seed=0)
    gan.compile()
    fast = {
        layer.name for net in (G, D) for layer in net._flatten_layers()
        if "call" in vars(layer)
    }
    # torch: 3 transposed convolutions, 3 batch normalizations, 2
    # convolutions; TensorFlow and JAX: none.
    assert len(fast) == {"torch": 8, "tensorflow": 0, "jax": 0}[BACKEND], fast
    gan.fit(np.random.default_rng(0).uniform(-1, 1, (16, 8, 8, 1)).astype("float32"),
            batch_size=8, epochs=1, verbose=0)
    # Saving is untouched: Keras' classes and configs, and the reloaded
    # model is accelerated again by its own compile.
    path = str(tmp_path / "gan.keras")
    gan.save(path)
    loaded = keras.models.load_model(path)
    z = np.random.default_rng(2).normal(size=(4, 8)).astype("float32")
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(loaded.generator(z, training=False)),
        keras.ops.convert_to_numpy(G(z, training=False)), atol=1e-5,
    )
    reloaded_fast = sum("call" in vars(layer) for layer in loaded.generator._flatten_layers())
    assert reloaded_fast == {"torch": 6, "tensorflow": 0, "jax": 0}[BACKEND]


@torch_only
def test_environment_variable_turns_it_off(monkeypatch):
    monkeypatch.setenv("KERAS_GAN_FAST_LAYERS", "0")
    G, D = _dcgan_pair()
    assert backend.accelerate_layers(G) == []
    monkeypatch.setenv("KERAS_GAN_FAST_LAYERS", "1")
    names = backend.accelerate_layers(G)
    assert len(names) == 6
    assert backend.accelerate_layers(G) == names  # patched once, listed again
    # The variable overrides compile's argument both ways.
    assert backend.accelerate_layers(G, enabled=False) == names
    monkeypatch.setenv("KERAS_GAN_FAST_LAYERS", "0")
    assert backend.accelerate_layers(G, enabled=True) == []
    assert not any("call" in vars(layer) for layer in G._flatten_layers())


@pytest.mark.skipif(TORCH, reason="TensorFlow and JAX")
def test_tensorflow_and_jax_replace_nothing():
    """TF's fused batch norm stalled each new epoch (docs/design.md); XLA fuses JAX's step."""
    G, D = _dcgan_pair()
    assert backend.accelerate_layers(G) == [] and backend.accelerate_layers(D) == []


@torch_only
def test_fast_dcgan_training_matches_keras_call():
    """Three GAN steps with and without the fast calls reach the same weights."""
    results = []
    for flag in ("0", "1"):
        os.environ["KERAS_GAN_FAST_LAYERS"] = flag
        try:
            keras.utils.set_random_seed(3)
            G, D = _dcgan_pair()
            gan = keras_gan.GAN(G, D, latent_dim=8, penalty=keras_gan.penalties.WGANGP(weight=10.0),
                                loss="wasserstein", seed=1)
            gan.compile()
            x = np.random.default_rng(0).uniform(-1, 1, (24, 8, 8, 1)).astype("float32")
            gan.fit(x, batch_size=8, epochs=1, shuffle=False, verbose=0)
            results.append([w.copy() for w in G.get_weights() + D.get_weights()])
        finally:
            os.environ.pop("KERAS_GAN_FAST_LAYERS", None)
    for a, b in zip(*results, strict=True):
        np.testing.assert_allclose(a, b, atol=2e-5, rtol=1e-4)


def test_compile_switch_and_the_list_of_fast_layers(monkeypatch):
    monkeypatch.delenv("KERAS_GAN_FAST_LAYERS", raising=False)
    G, D = _dcgan_pair()
    gan = keras_gan.GAN(G, D, latent_dim=8, seed=0)
    gan.compile(fast_layers=False)
    assert gan.fast_layers == []
    assert gan.get_compile_config()["fast_layers"] is False
    assert not any("call" in vars(layer) for net in (G, D) for layer in net._flatten_layers())
    gan.compile()  # default: on
    expected = {"torch": 8, "tensorflow": 0, "jax": 0}[BACKEND]
    assert len(gan.fast_layers) == expected, gan.fast_layers
    assert set(gan.fast_layers) == {
        layer.name for net in (G, D) for layer in net._flatten_layers() if "call" in vars(layer)}
    gan.compile(fast_layers=False)  # and off again: Keras' calls back
    assert gan.fast_layers == []
    assert not any("call" in vars(layer) for net in (G, D) for layer in net._flatten_layers())


def _lora_d():
    inputs = keras.Input((8, 8, 1))
    x = layers.Conv2D(4, 3, strides=2, padding="same", name="lora_conv")(inputs)
    x = layers.LeakyReLU()(x)
    x = layers.Conv2D(6, 3, strides=2, padding="same", name="plain_conv")(x)
    x = layers.Flatten()(x)
    x = layers.Dense(1, name="lora_dense")(x)
    D = keras.Model(inputs, x)
    D.get_layer("lora_conv").enable_lora(2)
    D.get_layer("lora_dense").enable_lora(2)
    return D


def test_lora_discriminator_trains_the_same_with_the_switch_on_and_off(monkeypatch):
    """A LoRA-enabled Conv2D keeps Keras' call (its kernel is computed), with a warning."""
    monkeypatch.delenv("KERAS_GAN_FAST_LAYERS", raising=False)
    x = np.random.default_rng(0).uniform(-1, 1, (24, 8, 8, 1)).astype("float32")
    results = {}
    for switch in (False, True):
        keras.utils.set_random_seed(3)
        G = keras_gan.models.dcgan_generator(8, (8, 8, 1), filters=(8, 6, 4))
        D = _lora_d()
        # LoRA B starts at zero: give it values so that the adapters matter.
        for name in ("lora_conv", "lora_dense"):
            layer = D.get_layer(name)
            layer.lora_kernel_b.assign(
                np.random.default_rng(1).normal(size=layer.lora_kernel_b.shape) * 0.1)
        gan = keras_gan.GAN(G, D, latent_dim=8, loss="wasserstein",
                            penalty=keras_gan.penalties.WGANGP(weight=10.0), seed=1)
        with __import__("warnings").catch_warnings(record=True) as caught:
            __import__("warnings").simplefilter("always")
            gan.compile(fast_layers=switch)
        messages = [str(w.message) for w in caught if "keep Keras' own call" in str(w.message)]
        if switch and TORCH:
            assert len(messages) == 1 and "lora_conv (LoRA enabled)" in messages[0], messages
            assert "plain_conv" in gan.fast_layers and "lora_conv" not in gan.fast_layers
        else:
            assert messages == [] and "lora_conv" not in gan.fast_layers
        gan.fit(x, batch_size=8, epochs=1, shuffle=False, verbose=0)
        results[switch] = [w.copy() for w in G.get_weights() + D.get_weights()]
    assert len(results[True]) == len(results[False])
    for a, b in zip(results[False], results[True], strict=True):
        np.testing.assert_allclose(a, b, atol=2e-5, rtol=1e-4)


def test_refusal_names_the_reason():
    from keras_gan.backend import fast_layers

    covered = (layers.Conv2D, layers.BatchNormalization)

    class MyConv(layers.Conv2D):
        pass

    def built(layer, shape=(None, 8, 8, 2)):
        layer.build(shape)
        return layer

    assert fast_layers.refusal(built(layers.Conv2D(4, 3)), covered) is None
    assert fast_layers.refusal(built(layers.Dense(4), (None, 3)), covered) is None  # not covered
    assert fast_layers.refusal(built(MyConv(4, 3)), covered) == "subclass MyConv of Conv2D"
    lora = built(layers.Conv2D(4, 3))
    lora.enable_lora(2)
    assert fast_layers.refusal(lora, covered) == "LoRA enabled"
    mixed = built(layers.Conv2D(4, 3, dtype="mixed_float16"))
    assert fast_layers.refusal(mixed, covered) == "dtype policy mixed_float16"
    bn16 = built(layers.BatchNormalization(dtype="bfloat16"))
    assert fast_layers.refusal(bn16, covered) == "dtype policy bfloat16"
    # Keras 3.15 quantizes Dense (not yet Conv2D): the rule is the same.
    quantized = built(layers.Dense(4), (None, 3))
    quantized.quantize("int8")
    assert fast_layers.refusal(quantized, (layers.Dense,)) == "quantized (int8)"


def test_an_untested_keras_version_keeps_keras_calls(monkeypatch):
    from keras_gan.backend import fast_layers

    assert fast_layers.keras_version_tested()  # the installed one is tested
    assert not fast_layers.keras_version_tested("3.99.0")
    monkeypatch.delenv("KERAS_GAN_FAST_LAYERS", raising=False)
    monkeypatch.setattr(fast_layers, "TESTED_KERAS", ("3.0",))
    G, D = _dcgan_pair()
    gan = keras_gan.GAN(G, D, latent_dim=8, seed=0)
    if TORCH:
        with pytest.warns(UserWarning, match=r"tested with Keras 3\.0.*Received: keras 3\."):
            gan.compile()
    else:
        gan.compile()
    assert gan.fast_layers == []
    assert not any("call" in vars(layer) for net in (G, D) for layer in net._flatten_layers())
