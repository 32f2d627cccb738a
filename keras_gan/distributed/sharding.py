"""`shard`: one process' part of every global batch (torch.distributed input)."""

import numpy as np

from keras_gan import backend
from keras_gan.validation import check_positive_int


def shard(x, global_batch_size, index=None, count=None):
    """This process' rows of every global batch of `x`, for `fit` on one rank.

    With `torch.distributed`, every process runs its own `fit` on its own data.
    `shard` cuts arrays so that process `index` of `count` holds, for global
    batch i, the rows `i*B + index*b ... i*B + (index+1)*b - 1` (`B` the
    global batch size, `b = B / count`): with `fit(shard(x, B), batch_size=b,
    shuffle=False)` the N processes together see exactly the batches of
    `fit(x, batch_size=B, shuffle=False)` on one device. With `shuffle=True`
    each process shuffles its own shard, and the shards stay disjoint.

    Rows after the last full global batch are dropped, so that every process
    runs the same number of steps (a collective in a step that only some
    processes run would wait forever).

    Args:
        x: an array, or a tuple/list of arrays of equal length (images,
            labels).
        global_batch_size: B, divisible by `count`.
        index: this process' rank (default: from `torch.distributed`, else 0).
        count: number of processes (default: the world size, else 1).

    Returns:
        The shard(s), same structure as `x`, length `(len(x) // B) * B / count`.

    Example:
        >>> images, labels = keras_gan.distributed.shard((images, labels), 256)
        >>> gan.fit(images, labels, batch_size=256 // world_size)
    """
    if index is None or count is None:
        rank, world = backend.replica_context()
        index = int(rank) if index is None else index
        count = int(world) if count is None else count
    if isinstance(x, (tuple, list)):
        return type(x)(shard(a, global_batch_size, index, count) for a in x)
    x = np.asarray(x)
    B = check_positive_int("global_batch_size", global_batch_size)
    if B % count:
        raise ValueError(
            f"global_batch_size must be a positive multiple of the number of "
            f"processes ({count}). Received: global_batch_size={B!r}"
        )
    if not 0 <= index < count:
        raise ValueError(
            f"index must be in [0, {count}). Received: index={index!r}"
        )
    n = len(x) // B
    if n == 0:
        raise ValueError(
            f"Fewer samples than one global batch. Received: len(x)={len(x)}, "
            f"global_batch_size={B}"
        )
    b = B // count
    blocks = x[: n * B].reshape((n, count, b) + x.shape[1:])
    return np.ascontiguousarray(blocks[:, index].reshape((n * b,) + x.shape[1:]))
