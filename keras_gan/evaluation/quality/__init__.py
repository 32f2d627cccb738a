"""The bundled sample-quality metrics, one per module; importing registers them all.

Every module in this folder is imported here, so a new metric is a new
file with a `@register("name")` `QualityMetric` (and its test): the
Evaluator, the CLI, the callback and the model cards pick it up.
"""

import importlib
import pkgutil

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
