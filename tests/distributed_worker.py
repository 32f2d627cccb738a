"""Runs one small GAN data-parallel and on one device; saves what the tests compare.

Used by tests/test_distributed.py in fresh processes (the devices must be set
up before the backend starts):

    KERAS_BACKEND=tensorflow python tests/distributed_worker.py DIR CASES
    KERAS_BACKEND=jax XLA_FLAGS=--xla_force_host_platform_device_count=2 \\
        python tests/distributed_worker.py DIR CASES
    KERAS_BACKEND=torch torchrun --nproc_per_node=2 tests/distributed_worker.py DIR CASES
    KERAS_BACKEND=torch python tests/distributed_worker.py DIR CASES   # 1 process

CASES is a comma-separated list of `bad` (set-ups that must be refused; the
messages go to DIR/bad*.json), `dropout` (D's outputs with Dropout on each
replica after fit, to DIR/dropout*.json; TF and torch) and `wgan_gp` (Wasserstein loss + WGAN-GP, 2 D steps), `r1_lazy`
(non-saturating + R1 every 2nd D step, EMA), `dragan` or `conditional`.
D has no Dropout: a layer's own random ops are not made replica-aware (see
docs/guides/multi_device.md), so with Dropout the runs would differ; for the
same reason G's BatchNormalization is synchronized (TF) or absent (torch).
Each run trains 1 step on the first global batch, then 3 more, with a fixed
initialisation; it saves the weights after the first step and at the end, the
logged losses, and the noise each replica draws from the same seed state.
"""

import contextlib
import faulthandler
import json
import os
import sys

faulthandler.enable()  # a native crash prints the Python stack on stderr

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
BACKEND = os.environ["KERAS_BACKEND"]
GLOBAL_BATCH = 16
STEPS = 4
LATENT = 8

if BACKEND == "tensorflow":
    import tensorflow as tf

    cpus = tf.config.list_physical_devices("CPU")
    tf.config.set_logical_device_configuration(
        cpus[0], [tf.config.LogicalDeviceConfiguration()] * 2
    )

import keras  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import keras_gan  # noqa: E402

CASES = {
    "wgan_gp": dict(loss="wasserstein", penalty="wgan_gp", d_steps=2),
    "r1_lazy": dict(loss="non_saturating",
                    penalty=keras_gan.penalties.R1(gamma=1.0, interval=2),
                    ema_decay=0.9),
    "r1": dict(loss="non_saturating", penalty="r1", ema_decay=0.9),
    "dragan": dict(loss="non_saturating", penalty="dragan"),
    "conditional": dict(loss="hinge", penalty="r1", ema_decay=0.9),
    # JAX only: G's projection and D's convolutions split over a "model" axis
    "model_parallel": dict(loss="wasserstein", penalty="wgan_gp", ema_decay=0.9),
}


def data():
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (GLOBAL_BATCH * STEPS, 28, 28, 1)).astype("float32")
    y = (np.arange(len(x)) % 10).astype("int32")
    return x, y


def generator(conditional):
    """A small DCGAN-like G. BatchNormalization only where its statistics are
    global: synchronized across replicas on TensorFlow, and on JAX (whose step
    sees the global batch); a torch process normalises its own share."""
    layers = keras.layers
    z = keras.Input((LATENT,))
    inputs, h = [z], z
    if conditional:
        label = keras.Input((), dtype="int32")
        inputs.append(label)
        h = layers.Concatenate()([z, layers.Embedding(10, 4)(label)])
    h = layers.Dense(7 * 7 * 8, use_bias=False, name="g_project")(h)
    if BACKEND == "tensorflow":
        h = layers.BatchNormalization(synchronized=True)(h)
    elif BACKEND == "jax":
        h = layers.BatchNormalization()(h)
    h = layers.LeakyReLU()(h)
    h = layers.Reshape((7, 7, 8))(h)
    h = layers.Conv2DTranspose(8, 5, strides=2, padding="same")(h)
    h = layers.LeakyReLU()(h)
    out = layers.Conv2DTranspose(1, 5, strides=2, padding="same", activation="tanh")(h)
    return keras.Model(inputs, out)


def build(case, gan_scope=None):
    """The GAN of `case`; with `gan_scope`, only the GAN (not G and D) is made in it."""
    keras.utils.set_random_seed(0)
    conditional = case == "conditional"
    G = generator(conditional)
    if conditional:
        D = keras_gan.models.conditional_dcgan_discriminator(10, (28, 28, 1), filters=(8, 8), dropout=0)
    else:
        D = keras_gan.models.dcgan_discriminator((28, 28, 1), filters=(8, 8), dropout=0)
    with gan_scope or contextlib.nullcontext():
        if conditional:
            gan = keras_gan.ConditionalGAN(G, D, LATENT, num_classes=10, seed=3, **CASES[case])
        else:
            gan = keras_gan.GAN(G, D, LATENT, seed=3, **CASES[case])
        gan.compile(keras.optimizers.Adam(1e-3, beta_1=0.5),
                    keras.optimizers.Adam(1e-3, beta_1=0.5))
    return gan


def dropout_gan():
    """The default DCGAN discriminator, with its Dropout(0.3)."""
    keras.utils.set_random_seed(0)
    G = keras_gan.models.dcgan_generator(LATENT, (28, 28, 1), filters=(8, 8, 8))
    D = keras_gan.models.dcgan_discriminator((28, 28, 1), filters=(8, 8))
    gan = keras_gan.GAN(G, D, LATENT, seed=3)
    gan.compile()
    return gan


def errors(attempts):
    """{name: message of the ValueError that each attempt raised (or None)}."""
    out = {}
    for name, fn in attempts.items():
        try:
            fn()
            out[name] = None
        except ValueError as e:
            out[name] = str(e)
    return out


def weights(gan):
    out = [np.asarray(w) for w in gan.generator.get_weights()]
    out += [np.asarray(w) for w in gan.discriminator.get_weights()]
    if gan.generator_ema is not None:
        out += [np.asarray(w) for w in gan.generator_ema.get_weights()]
    return out


def train(gan, case, x, y, batch):
    labels = y if case == "conditional" else None
    n1 = batch  # one step
    h1 = gan.fit(x[:n1], None if labels is None else labels[:n1], batch_size=batch,
                 shuffle=False, verbose=0)
    first = weights(gan)
    h2 = gan.fit(x[n1:], None if labels is None else labels[n1:], batch_size=batch,
                 shuffle=False, verbose=0)
    logs = {k: [float(v[0]) for v in (h1.history[k], h2.history[k])] for k in h1.history}
    return first, weights(gan), logs


def save(path, first, last, logs, noise, extra=None):
    arrays = {f"first_{i}": w for i, w in enumerate(first)}
    arrays.update({f"last_{i}": w for i, w in enumerate(last)})
    arrays["noise"] = np.asarray(noise)
    arrays["logs"] = np.asarray(json.dumps(logs))
    arrays["extra"] = np.asarray(json.dumps(extra or {}))
    np.savez(path, **arrays)


def run_tensorflow(out, case):
    # One MirroredStrategy for every case of the process, and its runs before
    # any single-device run: TensorFlow numbers collective instances per
    # device, so a synchronized layer run on one device first would leave
    # the two devices' counters out of step for a later strategy.
    x, y = data()
    base = os.path.splitext(out)[0]
    if case == "bad":
        strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
        with strategy.scope():
            gan = build("wgan_gp")
        found = errors({
            "batch": lambda: gan.fit(x[:30], batch_size=15, verbose=0),
            "remainder": lambda: gan.fit(x[:33], batch_size=16, verbose=0),
            # G and D made outside the scope, the GAN inside it
            "outside": lambda: build("wgan_gp", gan_scope=strategy.scope()),
        })
        with open(f"{base}.json", "w") as f:
            json.dump(found, f)
        return
    if case == "dropout":
        name, strategy = STRATEGIES[0]
        if name != "multi":
            return
        with strategy.scope():
            gan = dropout_gan()
        gan.fit(x[:GLOBAL_BATCH], batch_size=GLOBAL_BATCH, verbose=0)
        xb = tf.constant(x[:4])
        outs = strategy.experimental_local_results(
            strategy.run(lambda: gan.discriminator(xb, training=True)))
        with open(f"{base}.json", "w") as f:
            json.dump({"outputs": [np.asarray(o).ravel().tolist() for o in outs]}, f)
        return
    for name, strategy in STRATEGIES:
        with strategy.scope():
            gan = build(case)
            sg = keras.random.SeedGenerator(7)
        first, last, logs = train(gan, case, x, y, GLOBAL_BATCH)
        per_replica = strategy.run(
            lambda: keras_gan.distributed.replica_normal(
                (GLOBAL_BATCH // strategy.num_replicas_in_sync, LATENT), seed=sg)
        )
        noise = [np.asarray(v) for v in strategy.experimental_local_results(per_replica)]
        # Largest difference between the replicas' copies of any variable.
        spread = 0.0
        for v in gan.variables + gan.optimizer.variables:
            copies = [np.asarray(c).astype("float64")
                      for c in strategy.experimental_local_results(v.value)]
            spread = max([spread] + [float(np.abs(c - copies[0]).max()) for c in copies])
        save(f"{base}.{name}.npz", first, last, logs, noise,
             {"replica_spread": spread, "replicas": strategy.num_replicas_in_sync})


def run_jax(out, case):
    import jax

    x, y = data()
    base = os.path.splitext(out)[0]
    parallel = keras.distribution.DataParallel(devices=jax.devices())
    if case == "bad":
        keras.distribution.set_distribution(parallel)
        gan = build("wgan_gp")
        keras.distribution.set_distribution(None)
        outside = build("wgan_gp")  # G, D and the GAN made before the distribution
        keras.distribution.set_distribution(parallel)
        found = errors({
            "batch": lambda: gan.fit(x[:30], batch_size=15, verbose=0),
            "remainder": lambda: gan.fit(x[:33], batch_size=16, verbose=0),
            "outside": lambda: outside.fit(x[:16], batch_size=16, verbose=0),
        })
        keras.distribution.set_distribution(None)
        with open(f"{base}.json", "w") as f:
            json.dump(found, f)
        return
    if case == "model_parallel":
        mesh = keras.distribution.DeviceMesh((1, 2), ["batch", "model"],
                                             devices=keras.distribution.list_devices())
        layout = keras.distribution.LayoutMap(mesh)
        layout["^g_project/kernel$"] = (None, "model")
        layout["^conv2d(_\\d+)?/kernel$"] = (None, None, None, "model")
        parallel = keras.distribution.ModelParallel(layout_map=layout, batch_dim_name="batch")
    for name, dist in (("multi", parallel), ("single", None)):
        keras.distribution.set_distribution(dist)
        gan = build(case)
        first, last, logs = train(gan, case, x, y, GLOBAL_BATCH)
        # The noise of the global batch, and which device holds which rows.
        sg = keras.random.SeedGenerator(7)
        z = jax.jit(
            lambda s: keras.random.normal((GLOBAL_BATCH, LATENT), seed=s),
            out_shardings=None if dist is None or case == "model_parallel" else
            jax.sharding.NamedSharding(dist.device_mesh.backend_mesh,
                                       jax.sharding.PartitionSpec("batch")),
        )(sg.state.value)
        shards = sorted(z.addressable_shards, key=lambda s: s.index[0].start or 0)
        noise = [np.asarray(s.data) for s in shards]
        spread, split = 0.0, []
        for v in gan.variables + gan.optimizer.variables:
            if not v.value.sharding.is_fully_replicated:
                split.append(v.path)  # model-parallel: each device holds a slice
                continue
            copies = [np.asarray(c.data).astype("float64") for c in v.value.addressable_shards]
            spread = max([spread] + [float(np.abs(c - copies[0]).max()) for c in copies])
        extra = {"replica_spread": spread, "split_variables": split,
                 "replicas": len(gan.generator.weights[0].value.sharding.device_set)}
        save(f"{base}.{name}.npz", first, last, logs, noise, extra)
    keras.distribution.set_distribution(None)


def run_torch(out, case):
    x, y = data()
    rank, world = keras_gan.distributed.replica_context()
    batch = GLOBAL_BATCH // world
    base = os.path.splitext(out)[0]
    if case == "bad":
        gan = build("wgan_gp")
        xs = keras_gan.distributed.shard(x, GLOBAL_BATCH)
        found = errors({
            # rank 1 asks for another batch size, or has more data
            "batch": lambda: gan.fit(xs, batch_size=batch // (1 + rank), verbose=0),
            "samples": lambda: gan.fit(xs[: len(xs) - 8 * rank], batch_size=batch, verbose=0),
        })
        with open(f"{base}.rank{rank}.json", "w") as f:
            json.dump(found, f)
        return
    if case == "dropout":
        gan = dropout_gan()
        gan.fit(keras_gan.distributed.shard(x, GLOBAL_BATCH)[:batch], batch_size=batch, verbose=0)
        out = keras.ops.convert_to_numpy(gan.discriminator(x[:4], training=True))
        with open(f"{base}.rank{rank}.json", "w") as f:
            json.dump({"outputs": out.ravel().tolist()}, f)
        return
    xs, ys = keras_gan.distributed.shard((x, y), GLOBAL_BATCH)
    # Each rank starts from *different* weights and RNG state: fit copies rank 0's.
    gan = build(case)
    if rank:
        for w in gan.generator.weights + gan.discriminator.weights:
            w.assign(w + 0.5)
        gan.seed_generator.state.assign(keras.ops.convert_to_tensor(
            np.array([99, 1], "uint32")))
    first, last, logs = train(gan, case, xs, ys, batch)
    sg = keras.random.SeedGenerator(7)
    noise = [np.asarray(keras.ops.convert_to_numpy(
        keras_gan.distributed.replica_normal((batch, LATENT), seed=sg)))]
    name = f"rank{rank}" if world > 1 else "single"
    save(f"{base}.{name}.npz", first, last, logs, noise, {"replicas": world})


if __name__ == "__main__":
    folder, cases = sys.argv[1], sys.argv[2].split(",")
    run = {"tensorflow": run_tensorflow, "jax": run_jax, "torch": run_torch}[BACKEND]
    if BACKEND == "tensorflow":
        mirrored = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
        one = tf.distribute.OneDeviceStrategy("/cpu:0")
        for STRATEGIES in ([("multi", mirrored)], [("single", one)]):
            for case in cases:
                run(os.path.join(folder, f"{case}.npz"), case)
    elif BACKEND == "torch" and "RANK" in os.environ:  # started by torchrun
        import torch.distributed as dist

        dist.init_process_group("gloo")
        for case in cases:
            run(os.path.join(folder, f"{case}.npz"), case)
        dist.destroy_process_group()
    else:
        for case in cases:
            run(os.path.join(folder, f"{case}.npz"), case)
