"""Base class, shared math and registry for gradient penalties."""

import keras
from keras import ops

from keras_gan import backend
from keras_gan.distributed.noise import replica_uniform
from keras_gan.utils.registry import Configurable
from keras_gan.utils.registry import Registry
from keras_gan.validation import check_positive_int


def _reduce_axes(x):
    return list(range(1, len(x.shape)))


def squared_gradient_norm(grads):
    """Per-sample squared L2 norm `||g_i||^2`, summed over all non-batch axes.

    Args:
        grads: gradients, shape `(batch, ...)`.

    Returns:
        Tensor of shape `(batch,)`.
    """
    return ops.sum(ops.square(grads), axis=_reduce_axes(grads))


def gradient_norm(grads, epsilon=1e-12):
    """Per-sample L2 norm `sqrt(||g_i||^2 + epsilon)`.

    The epsilon keeps the norm differentiable at `g = 0`, where the
    derivative of `sqrt` is infinite and would turn the update into NaN.

    Args:
        grads: gradients, shape `(batch, ...)`.
        epsilon: small constant added under the square root.

    Returns:
        Tensor of shape `(batch,)`.
    """
    return ops.sqrt(squared_gradient_norm(grads) + epsilon)


def squared_norm_penalty(discriminator_fn, x):
    """`E[||grad_x D(x)||^2]` at the given points (R1 on real, R2 on fake data).

    Args:
        discriminator_fn: callable mapping a batch to D's outputs.
        x: the batch at which the input gradient is taken.

    Returns:
        Scalar.
    """
    grads = backend.input_gradient(discriminator_fn, ops.stop_gradient(ops.convert_to_tensor(x)))
    return ops.mean(squared_gradient_norm(grads))


def norm_penalty(grads, target=1.0, one_sided=False, epsilon=1e-12):
    """`E[(||g|| - target)^2]`, or `E[max(0, ||g|| - target)^2]` when one-sided.

    Args:
        grads: gradients of D's output w.r.t. its input, shape `(batch, ...)`.
        target: the norm the gradients are pulled towards (1 for 1-Lipschitz).
        one_sided: only penalise norms above `target` (Petzka et al., 2018).
        epsilon: see `gradient_norm`.

    Returns:
        Scalar.
    """
    gap = gradient_norm(grads, epsilon) - target
    if one_sided:
        gap = ops.relu(gap)
    return ops.mean(ops.square(gap))


def batch_uniform(x, seed):
    """One U(0, 1) draw per sample, shaped to broadcast against `x`."""
    shape = (ops.shape(x)[0],) + (1,) * (len(x.shape) - 1)
    return replica_uniform(
        shape, dtype=keras.backend.standardize_dtype(x.dtype), seed=seed
    )


class Penalty(Configurable):
    """A regulariser of the discriminator computed from input gradients.

    Subclasses implement `compute(discriminator_fn, real, fake, seed)`,
    returning the *unweighted* scalar penalty. The discriminator's loss gets
    `weight * penalty` added. With lazy regularisation (`interval=k`,
    Karras et al., 2020, sec. 3.1) the penalty is computed and applied on
    every k-th discriminator step only, multiplied by `k` so that its average
    strength is unchanged; the other steps skip its cost.

    Args:
        weight: multiplier of the penalty in D's loss.
        interval: apply the penalty every `interval` D steps (1 = always).
    """

    registry_name = None

    def __init__(self, weight=10.0, interval=1):
        if not isinstance(weight, (int, float)) or weight < 0:
            raise ValueError(
                "`weight` must be a non-negative number. "
                f"Received: weight={weight!r}"
            )
        interval = check_positive_int("interval", interval)
        self.weight = float(weight)
        self.interval = interval

    def compute(self, discriminator_fn, real, fake, seed=None):
        raise NotImplementedError

    def __call__(self, discriminator_fn, real, fake, seed=None):
        return self.compute(discriminator_fn, real, fake, seed=seed)

    def scale(self):
        """Multiplier of the penalty on a step where it is applied.

        `weight * interval`: with lazy regularisation the penalty is applied
        on one D step in `interval`, so it counts `interval` times there.
        """
        return self.weight * self.interval

    def get_config(self):
        return {"weight": self.weight, "interval": self.interval}


_REGISTRY = Registry("penalty", Penalty)
register = _REGISTRY.register
available = _REGISTRY.available
create = _REGISTRY.create


def get(identifier):
    """Returns a `Penalty` from a name, a config dict, an instance or `None`.

    Args:
        identifier: `"wgan_gp"`, `"r1"`, `"r2"`, `"dragan"`, a `Penalty`,
            a serialized config dict, or `None` for no penalty.

    Returns:
        A `Penalty` instance or `None`.
    """
    if identifier is None:
        return None
    return _REGISTRY.get(identifier)
