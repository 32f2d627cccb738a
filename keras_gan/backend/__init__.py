"""Backend-specific pieces of keras_gan, selected from `keras.backend.backend()`.

This folder is the only place in keras_gan that imports TensorFlow, JAX or
PyTorch. Every backend module exposes the same small surface:

- `value_and_grad(fn, variables)`: calls `fn()` (which returns
  `(loss, aux)`) and returns `(loss, aux), grads` for the given Keras
  variables.
- `input_gradient(fn, x)`: the gradient of `sum(fn(x))` with respect to `x`,
  kept differentiable so that a penalty built from it trains the weights
  used inside `fn` (second-order gradients).
- `without_gradient(fn)`: `fn()`'s result as a constant to any enclosing
  differentiation (on torch, computed without recording a graph at all).
- `apply_gradients(optimizer, grads, variables)`: one optimizer update.
- `cond(pred, true_fn, false_fn)`: runs one of two side-effecting functions
  (variable updates only, no return value) on a scalar boolean tensor, so
  that the other branch costs nothing.
- `GANTrainer`: a mixin providing `train_step` with the signature that the
  backend's Keras trainer expects; it delegates to `self._gan_train_step`.
- `prepare_compile(jit_compile)`: the `jit_compile` value to pass to Keras.
- `replica_context()`: `(replica index, number of replicas)` of the running
  data-parallel step; `(0, 1)` on one device and on JAX (whose step sees the
  global batch).
- `replica_mean(x)`: the mean of `x` over the replicas.
- `check_variables(variables)`: raises a clear error when a data-parallel
  set-up is active but `variables` were created outside it.
- `prepare_fit(gan, facts)`: checks (and on torch synchronises) a
  data-parallel set-up before `fit`; returns `(replicas sharing the global
  batch, what they are called)`.
- `accelerate_layers(model, enabled=True)`: gives covered Keras layers inside
  `model` a faster call with the same results where the backend's own is
  slow (torch: `keras_gan/backend/torch_layers.py`), or with
  `enabled=False` Keras' calls back; returns the names of the layers with a
  fast call (empty on TensorFlow and JAX, whose compiled steps keep Keras'
  calls, and with `KERAS_GAN_FAST_LAYERS=0`).
- `get_global_rng_state()` / `set_global_rng_state(state)`: the framework's
  global RNG state as numpy (or None where Keras never uses it), saved by
  checkpoints for exact resume.
"""

import keras

_BACKEND = keras.backend.backend()

if _BACKEND == "tensorflow":
    from keras_gan.backend.tensorflow import GANTrainer
    from keras_gan.backend.tensorflow import accelerate_layers
    from keras_gan.backend.tensorflow import apply_gradients
    from keras_gan.backend.tensorflow import check_variables
    from keras_gan.backend.tensorflow import cond
    from keras_gan.backend.tensorflow import get_global_rng_state
    from keras_gan.backend.tensorflow import input_gradient
    from keras_gan.backend.tensorflow import prepare_compile
    from keras_gan.backend.tensorflow import replica_mean
    from keras_gan.backend.tensorflow import replica_context
    from keras_gan.backend.tensorflow import prepare_fit
    from keras_gan.backend.tensorflow import set_global_rng_state
    from keras_gan.backend.tensorflow import value_and_grad
    from keras_gan.backend.tensorflow import without_gradient
elif _BACKEND == "jax":
    from keras_gan.backend.jax import GANTrainer
    from keras_gan.backend.jax import accelerate_layers
    from keras_gan.backend.jax import apply_gradients
    from keras_gan.backend.jax import check_variables
    from keras_gan.backend.jax import cond
    from keras_gan.backend.jax import get_global_rng_state
    from keras_gan.backend.jax import input_gradient
    from keras_gan.backend.jax import prepare_compile
    from keras_gan.backend.jax import replica_mean
    from keras_gan.backend.jax import replica_context
    from keras_gan.backend.jax import prepare_fit
    from keras_gan.backend.jax import set_global_rng_state
    from keras_gan.backend.jax import value_and_grad
    from keras_gan.backend.jax import without_gradient
elif _BACKEND == "torch":
    from keras_gan.backend.torch import GANTrainer
    from keras_gan.backend.torch import accelerate_layers
    from keras_gan.backend.torch import apply_gradients
    from keras_gan.backend.torch import check_variables
    from keras_gan.backend.torch import cond
    from keras_gan.backend.torch import get_global_rng_state
    from keras_gan.backend.torch import input_gradient
    from keras_gan.backend.torch import prepare_compile
    from keras_gan.backend.torch import replica_mean
    from keras_gan.backend.torch import replica_context
    from keras_gan.backend.torch import prepare_fit
    from keras_gan.backend.torch import set_global_rng_state
    from keras_gan.backend.torch import value_and_grad
    from keras_gan.backend.torch import without_gradient
else:
    raise ImportError(
        "keras_gan supports the 'tensorflow', 'jax' and 'torch' Keras "
        f"backends. Received: KERAS_BACKEND={_BACKEND!r}"
    )

__all__ = [
    "GANTrainer",
    "accelerate_layers",
    "apply_gradients",
    "check_variables",
    "cond",
    "get_global_rng_state",
    "input_gradient",
    "prepare_compile",
    "replica_mean",
    "replica_context",
    "prepare_fit",
    "set_global_rng_state",
    "value_and_grad",
    "without_gradient",
]
