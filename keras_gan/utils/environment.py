"""The environment every keras_gan entry point sets before Keras is imported.

Standard library only: importing this module imports neither Keras nor a
backend (`keras_gan/__init__.py` loads its names on first access).
"""

import os
import sys

BACKENDS = ("tensorflow", "jax", "torch")

# TensorFlow's C++ logging: 3 hides its INFO, WARNING and ERROR lines (start-up
# and graph-optimizer notices; a real failure still raises in Python).
TF_CPP_MIN_LOG_LEVEL = "3"
# oneDNN kernels on every x86 CPU, not only AVX-512 VNNI ones
# (docs/design.md, "TensorFlow's oneDNN switch"); set 0 to opt out.
TF_ENABLE_ONEDNN_OPTS = "1"


def configure_environment(backend=None):
    """Sets the Keras backend and TensorFlow's settings; call before `import keras`.

    The one place the command line, the zoo recipes, the benchmarks, the
    docs scripts and the example set them. `TF_CPP_MIN_LOG_LEVEL` ("3":
    no log lines from TensorFlow's C++ runtime) and
    `TF_ENABLE_ONEDNN_OPTS` ("1") are defaults: a value already in the
    environment is kept.

    Args:
        backend: `"tensorflow"`, `"jax"` or `"torch"`, written to
            `KERAS_BACKEND`; `None` keeps `KERAS_BACKEND` as it is (unset:
            Keras picks its own default, TensorFlow).

    Returns:
        The backend Keras will use: `backend`, or the value of
        `KERAS_BACKEND` when `backend` is `None` (`None` when unset).

    Raises:
        ValueError: `backend` is not one of the three.
        RuntimeError: Keras is already imported with another backend.

    Example:

    ```python
    from keras_gan.utils.environment import configure_environment

    configure_environment("jax")
    import keras  # noqa: E402

    keras.backend.backend()  # "jax"
    ```
    """
    if backend is not None and backend not in BACKENDS:
        raise ValueError(f"Unknown backend. Valid: {', '.join(BACKENDS)}. "
                         f"Received: backend={backend!r}")
    keras = sys.modules.get("keras")
    if backend is not None and keras is not None:
        current = keras.config.backend()
        if current != backend:
            raise RuntimeError(f"Keras is already imported with backend {current!r}; "
                               f"set the backend before importing keras. "
                               f"Received: backend={backend!r}")
    if backend is not None:
        os.environ["KERAS_BACKEND"] = backend
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", TF_CPP_MIN_LOG_LEVEL)
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", TF_ENABLE_ONEDNN_OPTS)
    return os.environ.get("KERAS_BACKEND")
