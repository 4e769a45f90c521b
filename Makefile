# prometheus_express: the project's verbs.
#
#   make setup     .venv from requirements-dev.txt, node_modules for the wasm smoke test
#   make compile   .mpy files for MicroPython into .build/mpy/micropython/
#   make bundle    every release artifact into dist/, then a table of them (see build/bundle.py)
#   make test      bundle, then CPython (pytest), MicroPython unix port (.py, .mpy), WebAssembly
#   make lint      ruff check, ruff format --check, portable-subset check, mypy on the stubs' users
#   make format    ruff format, then ruff check --fix (rewrites files)
#   make package-json  regenerate the root package.json (mip) from circup.json and the sources
#   make bench     bench/run.py
#   make clean     remove dist/ and caches

PYTHON3 ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MICROPYTHON := $(CURDIR)/$(VENV)/bin/micropython
WASM := tests/wasm
MPY_TREE := .build/mpy/micropython

# Setup reruns only when the pinned requirements or the npm lock change.
VENV_STAMP := $(VENV)/requirements.stamp
NODE_STAMP := $(WASM)/node_modules/.install.stamp

# ".frozen" keeps the unix port's frozen modules (asyncio, mip, ...): MICROPYPATH replaces
# the default sys.path instead of adding to it.
MPY_PATH_SRC := $(CURDIR):.frozen
MPY_PATH_TREE := $(CURDIR)/$(MPY_TREE):.frozen

LINT_PATHS := $(wildcard prometheus_express tests build bench examples)

# make bundle VERSION=1.2.3 stamps that instead of the git tag (command line only, for test
# builds). CircuitPython's own mpy-cross for a major, instead of the offline stand-in:
# CIRCUITPY_MPY_CROSS_9X=path (also _10X, _11X), or CIRCUITPY_MPY_CROSS_DIR=folder holding
# mpy-cross-9.x, ... (circuitpython-build-tools' cache layout; its cache is used only when given).
BUNDLE_ARGS := $(if $(filter command line,$(origin VERSION)),--version $(VERSION)) \
	$(if $(CIRCUITPY_MPY_CROSS_9X),--mpy-cross 9.x=$(CIRCUITPY_MPY_CROSS_9X)) \
	$(if $(CIRCUITPY_MPY_CROSS_10X),--mpy-cross 10.x=$(CIRCUITPY_MPY_CROSS_10X)) \
	$(if $(CIRCUITPY_MPY_CROSS_11X),--mpy-cross 11.x=$(CIRCUITPY_MPY_CROSS_11X)) \
	$(if $(CIRCUITPY_MPY_CROSS_DIR),--mpy-cross-dir $(CIRCUITPY_MPY_CROSS_DIR))

.PHONY: help setup compile bundle package-json test lint format bench clean

help:
	@sed -n 's/^#   make /make /p' Makefile

setup: $(VENV_STAMP) $(NODE_STAMP)

$(VENV_STAMP): requirements-dev.txt constraints.txt
	$(PYTHON3) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements-dev.txt -c constraints.txt
	touch $@

$(NODE_STAMP): $(WASM)/package.json $(WASM)/package-lock.json
	cd $(WASM) && npm ci --no-audit --no-fund
	touch $@

compile: $(VENV_STAMP)
	$(PY) build/compile.py

bundle: setup
	$(PY) build/bundle.py $(strip $(BUNDLE_ARGS))

package-json: $(VENV_STAMP)
	$(PY) build/micropython.py --root-package

# make test builds the artifacts it tests as make bundle does, without printing their tables.
test: setup
	$(PY) build/bundle.py --quiet $(strip $(BUNDLE_ARGS))
	@echo "== CPython: pytest"
	$(PY) -m pytest -q tests
	@echo "== MicroPython unix port: .py sources"
	MICROPYPATH=$(MPY_PATH_SRC) $(MICROPYTHON) tests/mpy_runner.py
	@echo "== MicroPython unix port: compiled .mpy ($(MPY_TREE))"
	MICROPYPATH=$(MPY_PATH_TREE) $(MICROPYTHON) tests/mpy_runner.py --mpy prometheus_express
	@echo "== MicroPython WebAssembly port: smoke test of the .mpy files"
	node $(WASM)/smoke.mjs $(MPY_TREE)

lint: $(VENV_STAMP)
	$(VENV)/bin/ruff check $(LINT_PATHS)
	$(VENV)/bin/ruff format --check $(LINT_PATHS)
	$(PY) build/check_subset.py prometheus_express
	$(VENV)/bin/mypy

format: $(VENV_STAMP)
	$(VENV)/bin/ruff format $(LINT_PATHS)
	$(VENV)/bin/ruff check --fix $(LINT_PATHS)

bench: setup compile
	$(PY) bench/run.py

clean:
	rm -rf dist .build .pytest_cache .ruff_cache .mypy_cache .hypothesis *.egg-info
	find . -name __pycache__ -type d -not -path './$(VENV)/*' -prune -exec rm -rf {} +
