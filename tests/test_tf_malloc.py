"""TensorFlow's 128 KB malloc trim threshold is undone before training
(`keras_gan.backend.tensorflow.keep_freed_memory`; docs/design.md)."""

import json
import os
import subprocess
import sys

import keras
import pytest

pytestmark = pytest.mark.skipif(keras.backend.backend() != "tensorflow",
                                reason="TensorFlow backend only")

# A fresh process: fit on a PyDataset (TensorFlow's generator pipeline applies
# its patch), then count minor page faults per 1 MB buffer allocated, filled
# and freed: 256 when every buffer is mapped anew, none when it is reused.
SCRIPT = """
import json, resource, keras, numpy as np, keras_gan
gan = keras_gan.GAN(keras_gan.models.mlp_generator(4, 2, units=(8,)),
                    keras_gan.models.mlp_discriminator(2, units=(8,)),
                    latent_dim=4, data_range=None, seed=0)
gan.compile(keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3))
x = np.random.default_rng(0).normal(size=(64, 2)).astype("float32")
stream = keras_gan.training.EpochBatches(x, batch_size=16, seed=0, repeat=True)
gan.fit(stream, epochs=1, steps_per_epoch=3, verbose=0, shuffle=False)

def faults(n):
    start = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(n):
        buffer = np.ones((1 << 20) // 8)
        del buffer
    return (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - start) / n

faults(4)  # the heap grows once
print(json.dumps({"faults": faults(40), "pages": (1 << 20) // resource.getpagesize()}))
"""


@pytest.mark.parametrize("keep", ["1", "0"])
def test_freed_buffers_are_reused_after_fit_on_a_pydataset(keep):
    env = dict(os.environ, KERAS_BACKEND="tensorflow", KERAS_GAN_KEEP_FREED_MEMORY=keep,
               TF_CPP_MIN_LOG_LEVEL="3")
    proc = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    if keep == "1":
        assert result["faults"] < 0.1 * result["pages"], result
    else:  # TensorFlow's own setting
        assert result["faults"] > 0.9 * result["pages"], result
