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
# its patch), then count the minor page faults of a 40 MB block malloc'ed,
# filled and freed, against those of a fresh anonymous mapping of that size
# (10,240 with 4 KB pages; fewer where transparent huge pages back it): about
# as many when every block is mapped anew, none when freed memory is reused.
# 40 MB is above glibc's largest dynamic mmap threshold (32 MB), so without
# keep_freed_memory the block is mapped anew whatever the heap's history:
# TensorFlow's patch freezes the threshold where it stands, 128 KB only if no
# larger block was freed before (CI once saw 1 MB buffers reused). The block
# comes from libc directly: numpy asks for huge pages above 4 MB.
SCRIPT = """
import ctypes, json, mmap, resource, keras, numpy as np, keras_gan
gan = keras_gan.GAN(keras_gan.models.mlp_generator(4, 2, units=(8,)),
                    keras_gan.models.mlp_discriminator(2, units=(8,)),
                    latent_dim=4, data_range=None, seed=0)
gan.compile(keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3))
x = np.random.default_rng(0).normal(size=(64, 2)).astype("float32")
stream = keras_gan.training.EpochBatches(x, batch_size=16, seed=0, repeat=True)
gan.fit(stream, epochs=1, steps_per_epoch=3, verbose=0, shuffle=False)

SIZE = 40 << 20
libc = ctypes.CDLL("libc.so.6")
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = [ctypes.c_void_p]

def minflt():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt

def faults(n):
    start = minflt()
    for _ in range(n):
        block = libc.malloc(SIZE)
        ctypes.memset(block, 1, SIZE)
        libc.free(block)
    return (minflt() - start) / n

start = minflt()
fresh = mmap.mmap(-1, SIZE)
ctypes.memset(ctypes.addressof(ctypes.c_char.from_buffer(fresh)), 1, SIZE)
mapped = minflt() - start

faults(2)  # the heap grows once
print(json.dumps({"faults": faults(10), "mapped": mapped}))
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
        assert result["faults"] < 0.1 * result["mapped"], result
    else:  # TensorFlow's own setting
        assert result["faults"] > 0.5 * result["mapped"], result
