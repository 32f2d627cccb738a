"""Package-level rules: backend imports stay in keras_gan/backend, image grids."""

import pytest
import os
import re

import numpy as np

import keras_gan

pytestmark = pytest.mark.once  # backend-independent: tools/run_tests.py runs it on one backend

PACKAGE = os.path.dirname(keras_gan.__file__)
FRAMEWORK_IMPORT = re.compile(r"^\s*(import|from)\s+(tensorflow|jax|jaxlib|torch)\b", re.M)


def test_only_backend_folder_imports_frameworks():
    offenders = []
    for root, _, files in os.walk(PACKAGE):
        if os.path.relpath(root, PACKAGE).split(os.sep)[0] == "backend":
            continue
        for name in files:
            if name.endswith(".py"):
                path = os.path.join(root, name)
                with open(path) as f:
                    if FRAMEWORK_IMPORT.search(f.read()):
                        offenders.append(os.path.relpath(path, PACKAGE))
    assert offenders == []


def test_save_image_grid(tmp_path):
    from PIL import Image

    images = np.linspace(-1, 1, 6 * 4 * 5).reshape(6, 4, 5, 1)
    path = keras_gan.save_image_grid(images, str(tmp_path / "g" / "grid.png"), nrow=3, padding=1)
    grid = np.array(Image.open(path))
    assert grid.shape == (2 * 5 + 1, 3 * 6 + 1)
    np.testing.assert_array_equal(grid[1:5, 1:6], keras_gan.data.to_uint8(images[0, ..., 0]))
    assert grid[0].min() == 255  # padding is white


def test_version():
    assert re.match(r"^\d+\.\d+\.\d+", keras_gan.__version__)
