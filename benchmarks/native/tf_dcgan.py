"""Native TensorFlow: `tf.function` + `tf.GradientTape` (the tensorflow.org tutorial style)."""

import tensorflow as tf

from benchmarks.native import BATCH
from benchmarks.native import BETA_1
from benchmarks.native import BETA_2
from benchmarks.native import EPSILON
from benchmarks.native import GP_WEIGHT
from benchmarks.native import LATENT
from benchmarks.native import LR


def _generator():
    # Plain tf.Module code (tf.keras is Keras 3 here): the layers by hand.
    init = tf.initializers.GlorotUniform(seed=0)

    class G(tf.Module):
        def __init__(self):
            super().__init__()
            self.w0 = tf.Variable(init((LATENT, 7 * 7 * 256)))
            self.bn = [_BN(7 * 7 * 256), _BN(128), _BN(64)]
            self.k1 = tf.Variable(init((5, 5, 128, 256)))  # conv_transpose: (h, w, out, in)
            self.k2 = tf.Variable(init((5, 5, 64, 128)))
            self.k3 = tf.Variable(init((5, 5, 1, 64)))

        def __call__(self, z, training=True):
            b = tf.shape(z)[0]
            h = tf.nn.leaky_relu(self.bn[0](z @ self.w0, training), 0.3)
            h = tf.reshape(h, (b, 7, 7, 256))
            h = tf.nn.conv2d_transpose(h, self.k1, (b, 7, 7, 128), 1, "SAME")
            h = tf.nn.leaky_relu(self.bn[1](h, training), 0.3)
            h = tf.nn.conv2d_transpose(h, self.k2, (b, 14, 14, 64), 2, "SAME")
            h = tf.nn.leaky_relu(self.bn[2](h, training), 0.3)
            return tf.tanh(tf.nn.conv2d_transpose(h, self.k3, (b, 28, 28, 1), 2, "SAME"))

    return G()


class _BN(tf.Module):
    def __init__(self, n, momentum=0.99, eps=1e-3):
        super().__init__()
        self.gamma = tf.Variable(tf.ones(n))
        self.beta = tf.Variable(tf.zeros(n))
        self.mean = tf.Variable(tf.zeros(n), trainable=False)
        self.var = tf.Variable(tf.ones(n), trainable=False)
        self.momentum, self.eps = momentum, eps

    def __call__(self, x, training):
        axes = list(range(len(x.shape) - 1))
        if training:
            mean, var = tf.nn.moments(x, axes)
            self.mean.assign(self.momentum * self.mean + (1 - self.momentum) * mean)
            self.var.assign(self.momentum * self.var + (1 - self.momentum) * var)
        else:
            mean, var = self.mean, self.var
        return tf.nn.batch_normalization(x, mean, var, self.beta, self.gamma, self.eps)


def _discriminator():
    init = tf.initializers.GlorotUniform(seed=1)

    class D(tf.Module):
        def __init__(self):
            super().__init__()
            self.k1 = tf.Variable(init((5, 5, 1, 64)))
            self.b1 = tf.Variable(tf.zeros(64))
            self.k2 = tf.Variable(init((5, 5, 64, 128)))
            self.b2 = tf.Variable(tf.zeros(128))
            self.w = tf.Variable(init((7 * 7 * 128, 1)))
            self.b = tf.Variable(tf.zeros(1))
            self.rng = tf.random.Generator.from_seed(2)

        def __call__(self, x, training=True):
            h = tf.nn.leaky_relu(tf.nn.conv2d(x, self.k1, 2, "SAME") + self.b1, 0.3)
            if training:
                h = _dropout(h, self.rng)
            h = tf.nn.leaky_relu(tf.nn.conv2d(h, self.k2, 2, "SAME") + self.b2, 0.3)
            if training:
                h = _dropout(h, self.rng)
            return tf.reshape(h, (tf.shape(h)[0], -1)) @ self.w + self.b

    return D()


def _dropout(h, rng, rate=0.3):
    keep = rng.uniform(tf.shape(h)) >= rate
    return tf.where(keep, h / (1 - rate), 0.0)


class Adam(tf.Module):
    """Adam with TensorFlow's fused kernel (`ResourceApplyAdam`), no Keras."""

    def __init__(self, variables):
        super().__init__()
        self.vars = list(variables)
        self.m = [tf.Variable(tf.zeros_like(v)) for v in self.vars]
        self.v = [tf.Variable(tf.zeros_like(v)) for v in self.vars]
        self.t = tf.Variable(0.0)

    def apply(self, grads):
        self.t.assign_add(1.0)
        b1p, b2p = tf.pow(BETA_1, self.t), tf.pow(BETA_2, self.t)
        for var, m, v, g in zip(self.vars, self.m, self.v, grads):
            tf.raw_ops.ResourceApplyAdam(
                var=var.handle, m=m.handle, v=v.handle, beta1_power=b1p, beta2_power=b2p,
                lr=LR, beta1=BETA_1, beta2=BETA_2, epsilon=EPSILON, grad=g)


def build(objective, jit_compile=False, simultaneous=False):
    """Returns `(step, n_params)`; `step(x)` runs one GAN step on the batch `x`.

    `simultaneous=True` is the tensorflow.org tutorial's step instead: one
    noise draw, one G forward pass, both losses from the same D outputs and
    both updates from one pass (G's update does not see D's new weights).
    Less work per step than the alternating step that keras_gan (and every
    other variant here) makes; only for `ns`.
    """
    G, D = _generator(), _discriminator()
    rng = tf.random.Generator.from_seed(3)
    g_vars = list(G.trainable_variables)
    d_vars = list(D.trainable_variables)
    g_opt, d_opt = Adam(g_vars), Adam(d_vars)

    def d_loss_fn(x, fake):
        real_logits, fake_logits = D(x), D(fake)
        if objective == "ns":
            return tf.reduce_mean(tf.nn.softplus(-real_logits)) + tf.reduce_mean(
                tf.nn.softplus(fake_logits))
        loss = tf.reduce_mean(fake_logits) - tf.reduce_mean(real_logits)
        eps = rng.uniform((BATCH, 1, 1, 1))
        x_hat = eps * x + (1.0 - eps) * fake
        with tf.GradientTape() as inner:
            inner.watch(x_hat)
            out = D(x_hat)
        grads = inner.gradient(out, x_hat)
        norm = tf.sqrt(tf.reduce_sum(tf.square(grads), axis=[1, 2, 3]) + 1e-12)
        return loss + GP_WEIGHT * tf.reduce_mean(tf.square(norm - 1.0))

    def g_loss_fn(logits):
        if objective == "ns":
            return tf.reduce_mean(tf.nn.softplus(-logits))
        return -tf.reduce_mean(logits)

    @tf.function(jit_compile=jit_compile)
    def simultaneous_step(x):
        z = rng.normal((BATCH, LATENT))
        with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
            fake = G(z)
            real_logits, fake_logits = D(x), D(fake)
            g_loss = g_loss_fn(fake_logits)
            d_loss = tf.reduce_mean(tf.nn.softplus(-real_logits)) + tf.reduce_mean(
                tf.nn.softplus(fake_logits))
        g_opt.apply(g_tape.gradient(g_loss, g_vars))
        d_opt.apply(d_tape.gradient(d_loss, d_vars))
        return d_loss, g_loss

    @tf.function(jit_compile=jit_compile)
    def step(x):
        fake = tf.stop_gradient(G(rng.normal((BATCH, LATENT))))
        with tf.GradientTape() as tape:
            d_loss = d_loss_fn(x, fake)
        d_opt.apply(tape.gradient(d_loss, d_vars))
        z = rng.normal((BATCH, LATENT))
        with tf.GradientTape() as tape:
            g_loss = g_loss_fn(D(G(z)))
        g_opt.apply(tape.gradient(g_loss, g_vars))
        return d_loss, g_loss

    n_params = sum(int(tf.size(v)) for v in G.variables if v.dtype == tf.float32) + sum(
        int(tf.size(v)) for v in d_vars)
    if simultaneous:
        if objective != "ns":
            raise ValueError(f"simultaneous=True is the tutorial's ns step. Received: {objective}")
        return simultaneous_step, n_params
    return step, n_params


def to_batch(x):
    return tf.constant(x)


def sync(out):
    return [float(t) for t in out]
