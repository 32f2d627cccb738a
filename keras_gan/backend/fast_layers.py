"""Backend-neutral part of `accelerate_layers`: the switch, the refusals, the patching.

Each backend module that speeds up Keras layers (`torch_layers`) supplies
`choose(layer) -> fast call or None` and the classes it covers; this module
refuses layers whose configuration the fast calls were not written for
(LoRA/DoRA, quantized, mixed precision, subclasses, untested Keras
versions), warns once naming the reason, and gives each chosen layer
*instance* its fast `call`.
"""

import os
import types
import warnings

import keras

ENV_VAR = "KERAS_GAN_FAST_LAYERS"
# Keras releases (major.minor) whose layer internals the fast calls were
# written and tested against (tests/test_fast_layers.py). On any other
# version every layer keeps Keras' call.
TESTED_KERAS = ("3.15",)


def enabled(requested=True):
    """Whether layers are patched.

    `KERAS_GAN_FAST_LAYERS` overrides `requested` (the `compile` argument):
    0/false/no/off turns the fast calls off, 1/true/yes/on on.
    """
    value = os.environ.get(ENV_VAR, "").strip().lower()
    if value in ("0", "false", "no", "off"):
        return False
    if value in ("1", "true", "yes", "on"):
        return True
    return bool(requested)


def keras_version_tested(version=None):
    """Whether this Keras version (`major.minor`) is one the fast calls were tested on."""
    version = keras.version() if version is None else version
    return ".".join(version.split(".")[:2]) in TESTED_KERAS


def refusal(layer, covered):
    """Why `layer` must keep Keras' call, or None when a fast call may stand in.

    Args:
        layer: a Keras layer.
        covered: the layer classes the backend has fast calls for.

    Returns:
        A short reason ("LoRA enabled", "quantized (int8)", "dtype policy
        mixed_float16", "subclass MyConv of Conv2D"), or None.
    """
    base = next((c for c in covered if isinstance(layer, c)), None)
    if base is None:
        return None  # not a covered kind: nothing to refuse
    if type(layer) is not base:
        return f"subclass {type(layer).__name__} of {base.__name__}"
    if getattr(layer, "lora_enabled", False):
        return "LoRA enabled"
    if getattr(layer, "dora_enabled", False):
        return "DoRA enabled"
    mode = getattr(layer, "quantization_mode", None)
    if mode is not None:
        return f"quantized ({mode})"
    if layer.compute_dtype != "float32" or layer.variable_dtype != "float32":
        return f"dtype policy {layer.dtype_policy.name}"
    return None


def batch_norm_covered(layer):
    """Whether a fused batch-norm call can stand in for this `BatchNormalization`.

    Exact Keras class, built, inputs of rank 2 or 4 normalised over the last
    axis, float32 compute and variables, not synchronized, no renorm.
    """
    if type(layer) is not keras.layers.BatchNormalization or not layer.built:
        return False
    spec = layer.input_spec
    ndim = spec.ndim if spec is not None else None
    return (ndim in (2, 4) and isinstance(layer.axis, int) and layer.axis in (-1, ndim - 1)
            and not layer.synchronized and not layer.renorm
            and layer.compute_dtype == "float32" and layer.variable_dtype == "float32")


def unpatch(model):
    """Gives every layer in `model` Keras' own `call` back; returns their names."""
    restored = []
    for layer in model._flatten_layers(include_self=True, recursive=True):
        if layer.__dict__.pop("_keras_gan_fast_call", False):
            layer.__dict__.pop("call", None)
            restored.append(layer.name)
    return restored


def patch(model, choose, covered=(), requested=True):
    """Replaces the `call` of every layer in `model` for which `choose` gives one.

    Args:
        model: a built Keras layer or model (nested models are searched).
        choose: `choose(layer)` returns the fast `call` function (an unbound
            function taking the layer first) or None to keep Keras' call.
        covered: the layer classes `choose` knows; instances of them that
            `refusal` turns down keep Keras' call, with one warning.
        requested: the `compile(fast_layers=...)` switch (the environment
            variable overrides it).

    Returns:
        The names of the layers whose `call` is the fast one, in order (empty
        when switched off or on an untested Keras version; a layer is
        patched once).
    """
    if not enabled(requested):
        unpatch(model)
        return []
    layers = list(model._flatten_layers(include_self=True, recursive=True))
    if not keras_version_tested():
        kinds = sorted({type(l).__name__ for l in layers if isinstance(l, tuple(covered))})
        if kinds:
            warnings.warn(
                f"keras_gan: fast layer calls were tested with Keras {', '.join(TESTED_KERAS)}; "
                f"{', '.join(kinds)} keep Keras' own call. Received: keras {keras.version()}",
                stacklevel=3,
            )
        return []
    patched = []
    refused = []
    for layer in layers:
        if getattr(layer, "_keras_gan_fast_call", False):
            patched.append(layer.name)
            continue
        reason = refusal(layer, covered)
        if reason is not None:
            refused.append(f"{layer.name} ({reason})")
            continue
        fast = choose(layer)
        if fast is None:
            continue
        # An instance attribute shadows the class' `call`, and Keras'
        # `__call__` looks `self.call` up on every call. `object.__setattr__`:
        # Keras' `Layer.__setattr__` would try to track the bound method.
        object.__setattr__(layer, "call", types.MethodType(fast, layer))
        object.__setattr__(layer, "_keras_gan_fast_call", True)
        patched.append(layer.name)
    if refused:
        warnings.warn(
            "keras_gan: these layers keep Keras' own call, which the fast calls do not "
            f"cover: {', '.join(refused)}",
            stacklevel=3,
        )
    return patched
