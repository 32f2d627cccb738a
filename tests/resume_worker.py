"""Trains a small GAN with a Checkpoint; optionally SIGKILLs itself mid-epoch.

    python tests/resume_worker.py OUT_DIR [--kill-at-step N] [--epochs 3]

Run by tests/test_resume.py in subprocesses. Writes OUT_DIR/final.npz with
every weight, optimizer variable and RNG state at the end.
"""

import argparse
import os
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import keras  # noqa: E402
import numpy as np  # noqa: E402

import keras_gan  # noqa: E402
from helpers import all_state  # noqa: E402
from helpers import tiny_gan  # noqa: E402
from helpers import tiny_images  # noqa: E402


class KillAt(keras.callbacks.Callback):
    def __init__(self, step):
        super().__init__()
        self.step = step
        self.count = None

    def on_train_begin(self, logs=None):
        self.count = int(keras.ops.convert_to_numpy(self.model.optimizer.iterations))

    def on_train_batch_end(self, batch, logs=None):
        self.count += 1
        if self.count == self.step:
            os.kill(os.getpid(), signal.SIGKILL)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--kill-at-step", type=int, default=None)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--every", type=int, default=2)
    args = p.parse_args()
    keras.utils.set_random_seed(7)
    gan = tiny_gan(penalty=keras_gan.penalties.R1(gamma=1.0, interval=2), ema_decay=0.9, seed=3)
    gan.compile()
    x = tiny_images(40, seed=1)  # batch 8: 5 batches per epoch
    callbacks = [keras_gan.callbacks.DivergenceGuard(),
                 keras_gan.callbacks.Checkpoint(os.path.join(args.out, "ckpt"),
                                                save_freq=args.every)]
    if args.kill_at_step:
        callbacks.append(KillAt(args.kill_at_step))
    gan.fit(x, epochs=args.epochs, batch_size=8, callbacks=callbacks, verbose=0)
    state = all_state(gan)
    np.savez(os.path.join(args.out, "final.npz"), *state,
             step=int(keras.ops.convert_to_numpy(gan.optimizer.iterations)))


if __name__ == "__main__":
    main()
