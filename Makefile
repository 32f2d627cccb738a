# keras_gan developer commands. `make demo` and `make test` each set up .venv first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
BACKENDS ?= tensorflow jax torch
STAMP := $(VENV)/.keras-gan-setup
MNIST ?= $(firstword $(wildcard ../shared/data/mnist.npz))
# The run on the docs' Benchmarks page (26 min on the 2-core CPU machine).
BENCH_ARGS ?= --repeats 2 --objectives ns wgan_gp r1 r1_lazy --steps-per-execution 1 4 --keras-layer-calls
PYTEST_ARGS ?=

.PHONY: setup demo test bench clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	# CPU builds of the three backends (torch first: see constraints.txt).
	$(BIN)/python -m pip install -q -c constraints.txt torch tensorflow-cpu jax
	$(BIN)/python -m pip install -q -c constraints.txt -e ".[test,docs]"
	# Debian's chromium for tests/test_site_browser.py (apt; never fails set-up).
	sh tools/install_chromium.sh
	touch $(STAMP)

setup: $(STAMP)

# Main job: train a DCGAN on MNIST (full data when found, else the bundled
# sample) and write outputs/mnist_dcgan/samples.png.
demo: setup
	$(BIN)/python examples/mnist_dcgan.py $(if $(MNIST),--data $(MNIST)) --out outputs/mnist_dcgan

# The test suite on every backend (KERAS_BACKEND = tensorflow, jax, torch).
test: setup
	$(BIN)/python tools/run_tests.py --backends $(BACKENDS) -- $(PYTEST_ARGS)

# keras_gan's fit against native TF / torch / JAX code (prints tables; see
# BENCH_ARGS). Installs Flax and Optax for the JAX natives.
bench: setup
	$(BIN)/python -m pip install -q -c constraints.txt -e ".[bench]"
	$(BIN)/python -m benchmarks.training_speed $(if $(MNIST),--data $(MNIST)) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) outputs .pytest_cache
