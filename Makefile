# Two commands for everyone: `make demo` (build, release, grade the samples) and `make test`.
# Both create .venv on a fresh machine and are quick when it is already up to date.

PYTHON ?= python3
VENV := .venv
VPY := $(VENV)/bin/python
PIP := $(VPY) -m pip --disable-pip-version-check -q
# Set WITH_TORCH=1 to install the PyTorch CPU oracle so the comparison tests run (CI does).
WITH_TORCH ?= 0
# The version pinned once, in pyproject.toml's oracle extra.
TORCH_VERSION ?= $(shell sed -n 's/^oracle = \["torch==\([^"]*\)"\]/\1/p' pyproject.toml)

.PHONY: all venv build test test-fast lint clean samples demo gradescope showcase release bench

all: build

$(VPY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip setuptools wheel

# The editable install builds the cs231n_fast extension in place; rebuilt when a kernel changes.
$(VENV)/.installed: pyproject.toml setup.py $(wildcard cs231n_fast/*.pyx cs231n_fast/*.pxd cs231n_fast/*.h) | $(VPY)
	$(PIP) install -e '.[instructor,test]'
	touch $@

$(VENV)/.torch: | $(VPY)
	$(PIP) install torch==$(TORCH_VERSION)
	touch $@

venv build: $(VENV)/.installed

ifeq ($(WITH_TORCH),1)
test: $(VENV)/.torch
endif
test: $(VENV)/.installed
	$(VPY) -m pytest

# Everything but the slow end-to-end and hostile-submission tests.
test-fast: $(VENV)/.installed
	$(VPY) -m pytest -m 'not slow'

lint: $(VENV)/.installed
	$(VPY) -m ruff check .

clean:
	rm -rf build out autograder.zip cs231n_fast/*.c cs231n_fast/*.so *.egg-info .pytest_cache
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +

# --- Grading paths: sample submissions, the demo, the Gradescope autograder ---
# Materialise the sample submissions (perfect, stubs, realistic bugs) in out/samples/.
samples: $(VENV)/.installed
	$(VPY) -m autograder.samples build out/samples

# Release, build the samples, grade them all, print the score table (kit/demo.py).
# DEMO_ARGS=--showcase adds the filter demo and a short training run (PNGs in out/demo/showcase).
DEMO_ARGS ?=
demo: $(VENV)/.installed
	$(VPY) -m kit.demo $(DEMO_ARGS)

# autograder.zip for Gradescope (setup.sh, run_autograder, grader, reference, pinned requirements).
gradescope: $(VENV)/.installed
	$(VPY) -m kit.gradescope -o autograder.zip

# --- The reference at work, the student release, speed ---
# Kitten/puppy conv filters + a few hundred ThreeLayerConvNet iterations on the CIFAR-10 found.
showcase: $(VENV)/.installed
	$(VPY) -m kit.showcase

# release/assignment2 from the source of truth (kit/release).
# Regenerate the source notebooks with `$(VPY) -m kit.notebooks` after editing kit/notebooks/.
release: $(VENV)/.installed
	$(VPY) -m kit.release

# Speed of the fast layers, the naive layers and torch (installed here: it is what the ratios
# are to), 1 and 2 threads; prints a table, writes out/bench/bench.json and bench.txt.
# Not part of `make test`.
BENCH_ARGS ?=
bench: $(VENV)/.installed $(VENV)/.torch
	$(VPY) -m benchmarks.run $(BENCH_ARGS)
