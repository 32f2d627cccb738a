"""keras_gan: GAN training with Keras 3 on TensorFlow, JAX and PyTorch.

Each name below loads its module on first access (PEP 562), so that
`keras-gan --help` and `keras_gan.utils.environment` run without importing
Keras. If Keras is
already imported when keras_gan is, everything loads at once: nothing is
gained by waiting, and `keras.saving.load_model` then finds keras_gan's
registered classes (`import keras, keras_gan`).
"""

import importlib
import importlib.util
import sys
from typing import TYPE_CHECKING

from keras_gan.version import __version__

if TYPE_CHECKING:  # for type checkers and the API docs (griffe reads these statically)
    from keras_gan import backend
    from keras_gan import callbacks
    from keras_gan import data
    from keras_gan import distributed
    from keras_gan import errors
    from keras_gan import evaluation
    from keras_gan import extractors
    from keras_gan import losses
    from keras_gan import metrics
    from keras_gan import models
    from keras_gan import penalties
    from keras_gan import training
    from keras_gan import zoo
    from keras_gan.conditional_gan import ConditionalGAN
    from keras_gan.gan import GAN
    from keras_gan.gan_optimizer import GANOptimizer
    from keras_gan.generator import Generator
    from keras_gan.utils.history_plot import save_history_plot
    from keras_gan.utils.image_grid import save_image_grid

# Public name -> (module, attribute); attribute None: the module itself.
_PUBLIC = {
    "backend": ("keras_gan.backend", None),
    "callbacks": ("keras_gan.callbacks", None),
    "data": ("keras_gan.data", None),
    "distributed": ("keras_gan.distributed", None),
    "errors": ("keras_gan.errors", None),
    "evaluation": ("keras_gan.evaluation", None),
    "extractors": ("keras_gan.extractors", None),
    "losses": ("keras_gan.losses", None),
    "metrics": ("keras_gan.metrics", None),
    "models": ("keras_gan.models", None),
    "penalties": ("keras_gan.penalties", None),
    "training": ("keras_gan.training", None),
    "zoo": ("keras_gan.zoo", None),
    "ConditionalGAN": ("keras_gan.conditional_gan", "ConditionalGAN"),
    "GAN": ("keras_gan.gan", "GAN"),
    "GANOptimizer": ("keras_gan.gan_optimizer", "GANOptimizer"),
    "Generator": ("keras_gan.generator", "Generator"),
    "save_history_plot": ("keras_gan.utils.history_plot", "save_history_plot"),
    "save_image_grid": ("keras_gan.utils.image_grid", "save_image_grid"),
}


def _load(name):
    module, attribute = _PUBLIC[name]
    value = importlib.import_module(module)
    value = value if attribute is None else getattr(value, attribute)
    globals()[name] = value
    return value


def _load_all():
    """Imports every public name, in the order the eager package did."""
    for name in _PUBLIC:
        _load(name)


def __getattr__(name):
    # A public name loads its module only: keras_gan's own modules import
    # each other as `from keras_gan import extractors` while they load, and
    # loading everything there would re-enter a half-imported module. Any
    # other submodule (`keras_gan.gan`, `keras_gan.utils`) is imported on
    # access too, as the eager package had them all as attributes.
    if name in _PUBLIC:
        return _load(name)
    if not name.startswith("_") and importlib.util.find_spec(f"{__name__}.{name}") is not None:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_PUBLIC))


if "keras" in sys.modules:
    _load_all()
