# Two commands for everyone: `make demo` (build, release, grade the samples) and `make test`.
# Both create .venv on a fresh machine and are quick when it is already up to date.

PYTHON ?= python3
VENV := .venv
VPY := $(VENV)/bin/python
PIP := $(VPY) -m pip --disable-pip-version-check -q
# Set WITH_TORCH=1 to install the PyTorch CPU oracle so the comparison tests run (CI does).
WITH_TORCH ?= 0
TORCH_VERSION ?= 2.13.0

.PHONY: all venv build test test-fast demo release gradescope bench lint clean

all: build

$(VPY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip setuptools wheel

# The editable install builds the cs231n_fast extension in place; rebuilt when a kernel changes.
$(VENV)/.installed: pyproject.toml setup.py $(wildcard cs231n_fast/*.pyx cs231n_fast/*.pxd) | $(VPY)
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
	$(VPY) -m pip install -q ruff && $(VPY) -m ruff check .

clean:
	rm -rf build out autograder.zip cs231n_fast/*.c cs231n_fast/*.so *.egg-info .pytest_cache
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +
