"""PyTorch implementation of the keras_gan backend surface."""

import warnings

import torch
import torch.distributed as dist

from keras_gan.backend import torch_layers


def _world():
    """`(rank, world size)` of the `torch.distributed` process group, else `(0, 1)`."""
    if dist.is_available() and dist.is_initialized():
        return dist.get_rank(), dist.get_world_size()
    return 0, 1


def value_and_grad(fn, variables):
    """Returns `(loss, aux), grads` of `fn()` w.r.t. `variables` (autograd).

    In a `torch.distributed` process group of N processes, the gradients (the
    penalty's second-order terms included, since they are part of `grads`),
    the loss and the scalar `aux` values are averaged over the processes with
    one all-reduce, so every process applies the same update and logs the
    global means. (DDP's hooks only run in `loss.backward()`, which a
    gradient penalty cannot use, so the all-reduce is done here.)
    """
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
    loss = loss.detach()
    _, world = _world()
    if world > 1:
        leaves, spec = torch.utils._pytree.tree_flatten(aux)
        tensors = grads + [loss] + leaves
        flat = torch.cat([t.reshape(-1).to(torch.float32) for t in tensors])
        dist.all_reduce(flat)
        flat /= world
        out, offset = [], 0
        for t in tensors:
            out.append(flat[offset:offset + t.numel()].view_as(t).to(t.dtype))
            offset += t.numel()
        grads = out[: len(grads)]
        loss = out[len(grads)]
        aux = torch.utils._pytree.tree_unflatten(out[len(grads) + 1:], spec)
    return (loss, aux), grads


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


def without_gradient(fn):
    """`fn()` under `torch.no_grad()`: no graph is recorded, nothing is saved
    for a backward pass (the eager counterpart of `stop_gradient`)."""
    with torch.no_grad():
        return fn()


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

    def test_step(self, data):
        with torch.no_grad():
            return self._gan_test_step(data)


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


def replica_context():
    """`(rank, world size)` in a `torch.distributed` process group, else `(0, 1)`."""
    return _world()


def replica_mean(x):
    """Mean of `x` over the processes (not differentiable); `x` with one process."""
    _, world = _world()
    if world == 1:
        return x
    y = x.detach().clone()
    dist.all_reduce(y)
    return y / world


def check_variables(variables):
    """Nothing to check: a torch process holds whole copies of its variables."""
    del variables


def prepare_fit(gan, facts):
    """Synchronises the processes of a `torch.distributed` group before `fit`.

    Checks that every process runs the same number of steps with the same
    batch size (else a collective would wait forever), then copies every
    variable of rank 0 (G, D, the EMA copy, both optimizers' state, the RNG
    state) to the other ranks, so all replicas start identical.
    Returns `(1, "processes")`: each process is given its own batch.
    """
    rank, world = _world()
    if world == 1:
        return 1, "processes"
    gathered = [None] * world
    dist.all_gather_object(gathered, dict(facts))
    keys = sorted({k for f in gathered for k in f})
    for key in keys:
        values = [f.get(key) for f in gathered]
        if any(v != values[0] for v in values):
            per_rank = ", ".join(f"rank {i}: {v}" for i, v in enumerate(values))
            raise ValueError(
                f"Every process of the torch.distributed group must call fit() "
                f"with the same {key.replace('_', ' ')}, or some would wait "
                "forever for the others' gradients. Cut the data with "
                "keras_gan.distributed.shard(x, global_batch_size). "
                f"Received: {per_rank}"
            )
    seen = set()
    variables = (
        list(gan.variables)
        + list(gan.optimizer.variables)
        + [sg.state for sg in gan._seed_generators_to_save()]
    )
    with torch.no_grad():
        for v in variables:
            if id(v) in seen:
                continue
            seen.add(id(v))
            value = v.value
            if value.dtype in (torch.uint32, torch.uint64, torch.uint16):
                buf = value.to(torch.int64)
                dist.broadcast(buf, src=0)
                v.assign(buf.to(value.dtype))
            else:
                buf = value.detach().clone()
                dist.broadcast(buf, src=0)
                v.assign(buf)
        # Keras' torch Dropout without `seed=` draws from torch's global
        # generator: give every rank its own stream, derived from rank 0's.
        base = torch.randint(0, 2**62, (1,), dtype=torch.int64)
        dist.broadcast(base, src=0)
        torch.manual_seed(int(base.item()) + 7919 * rank)
    return 1, "processes"


def accelerate_layers(model, enabled=True):
    """Gives `model`'s covered layers torch calls with Keras' results, faster.

    See `keras_gan/backend/torch_layers.py`: transposed convolutions that
    compute only the outputs kept, channels-last convolutions without
    copies, fused batch normalization, cheaper dropout masks. `enabled=False`
    (or `KERAS_GAN_FAST_LAYERS=0`) gives Keras' calls back. Returns the
    names of the layers with a fast call.
    """
    return torch_layers.accelerate(model, enabled=enabled)
