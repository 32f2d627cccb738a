"""Memory of `keras_gan.data.image_folder` against the number of files: it streams.

    python -m benchmarks.image_folder_memory --counts 10000 100000 200000

For each count, writes that many 32x32 RGB PNG files (Colour-MNIST-like
noise, in 10 class folders) under --work once, then in a fresh process
measures: the heap the file index keeps and its peak while scanning
(tracemalloc), the process's peak resident memory (Keras and the backend
included) after indexing and after reading 50 batches of 256,
and the time to index (`verify=None`) and to verify every file
(`verify="full"`). Prints a table; a folder read into memory would grow by
`count * 32 * 32 * 3 * 4` bytes (float32), which the last column shows.
"""

import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def make_folder(path, count):
    import numpy as np
    from PIL import Image

    done = os.path.join(path, ".complete")
    if os.path.exists(done):
        return
    rng = np.random.default_rng(0)
    for i in range(count):
        sub = os.path.join(path, str(i % 10))
        os.makedirs(sub, exist_ok=True)
        Image.fromarray(rng.integers(0, 256, (32, 32, 3), dtype=np.uint8)).save(
            os.path.join(sub, f"{i:07d}.png"))
    open(done, "w").close()


def child(path, verify):
    import resource
    import tracemalloc

    from keras_gan.utils.environment import configure_environment

    configure_environment()
    from keras_gan.data import image_folder

    tracemalloc.start()
    start = time.perf_counter()
    data = image_folder(path, 32, batch_size=256, verify=None, verbose=0)
    index_seconds = time.perf_counter() - start
    index_bytes, index_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_index = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    start = time.perf_counter()
    for i in range(min(50, len(data))):
        data[i]
    batch_seconds = (time.perf_counter() - start) / min(50, len(data))
    rss_batches = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    verify_seconds = None
    if verify:
        start = time.perf_counter()
        image_folder(path, 32, batch_size=256, verify="full", verbose=0)
        verify_seconds = time.perf_counter() - start
    print(json.dumps({"count": len(data.images), "index_bytes": index_bytes,
                      "index_peak_bytes": index_peak,
                      "index_seconds": index_seconds, "rss_after_index": rss_index,
                      "rss_after_50_batches": rss_batches, "batch_seconds": batch_seconds,
                      "verify_seconds": verify_seconds}))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--counts", type=int, nargs="+", default=[10000, 100000])
    p.add_argument("--work", default=os.path.join(ROOT, "outputs", "image_folder_memory"))
    p.add_argument("--verify", action="store_true", help="also time verify='full'")
    p.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        return child(args.child[0], args.child[1] == "1")
    rows = []
    for count in args.counts:
        path = os.path.join(args.work, f"n{count}")
        make_folder(path, count)
        out = subprocess.run([sys.executable, "-m", "benchmarks.image_folder_memory", "--child",
                              path, "1" if args.verify else "0"], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout
        rows.append(json.loads(out.strip().splitlines()[-1]))
    mib = 2 ** 20
    print("| images | index kept | bytes/image | peak while scanning | index s | "
          "peak RSS after index | after 50 batches | s/batch of 256 | verify s | "
          "in memory as float32 |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        verify = "-" if r["verify_seconds"] is None else f"{r['verify_seconds']:.1f}"
        print(f"| {r['count']:,} | {r['index_bytes'] / mib:.1f} MiB | "
              f"{r['index_bytes'] / r['count']:.0f} | {r['index_peak_bytes'] / mib:.1f} MiB | "
              f"{r['index_seconds']:.2f} | "
              f"{r['rss_after_index'] / mib:.0f} MiB | {r['rss_after_50_batches'] / mib:.0f} MiB | "
              f"{r['batch_seconds']:.3f} | {verify} | "
              f"{r['count'] * 32 * 32 * 3 * 4 / mib:,.0f} MiB |")


if __name__ == "__main__":
    main()
