"""TensorBoard event files through TensorFlow's `tf.summary`, for any Keras backend.

Kept in the backend folder because it imports TensorFlow. Training can run
on JAX or PyTorch; TensorFlow (e.g. `tensorflow-cpu`) only has to be
installed to write the event files.
"""


def summary_writer(log_dir):
    """A small writer with `scalar`, `image`, `flush` and `close`.

    Raises:
        ImportError: TensorFlow is not installed.
    """
    try:
        import tensorflow as tf
    except ImportError:
        raise ImportError(
            "TensorBoard logging writes event files with TensorFlow's tf.summary, "
            "and TensorFlow is not installed. Install it (pip install tensorflow-cpu); "
            "training itself can stay on the JAX or PyTorch backend."
        ) from None
    return _Writer(tf, log_dir)


def _metadata(plugin_name):
    from tensorflow.core.framework import summary_pb2

    return summary_pb2.SummaryMetadata(
        plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name=plugin_name)
    )


class _Writer:
    """Writes in TensorBoard's scalar and image plugin formats with core `tf.summary.write`.

    `tf.summary.scalar` / `image` need the `tensorboard` package; the
    low-level `tf.summary.write` does not, and TensorBoard reads the result.
    """

    def __init__(self, tf, log_dir):
        self._tf = tf
        with tf.device("/cpu:0"):
            self._writer = tf.summary.create_file_writer(log_dir)
        self._scalar_meta = _metadata("scalars")
        self._image_meta = _metadata("images")

    def scalar(self, name, value, step):
        tf = self._tf
        with tf.device("/cpu:0"), self._writer.as_default():
            tf.summary.write(name, tf.constant(float(value), tf.float32), step=int(step),
                             metadata=self._scalar_meta)

    def image(self, name, pixels, step):
        """`pixels`: uint8 `(H, W)` or `(H, W, C)`, stored as PNG."""
        tf = self._tf
        data = pixels if pixels.ndim == 3 else pixels[..., None]
        height, width = data.shape[:2]
        with tf.device("/cpu:0"), self._writer.as_default():
            png = tf.io.encode_png(tf.constant(data, tf.uint8))
            tensor = tf.stack([tf.constant(str(width)), tf.constant(str(height)), png])
            tf.summary.write(name, tensor, step=int(step), metadata=self._image_meta)

    def flush(self):
        self._writer.flush()

    def close(self):
        self._writer.close()
