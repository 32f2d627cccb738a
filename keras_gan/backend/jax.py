"""JAX implementation of the keras_gan backend surface.

Keras' JAX trainer calls a *stateless* `train_step(state, data)`: every
variable value travels in `state` and the step returns the new values. We run
the backend-agnostic GAN step inside one `keras.StatelessScope` that maps every
variable to its value in `state`; variable assignments (optimizer updates,
metric updates, RNG state, EMA) are recorded in that scope and read back at
the end. Gradients are taken with `jax.value_and_grad` over a pure function
that opens a nested scope in which the differentiated variables are replaced
by JAX tracers.
"""

import jax
import jax.numpy as jnp
import keras
from keras import StatelessScope
from keras.src.backend.common.stateless_scope import get_stateless_scope


def _nested_scope(parent, overrides):
    """A StatelessScope that sees `parent`'s values, overridden by `overrides`."""
    scope = StatelessScope()
    if parent is not None:
        scope.state_mapping.update(parent.state_mapping)
    scope.state_mapping.update(overrides)
    return scope


def value_and_grad(fn, variables):
    """Returns `(loss, aux), grads` of `fn()` w.r.t. `variables` (jax.grad).

    Assignments that `fn` makes to *other* variables (RNG state, batch-norm
    statistics) are carried out of the differentiated function and recorded
    in the enclosing stateless scope.
    """
    variables = list(variables)
    parent = get_stateless_scope()
    diff_ids = [id(v) for v in variables]
    diff_set = set(diff_ids)
    before = dict(parent.state_mapping) if parent is not None else {}

    def pure(values):
        scope = _nested_scope(parent, dict(zip(diff_ids, values)))
        with scope:
            loss, aux = fn()
        updates = {
            k: v
            for k, v in scope.state_mapping.items()
            if k not in diff_set and before.get(k) is not v
        }
        return loss, (aux, updates)

    values = [v.value for v in variables]
    (loss, (aux, updates)), grads = jax.value_and_grad(pure, has_aux=True)(
        values
    )
    if parent is not None:
        parent.state_mapping.update(updates)
    elif updates:
        id_to_var = {id(v): v for v in variables}
        for k, v in updates.items():
            if k in id_to_var:
                id_to_var[k].assign(v)
    return (loss, aux), grads


def cond(pred, true_fn, false_fn):
    """`jax.lax.cond` over two functions that only update Keras variables.

    Each branch runs in its own scope and returns the values of every
    variable of the enclosing scope, so both branches have the same output
    structure; the taken branch's values are written back to that scope.
    Only used with `steps_per_execution > 1`: it is slower than a plain step
    (docs/design.md, "Lazy regularisation without a run-time branch").
    """
    parent = get_stateless_scope()
    keys = list(parent.state_mapping)

    def as_branch(fn):
        def branch(_):
            scope = _nested_scope(parent, {})
            with scope:
                fn()
            return [scope.state_mapping[k] for k in keys]

        return branch

    values = jax.lax.cond(
        jnp.asarray(pred), as_branch(true_fn), as_branch(false_fn), None
    )
    parent.state_mapping.update(zip(keys, values))


def input_gradient(fn, x):
    """Gradient of `sum(fn(x))` w.r.t. `x`; differentiable w.r.t. closed-over weights."""
    return jax.grad(lambda x_: jnp.sum(fn(x_)))(x)


def without_gradient(fn):
    """`fn()` with every output behind `jax.lax.stop_gradient`."""
    return jax.tree_util.tree_map(jax.lax.stop_gradient, fn())


def apply_gradients(optimizer, grads, variables):
    optimizer.apply(grads, variables)


def prepare_compile(jit_compile):
    return jit_compile


class GANTrainer:
    """`train_step(state, data)` as `keras.src.backend.jax.JAXTrainer` calls it."""

    def _purge_model_variables(self, *args, **kwargs):
        # Keras' JAX trainer drops the variables' values while an epoch runs
        # (to save memory) and only restores them when the epoch ends: an
        # exception in the first step (bad input detected while tracing)
        # would leave a GAN without weights. GAN weights are small; keep them.
        pass

    def _stateless(self, step, owners, state, data):
        """Runs `step(data)` with `state` (one value list per owner's variables).

        Returns `(logs, new state)` in the same structure.
        """
        groups = list(zip(owners, state))
        mapping = []
        for refs, values in groups:
            mapping.extend(zip(refs, values))
        with StatelessScope(state_mapping=mapping) as scope:
            logs = step(data)
        return logs, tuple([scope.get_current_value(v) for v in refs] for refs, _ in groups)

    def train_step(self, state, data):
        owners = (self.trainable_variables, self.non_trainable_variables,
                  self.optimizer.variables, self.metrics_variables)
        return self._stateless(self._gan_train_step, owners, state, data)

    def test_step(self, state, data):
        """`test_step(state, data)` as `JAXTrainer.evaluate` calls it."""
        owners = (self.trainable_variables, self.non_trainable_variables,
                  self.metrics_variables)
        return self._stateless(self._gan_test_step, owners, state, data)


def get_global_rng_state():
    """None: all randomness of a Keras model here lives in SeedGenerator states."""
    return None


def set_global_rng_state(state):
    del state


def replica_context():
    """`(0, 1)`: under `keras.distribution` a JAX step sees the global batch.

    XLA (GSPMD) partitions the global computation over the devices, so noise
    drawn for the global batch is already different on every device.
    """
    return 0, 1


def replica_mean(x):
    """`x`: a JAX step's statistics are already global."""
    return x


def check_variables(variables):
    """Raises if a `keras.distribution` is set but some `variables` were
    created before it (they live on one device, not laid out on the mesh)."""
    distribution = keras.distribution.distribution()
    if distribution is None:
        return
    devices = {str(d) for d in distribution.device_mesh.backend_mesh.devices.flatten()}
    outside = []
    for v in variables:
        sharding = getattr(v.value, "sharding", None)
        if sharding is not None and {str(d) for d in sharding.device_set} != devices:
            outside.append(v.path)
    if outside:
        raise ValueError(
            f"The GAN runs under {type(distribution).__name__} over "
            f"{len(devices)} devices, but some of its variables were created "
            "before the distribution was set and live on one device. Call "
            "keras.distribution.set_distribution(...) (or use "
            "`with distribution.scope():`) before building the networks and "
            f"the GAN. Received: {len(outside)} variables outside the "
            f"distribution, e.g. {', '.join(outside[:3])}"
        )


def prepare_fit(gan, facts):
    """Checks a `keras.distribution` set-up; returns `(devices on the batch axis, name)`."""
    del facts
    distribution = keras.distribution.distribution()
    if distribution is None:
        return 1, "devices"
    check_variables(list(gan.variables) + list(gan.optimizer.variables))
    mesh = distribution.device_mesh
    count = int(mesh.shape[mesh.axis_names.index(distribution.batch_dim_name)])
    return count, f"devices on the {distribution.batch_dim_name!r} mesh axis"


def accelerate_layers(model, enabled=True):
    """Nothing to do: XLA compiles and fuses the whole step on JAX."""
    del model, enabled
    return []
