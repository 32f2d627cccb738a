"""Backend-neutral part of `accelerate_layers`: the switch and the patching.

Each backend module that speeds up Keras layers (`torch_layers`) supplies `choose(layer) -> fast call or None`; this
module gives each chosen layer *instance* its fast `call`.
"""

import os
import types

import keras

ENV_VAR = "KERAS_GAN_FAST_LAYERS"


def enabled():
    """Whether layers are patched: `KERAS_GAN_FAST_LAYERS` unset or not 0/false/no/off."""
    return os.environ.get(ENV_VAR, "1").strip().lower() not in ("0", "false", "no", "off")


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


def patch(model, choose):
    """Replaces the `call` of every layer in `model` for which `choose` gives one.

    Args:
        model: a built Keras layer or model (nested models are searched).
        choose: `choose(layer)` returns the fast `call` function (an unbound
            function taking the layer first) or None to keep Keras' call.

    Returns:
        The names of the layers whose `call` was replaced, in order (empty
        when `KERAS_GAN_FAST_LAYERS=0`; a layer is patched once).
    """
    if not enabled():
        return []
    patched = []
    for layer in model._flatten_layers(include_self=True, recursive=True):
        if getattr(layer, "_keras_gan_fast_call", False):
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
    return patched
