"""Data-parallel training helpers: replica-aware noise, input sharding, set-up checks.

`GAN.fit` runs data-parallel on the engine of each backend:

- TensorFlow: build and compile the GAN inside
  `tf.distribute.MirroredStrategy().scope()` (or `MultiWorkerMirroredStrategy`).
- JAX: `keras.distribution.set_distribution(keras.distribution.DataParallel())`
  before the GAN is built.
- PyTorch: launch with `torchrun`, call
  `torch.distributed.init_process_group()` and feed each process its shard of
  the data (`keras_gan.distributed.shard`).

In every case a step on N devices with global batch B computes what one device
computes with batch B: the losses and penalties are means over the global
batch, and the noise of replica r is rows `r*B/N ... (r+1)*B/N` of the noise
one device would draw for the whole batch (different on every replica, and
the same as on one device).
"""

from keras_gan.distributed.noise import decorrelate_layer_noise
from keras_gan.distributed.noise import replica_normal
from keras_gan.distributed.noise import replica_uniform
from keras_gan.distributed.sharding import shard
from keras_gan.backend import replica_context

__all__ = [
    "decorrelate_layer_noise","replica_context", "replica_normal", "replica_uniform", "shard"]
