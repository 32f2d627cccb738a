"""Recipe: trains keras_gan's MNIST feature extractor (the `mnist_classifier`).

    KERAS_BACKEND=tensorflow python -m zoo.train mnist-classifier \
        --data ../shared/data/mnist.npz --out keras_gan/extractors/weights

Trains `keras_gan.extractors.mnist_classifier_model()` on the 60,000 MNIST
training digits with augmentation chosen so that the features do not flip on
the artefacts GAN samples have: small shifts/rotations/zoom, a faint
background haze (the background lifted by up to 0.2 of full scale), Gaussian
pixel noise (sigma up to 0.1) and contrast changes. Reports test accuracy on
clean, hazy and noisy test digits and writes
`mnist_classifier.weights.h5` plus `metrics.json`.
"""

import argparse
import json
import os
import time

import numpy as np

from keras_gan.utils.environment import configure_environment

HERE = os.path.dirname(os.path.abspath(__file__))
configure_environment()  # KERAS_BACKEND as set; before Keras is imported

import keras  # noqa: E402
from keras import layers  # noqa: E402
from keras import ops  # noqa: E402

from keras_gan.extractors.mnist_classifier import mnist_classifier_model  # noqa: E402


class HazeAndNoise(layers.Layer):
    """Training-only corruption: x -> clip(a + c * (1 - a) * x + n, 0, 1).

    a ~ U(0, max_haze) with probability p (background haze), c ~ U(0.7, 1)
    (contrast), n ~ N(0, s^2) with s ~ U(0, max_noise) with probability p.
    """

    def __init__(self, max_haze=0.2, max_noise=0.1, p=0.5, seed=0, **kwargs):
        super().__init__(**kwargs)
        self.max_haze, self.max_noise, self.p = max_haze, max_noise, p
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, x, training=False):
        if not training:
            return x
        n = ops.shape(x)[0]
        sg = self.seed_generator

        def per_sample(maxval):
            on = keras.random.uniform((n, 1, 1, 1), seed=sg) < self.p
            val = keras.random.uniform((n, 1, 1, 1), 0.0, maxval, seed=sg)
            return ops.where(on, val, 0.0)

        haze = per_sample(self.max_haze)
        contrast = keras.random.uniform((n, 1, 1, 1), 0.7, 1.0, seed=sg)
        sigma = per_sample(self.max_noise)
        noise = keras.random.normal(ops.shape(x), seed=sg) * sigma
        return ops.clip(haze + contrast * (1.0 - haze) * x + noise, 0.0, 1.0)


def box_blur(x, size):
    pad = size // 2
    padded = np.pad(x, ((0, 0), (pad, pad), (pad, pad)), mode="reflect")
    out = np.zeros_like(x)
    for dy in range(size):
        for dx in range(size):
            out += padded[:, dy:dy + x.shape[1], dx:dx + x.shape[2]]
    return out / size**2


def not_digits(digits, n, seed):
    """n images (28, 28, 1) in [0, 1] that are not digits, six kinds in equal parts.

    Uniform noise, Gaussian noise, smooth random blobs, digits with their
    pixels scrambled, digits cut in 7x7 tiles and shuffled, and flat images.
    """
    rng = np.random.default_rng(seed)
    k = n // 6
    level = rng.uniform(0.2, 1.0, (k, 1, 1)).astype("float32")
    uniform = rng.uniform(0, 1, (k, 28, 28)) * level
    gaussian = np.clip(rng.uniform(0, 0.5, (k, 1, 1)) + rng.uniform(0.1, 0.5, (k, 1, 1))
                       * rng.standard_normal((k, 28, 28)), 0, 1)
    field = box_blur(box_blur(rng.standard_normal((k, 28, 28)).astype("float32"), 5), 5)
    field = field / field.std(axis=(1, 2), keepdims=True)
    blobs = (field > rng.uniform(0.0, 1.5, (k, 1, 1))).astype("float32")
    src = digits[rng.choice(len(digits), 2 * k)][..., 0]
    scrambled = np.stack([rng.permutation(im.ravel()).reshape(28, 28) for im in src[:k]])
    tiles = src[k:].reshape(k, 4, 7, 4, 7).transpose(0, 1, 3, 2, 4).reshape(k, 16, 7, 7)
    tiles = np.stack([t[rng.permutation(16)] for t in tiles])
    tiled = tiles.reshape(k, 4, 4, 7, 7).transpose(0, 1, 3, 2, 4).reshape(k, 28, 28)
    flat = np.broadcast_to(rng.uniform(0, 1, (n - 5 * k, 1, 1)), (n - 5 * k, 28, 28))
    out = np.concatenate([uniform, gaussian, blobs, scrambled, tiled, flat]).astype("float32")
    return out[..., None]


def corrupt(x, haze=0.0, noise=0.0, seed=0):
    rng = np.random.default_rng(seed)
    y = haze + (1 - haze) * x + noise * rng.standard_normal(x.shape).astype("float32")
    return np.clip(y, 0, 1).astype("float32")


def normalize_feature_scale(classifier, x):
    """Rescales the feature layer so real training features have unit mean variance.

    features -> features / s with s = sqrt(mean_d Var(features_d)) on `x`;
    the logits layer's kernel is multiplied by s, so the logits are unchanged
    (ReLU is positively homogeneous). Unit-scale features put KID's kernel
    (x.y / D + 1)^3 in its intended regime and make FID read in units of the
    real features' variance. Returns s.
    """
    feats = classifier.predict(x, batch_size=1000, verbose=0)["features"].astype("float64")
    scale = float(np.sqrt(feats.var(axis=0).mean()))
    dense, logits = classifier.get_layer("features"), classifier.get_layer("logits")
    kernel, bias = dense.get_weights()
    dense.set_weights([kernel / scale, bias / scale])
    kernel, bias = logits.get_weights()
    logits.set_weights([kernel * scale, bias])
    return scale


def evaluate(classifier, x_test, y_test):
    def predict(x):
        return np.argmax(classifier.predict(x, batch_size=1000, verbose=0)["logits"], -1)

    def accuracy(x):
        return float(np.mean(predict(x) == y_test))

    garbage = not_digits(x_test, 6000, seed=12345)  # fresh draws, never trained on
    rng = np.random.default_rng(1)
    return {
        "not_a_digit_recall_fresh_garbage": float(np.mean(predict(garbage) == 10)),
        "not_a_digit_recall_uniform_noise": float(np.mean(
            predict(rng.uniform(0, 1, (2000, 28, 28, 1)).astype("float32")) == 10)),
        "test_digits_called_not_a_digit": float(np.mean(predict(x_test) == 10)),
        "test_accuracy": accuracy(x_test),
        "test_accuracy_haze_0.1": accuracy(corrupt(x_test, haze=0.1)),
        "test_accuracy_noise_0.1": accuracy(corrupt(x_test, noise=0.1)),
        "test_accuracy_noise_0.3": accuracy(corrupt(x_test, noise=0.3)),
    }


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", default=os.path.join(HERE, "..", "..", "..", "shared", "data", "mnist.npz"))
    p.add_argument("--out", default=os.path.join(HERE, "..", "..", "keras_gan", "extractors", "weights"))
    p.add_argument("--epochs", type=int, default=12)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--finalize-only", action="store_true",
                   help="only rescale the features of already trained weights in --out")
    args = p.parse_args()

    keras.utils.set_random_seed(args.seed)
    from keras_gan.data import load_mnist

    x_train, y_train, _ = load_mnist(args.data, split="train", allow_sample=False)
    x_test, y_test, _ = load_mnist(args.data, split="test", allow_sample=False)
    x_train = x_train.astype("float32")[..., None] / 255.0
    y_train = y_train.astype("int32")
    x_test = x_test.astype("float32")[..., None] / 255.0
    y_test = y_test.astype("int32")

    classifier = mnist_classifier_model()
    weights_path = os.path.join(args.out, "mnist_classifier.weights.h5")
    metrics_path = os.path.join(HERE, "metrics.json")
    if args.finalize_only:
        classifier.load_weights(weights_path)
        with open(metrics_path) as f:
            metrics = json.load(f)
        finalize(classifier, x_train, x_test, y_test, metrics, weights_path, metrics_path)
        return
    augment = keras.Sequential(
        [
            layers.RandomTranslation(0.1, 0.1, fill_mode="constant", seed=args.seed),
            layers.RandomRotation(0.04, fill_mode="constant", seed=args.seed + 1),
            layers.RandomZoom(0.1, fill_mode="constant", seed=args.seed + 2),
            HazeAndNoise(seed=args.seed + 3),
        ],
        name="augment",
    )
    garbage = not_digits(x_train, len(x_train) // 10, seed=args.seed + 7)
    x_train = np.concatenate([x_train, garbage])
    y_train = np.concatenate([y_train, np.full(len(garbage), 10, "int32")])
    inputs = keras.Input((28, 28, 1))
    logits = classifier(augment(inputs))["logits"]
    trainer = keras.Model(inputs, logits)
    steps = args.epochs * int(np.ceil(len(x_train) / args.batch_size))
    schedule = keras.optimizers.schedules.CosineDecay(1e-3, steps, alpha=0.01)
    trainer.compile(
        optimizer=keras.optimizers.Adam(schedule),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    start = time.time()
    trainer.fit(
        x_train, y_train, shuffle=True, batch_size=args.batch_size, epochs=args.epochs,
        validation_data=(x_test, y_test), verbose=2,
    )
    seconds = time.time() - start

    metrics = {
        "epochs": args.epochs,
        "batch_size": args.batch_size,
        "seed": args.seed,
        "backend": keras.backend.backend(),
        "keras_version": keras.__version__,
        "train_seconds": round(seconds, 1),
    }
    os.makedirs(args.out, exist_ok=True)
    finalize(classifier, x_train, x_test, y_test, metrics, weights_path, metrics_path)


def finalize(classifier, x_train, x_test, y_test, metrics, weights_path, metrics_path):
    before = evaluate(classifier, x_test, y_test)
    metrics["feature_scale"] = normalize_feature_scale(classifier, x_train[:60000])
    after = evaluate(classifier, x_test, y_test)
    assert abs(after["test_accuracy"] - before["test_accuracy"]) < 1e-3, (before, after)
    metrics.update(after)
    print(json.dumps(metrics, indent=2))
    classifier.save_weights(weights_path)
    with open(metrics_path, "w") as f:
        json.dump(metrics, f, indent=2)


if __name__ == "__main__":
    main()
