"""Native JAX: Flax (linen) modules and Optax Adam, one `jax.jit`-ed step."""

import functools

import flax.linen as nn
import jax
import jax.numpy as jnp
import optax

from benchmarks.native import BATCH
from benchmarks.native import BETA_1
from benchmarks.native import BETA_2
from benchmarks.native import EPSILON
from benchmarks.native import GP_WEIGHT
from benchmarks.native import LATENT
from benchmarks.native import LR


class Generator(nn.Module):
    @nn.compact
    def __call__(self, z, train=True):
        bn = functools.partial(nn.BatchNorm, use_running_average=not train, momentum=0.99,
                               epsilon=1e-3)
        h = nn.leaky_relu(bn()(nn.Dense(7 * 7 * 256, use_bias=False)(z)), 0.3)
        h = h.reshape((-1, 7, 7, 256))
        h = nn.ConvTranspose(128, (5, 5), (1, 1), padding="SAME", use_bias=False)(h)
        h = nn.leaky_relu(bn()(h), 0.3)
        h = nn.ConvTranspose(64, (5, 5), (2, 2), padding="SAME", use_bias=False)(h)
        h = nn.leaky_relu(bn()(h), 0.3)
        return jnp.tanh(nn.ConvTranspose(1, (5, 5), (2, 2), padding="SAME", use_bias=False)(h))


class Discriminator(nn.Module):
    @nn.compact
    def __call__(self, x, train=True):
        h = nn.leaky_relu(nn.Conv(64, (5, 5), (2, 2), padding="SAME")(x), 0.3)
        h = nn.Dropout(0.3, deterministic=not train)(h)
        h = nn.leaky_relu(nn.Conv(128, (5, 5), (2, 2), padding="SAME")(h), 0.3)
        h = nn.Dropout(0.3, deterministic=not train)(h)
        return nn.Dense(1)(h.reshape((h.shape[0], -1)))


def build(objective):
    """Returns `(step, n_params)`; `step(x)` runs one GAN step on the NHWC batch `x`."""
    G, D = Generator(), Discriminator()
    key = jax.random.PRNGKey(0)
    g_vars = G.init(key, jnp.zeros((1, LATENT)))
    d_params = D.init(jax.random.PRNGKey(1), jnp.zeros((1, 28, 28, 1)), train=False)["params"]
    opt = optax.adam(LR, b1=BETA_1, b2=BETA_2, eps=EPSILON)
    state = {
        "g": g_vars["params"], "bn": g_vars["batch_stats"], "d": d_params,
        "g_opt": opt.init(g_vars["params"]), "d_opt": opt.init(d_params),
        "key": jax.random.PRNGKey(2),
    }

    def gen(g, bn, z):
        out, updates = G.apply({"params": g, "batch_stats": bn}, z, mutable=["batch_stats"])
        return out, updates["batch_stats"]

    def disc(d, x, key):
        return D.apply({"params": d}, x, rngs={"dropout": key})

    def d_loss_fn(d, x, fake, keys):
        real_logits, fake_logits = disc(d, x, keys[0]), disc(d, fake, keys[1])
        if objective == "ns":
            return jnp.mean(jax.nn.softplus(-real_logits)) + jnp.mean(jax.nn.softplus(fake_logits))
        eps = jax.random.uniform(keys[2], (BATCH, 1, 1, 1))
        x_hat = eps * x + (1 - eps) * fake
        grads = jax.grad(lambda xh: jnp.sum(disc(d, xh, keys[3])))(x_hat)
        norm = jnp.sqrt(jnp.sum(grads ** 2, axis=(1, 2, 3)) + 1e-12)
        gp = jnp.mean((norm - 1.0) ** 2)
        return jnp.mean(fake_logits) - jnp.mean(real_logits) + GP_WEIGHT * gp

    def g_loss_fn(g, bn, d, z, key):
        fake, bn = gen(g, bn, z)
        logits = disc(d, fake, key)
        loss = jnp.mean(jax.nn.softplus(-logits)) if objective == "ns" else -jnp.mean(logits)
        return loss, bn

    @functools.partial(jax.jit, donate_argnums=0)
    def train_step(s, x):
        keys = jax.random.split(s["key"], 9)
        fake, bn = gen(s["g"], s["bn"], jax.random.normal(keys[0], (BATCH, LATENT)))
        fake = jax.lax.stop_gradient(fake)
        d_loss, d_grads = jax.value_and_grad(d_loss_fn)(s["d"], x, fake, keys[1:5])
        d_updates, d_opt = opt.update(d_grads, s["d_opt"], s["d"])
        d = optax.apply_updates(s["d"], d_updates)
        z = jax.random.normal(keys[5], (BATCH, LATENT))
        (g_loss, bn), g_grads = jax.value_and_grad(g_loss_fn, has_aux=True)(
            s["g"], bn, d, z, keys[6])
        g_updates, g_opt = opt.update(g_grads, s["g_opt"], s["g"])
        g = optax.apply_updates(s["g"], g_updates)
        new = {"g": g, "bn": bn, "d": d, "g_opt": g_opt, "d_opt": d_opt, "key": keys[8]}
        return new, (d_loss, g_loss)

    holder = {"state": state}

    def step(x):
        holder["state"], out = train_step(holder["state"], x)
        return out

    count = lambda tree: sum(a.size for a in jax.tree_util.tree_leaves(tree))  # noqa: E731
    n_params = count(g_vars) + count(d_params)
    return step, n_params


def to_batch(x):
    return jnp.asarray(x)


def sync(out):
    return [float(t) for t in out]
