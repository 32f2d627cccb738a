"""Baseline: the DCGAN of tensorflow.org's MNIST tutorial, in plain TensorFlow.

    python -m zoo.baselines.tf_tutorial_dcgan --epochs 5 --data ../shared/data/mnist.npz

Same set-up as https://www.tensorflow.org/tutorials/generative/dcgan:
pixels scaled to [-1, 1], shuffle buffer 60,000, batch 256, noise size 100,
binary cross-entropy on logits (non-saturating G loss), Adam(1e-4) for both
networks, a `tf.function` train step with two GradientTapes, the tutorial's G
(Dense 7x7x256 -> BN -> LeakyReLU -> ConvT 128/64/1, tanh) and D (Conv 64/128
+ LeakyReLU + Dropout 0.3 -> Dense 1). The tutorial trains 50 epochs; the zoo
models are compared with it at their own epoch count. The generator is then
scored like the zoo models (10,000 samples, seed 0, keras_gan's MNIST
classifier against the MNIST test digits) and the numbers written to
`zoo/baselines/tf_tutorial_dcgan-<epochs>ep.json`.
"""

import argparse
import json
import os
import time

from keras_gan.utils.environment import configure_environment

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def make_generator(tf):
    layers = tf.keras.layers
    return tf.keras.Sequential([
        tf.keras.Input((100,)),
        layers.Dense(7 * 7 * 256, use_bias=False), layers.BatchNormalization(), layers.LeakyReLU(),
        layers.Reshape((7, 7, 256)),
        layers.Conv2DTranspose(128, 5, strides=1, padding="same", use_bias=False),
        layers.BatchNormalization(), layers.LeakyReLU(),
        layers.Conv2DTranspose(64, 5, strides=2, padding="same", use_bias=False),
        layers.BatchNormalization(), layers.LeakyReLU(),
        layers.Conv2DTranspose(1, 5, strides=2, padding="same", use_bias=False, activation="tanh"),
    ])


def make_discriminator(tf):
    layers = tf.keras.layers
    return tf.keras.Sequential([
        tf.keras.Input((28, 28, 1)),
        layers.Conv2D(64, 5, strides=2, padding="same"), layers.LeakyReLU(), layers.Dropout(0.3),
        layers.Conv2D(128, 5, strides=2, padding="same"), layers.LeakyReLU(), layers.Dropout(0.3),
        layers.Flatten(), layers.Dense(1),
    ])


def build_tutorial(data, seed=0):
    """The tutorial's generator, shuffled batched dataset and `tf.function` step.

    Returns `(G, dataset, train_step)`; `train_step(images)` returns
    `(g_loss, d_loss)`. benchmarks/time_to_quality.py drives the same three.
    """
    import numpy as np
    import tensorflow as tf

    tf.keras.utils.set_random_seed(seed)
    with np.load(data) as f:
        x = f["x_train"]
    x = ((x.reshape(-1, 28, 28, 1).astype("float32") - 127.5) / 127.5)
    dataset = tf.data.Dataset.from_tensor_slices(x).shuffle(60000).batch(256)
    G, D = make_generator(tf), make_discriminator(tf)
    bce = tf.keras.losses.BinaryCrossentropy(from_logits=True)
    g_opt, d_opt = tf.keras.optimizers.Adam(1e-4), tf.keras.optimizers.Adam(1e-4)

    @tf.function
    def train_step(images):
        noise = tf.random.normal([tf.shape(images)[0], 100])
        with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
            fake = G(noise, training=True)
            real_out, fake_out = D(images, training=True), D(fake, training=True)
            g_loss = bce(tf.ones_like(fake_out), fake_out)
            d_loss = bce(tf.ones_like(real_out), real_out) + bce(tf.zeros_like(fake_out), fake_out)
        g_opt.apply_gradients(zip(g_tape.gradient(g_loss, G.trainable_variables), G.trainable_variables))
        d_opt.apply_gradients(zip(d_tape.gradient(d_loss, D.trainable_variables), D.trainable_variables))
        return g_loss, d_loss

    return G, dataset, train_step


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data", "mnist.npz"))
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--work", default=os.path.join(HERE, "work"))
    args = p.parse_args(argv)
    configure_environment("tensorflow")
    import numpy as np
    import tensorflow as tf

    import numpy as np

    G, dataset, train_step = build_tutorial(args.data, args.seed)
    start = time.time()
    steps = 0
    for epoch in range(args.epochs):
        t = time.time()
        for batch in dataset:
            g_loss, d_loss = train_step(batch)
            steps += 1
        print(f"epoch {epoch + 1}/{args.epochs}: {time.time() - t:.0f}s g_loss={float(g_loss):.3f} "
              f"d_loss={float(d_loss):.3f}", flush=True)
    wall = time.time() - start
    os.makedirs(args.work, exist_ok=True)
    G.save(os.path.join(args.work, f"tf_tutorial_generator-{args.epochs}ep.keras"))

    from keras_gan.evaluation import Evaluator
    from keras_gan.utils.image_grid import save_image_grid

    scores = Evaluator("mnist-test", data_path=args.data).score_generator(G, 10000, seed=0)
    z = np.random.default_rng(0).standard_normal((64, 100)).astype("float32")
    save_image_grid(G(z, training=False).numpy(), os.path.join(HERE, f"tf_tutorial_dcgan-{args.epochs}ep.png"),
                    nrow=8, scale=2)
    from keras_gan.utils.run_record import write_run_record

    record = write_run_record(
        os.path.join(HERE, f"tf_tutorial_dcgan-{args.epochs}ep.json"), steps=steps,
        timing={"seconds": round(wall, 1), "runs": 1}, metrics=scores,
        config={"model": "tensorflow.org tutorial DCGAN", "epochs": args.epochs,
                "batch_size": 256})
    print(json.dumps(record, indent=1))


if __name__ == "__main__":
    main()
