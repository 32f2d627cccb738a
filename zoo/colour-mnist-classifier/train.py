"""Recipe: trains keras_gan's Colour MNIST 32 feature extractor (`colour_mnist_classifier`).

    KERAS_BACKEND=tensorflow python -m zoo.train colour-mnist-classifier \
        --data ../shared/data/mnist.npz --out keras_gan/extractors/weights

Builds Colour MNIST 32 from the MNIST arrays (`keras_gan.data.load_colour_mnist`:
training split with colour seed 0, test split with colour seed 1) and trains
`keras_gan.extractors.colour_mnist_classifier_model()` on the 120
(digit, colour pair) classes, with small shifts and Gaussian pixel noise so
that the features do not flip on the artefacts GAN samples have. Reports the
joint, digit and colour-pair accuracy on the held-out test images (clean and
noisy), rescales the feature layer to unit average variance on the training
images (as the MNIST classifier's is), and writes
`colour_mnist_classifier.weights.h5` plus `metrics.json`.
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

from keras_gan.data import load_colour_mnist  # noqa: E402
from keras_gan.extractors.colour_mnist_classifier import NUM_PAIRS  # noqa: E402
from keras_gan.extractors.colour_mnist_classifier import colour_mnist_classifier_model  # noqa: E402
from keras_gan.extractors.colour_mnist_classifier import joint_class  # noqa: E402


def normalize_feature_scale(classifier, x):
    """Features / s with s = sqrt(mean_d Var(features_d)) on `x`; logits unchanged."""
    feats = classifier.predict(x, batch_size=1000, verbose=0)["features"].astype("float64")
    scale = float(np.sqrt(feats.var(axis=0).mean()))
    dense = classifier.get_layer("features")
    kernel, bias = dense.get_weights()
    dense.set_weights([kernel / scale, bias / scale])
    heads = [layer for layer in classifier.layers
             if layer.name in ("logits", "digit_logits", "pair_logits")]
    for head in heads:
        kernel, bias = head.get_weights()
        head.set_weights([kernel * scale, bias])
    return scale


def evaluate(classifier, x, digits, pairs, seed=1):
    def predict(images):
        return np.argmax(classifier.predict(images, batch_size=1000, verbose=0)["logits"], -1)

    joint = joint_class(digits, pairs)
    noisy = np.clip(x + 0.05 * np.random.default_rng(seed).standard_normal(x.shape), 0, 1)
    out = {}
    for label, images in (("", x), ("_noise_0.05", noisy.astype("float32"))):
        predicted = predict(images)
        out[f"test_accuracy{label}"] = float(np.mean(predicted == joint))
        out[f"test_digit_accuracy{label}"] = float(np.mean(predicted // NUM_PAIRS == digits))
        out[f"test_pair_accuracy{label}"] = float(np.mean(predicted % NUM_PAIRS == pairs))
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", default=None, help="mnist.npz (default: keras_gan.data.load_mnist's search)")
    p.add_argument("--out", default=os.path.join(HERE, "work"))
    p.add_argument("--epochs", type=int, default=8)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--joint-head", action="store_true",
                   help="one 120-way Dense head instead of the digit + colour heads")
    args = p.parse_args(argv)
    keras.utils.set_random_seed(args.seed)
    start = time.time()
    x, digits, pairs, source = load_colour_mnist(args.data, split="train")
    xt, dt, pt, _ = load_colour_mnist(args.data, split="test")
    x, xt = x.astype("float32") / 255.0, xt.astype("float32") / 255.0
    digits, pairs, dt, pt = (a.astype("int32") for a in (digits, pairs, dt, pt))
    y = joint_class(digits, pairs).astype("int32")
    classifier = colour_mnist_classifier_model(factorized=not args.joint_head)
    inputs = keras.Input((32, 32, 3))
    # "nearest" continues the background colour (a black fill would draw edges).
    h = layers.RandomTranslation(0.08, 0.08, fill_mode="nearest", seed=args.seed)(inputs)
    h = layers.GaussianNoise(0.05, seed=args.seed)(h)
    trainer = keras.Model(inputs, classifier(h)["logits"])
    steps = args.epochs * int(np.ceil(len(x) / args.batch_size))
    trainer.compile(
        optimizer=keras.optimizers.Adam(keras.optimizers.schedules.CosineDecay(2e-3, steps)),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"])
    trainer.fit(x, y, batch_size=args.batch_size, epochs=args.epochs, verbose=2,
                validation_data=(xt, joint_class(dt, pt).astype("int32")))
    scale = normalize_feature_scale(classifier, x[:20000])
    metrics = evaluate(classifier, xt, dt, pt)
    metrics.update(feature_scale=scale, head="joint" if args.joint_head else "factorized",
                   epochs=args.epochs, batch_size=args.batch_size,
                   seed=args.seed, data=source, backend=keras.backend.backend(),
                   seconds=round(time.time() - start, 1))
    os.makedirs(args.out, exist_ok=True)
    classifier.save_weights(os.path.join(args.out, "colour_mnist_classifier.weights.h5"))
    with open(os.path.join(args.out, "metrics.json"), "w") as f:
        json.dump(metrics, f, indent=1, sort_keys=True)
    print(json.dumps(metrics, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
