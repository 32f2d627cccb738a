"""The model zoo's training scripts (not part of the package); run them from
the repository root, e.g. `python -m zoo.train mnist-dcgan`."""
