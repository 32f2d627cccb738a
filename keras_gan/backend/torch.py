"""PyTorch implementation of the keras_gan backend surface."""

import warnings

import torch


def value_and_grad(fn, variables):
    """Returns `(loss, aux), grads` of `fn()` w.r.t. `variables` (autograd)."""
    variables = list(variables)
    with torch.enable_grad():
        loss, aux = fn()
        params = [v.value for v in variables]
        grads = torch.autograd.grad(loss, params, allow_unused=True)
    grads = [
        torch.zeros_like(p) if g is None else g for g, p in zip(grads, params)
    ]
    aux = torch.utils._pytree.tree_map(
        lambda t: t.detach() if isinstance(t, torch.Tensor) else t, aux
    )
    return (loss.detach(), aux), grads


def input_gradient(fn, x):
    """Gradient of `sum(fn(x))` w.r.t. `x` with `create_graph=True`.

    Without `create_graph=True` the returned gradient would be a constant to
    autograd, and a penalty built from it would silently stop training the
    discriminator. `x` is detached first: gradient penalties regularise the
    discriminator only.
    """
    x = x.detach().requires_grad_(True)
    with torch.enable_grad():
        y = fn(x)
        (grad,) = torch.autograd.grad(y.sum(), x, create_graph=True)
    return grad


def apply_gradients(optimizer, grads, variables):
    with torch.no_grad():
        optimizer.apply(grads, variables)


def prepare_compile(jit_compile):
    # `torch.compile` cannot differentiate twice (gradient penalties), and
    # Keras' "auto" resolves to eager execution on torch anyway.
    if jit_compile is True:
        warnings.warn(
            "keras_gan: jit_compile=True is not supported on the torch "
            "backend (torch.compile cannot compute the second-order "
            "gradients of gradient penalties); training runs eagerly.",
            stacklevel=3,
        )
    return False


class GANTrainer:
    """`train_step(data)` as `keras.src.backend.torch.TorchTrainer` calls it."""

    def train_step(self, data):
        return self._gan_train_step(data)


def cond(pred, true_fn, false_fn):
    """Eager: runs one branch on the (CPU-synchronised) value of `pred`."""
    if bool(pred):
        true_fn()
    else:
        false_fn()


def get_global_rng_state():
    """torch's global CPU RNG state, as uint8 numpy.

    Keras' torch backend runs unseeded `Dropout` (no `seed=` given) on this
    generator instead of the layer's `SeedGenerator`, so exact resume must
    save it.
    """
    return torch.get_rng_state().numpy().copy()


def set_global_rng_state(state):
    torch.set_rng_state(torch.from_numpy(state.astype("uint8")))
