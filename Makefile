# prometheus_express: the project's verbs.
#
#   make setup     .venv from requirements-dev.txt, node_modules for the wasm smoke test
#   make compile   .mpy files for MicroPython and CircuitPython into dist/mpy/
#   make test      CPython (pytest), MicroPython unix port (.py, then .mpy), WebAssembly port
#   make lint      ruff check, ruff format --check, portable-subset check of the library
#   make format    ruff format, then ruff check --fix (rewrites files)
#   make bundle    release bundles (for now: compile only)
#   make bench     bench/run.py
#   make clean     remove dist/ and caches

PYTHON3 ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MICROPYTHON := $(CURDIR)/$(VENV)/bin/micropython
WASM := tests/wasm
MPY_DIST := dist/mpy/micropython

# Setup reruns only when the pinned requirements or the npm lock change.
VENV_STAMP := $(VENV)/requirements.stamp
NODE_STAMP := $(WASM)/node_modules/.install.stamp

# ".frozen" keeps the unix port's frozen modules (asyncio, mip, ...): MICROPYPATH replaces
# the default sys.path instead of adding to it.
MPY_PATH_SRC := $(CURDIR):.frozen
MPY_PATH_DIST := $(CURDIR)/$(MPY_DIST):.frozen

LINT_PATHS := $(wildcard prometheus_express tests build bench examples)

.PHONY: help setup compile bundle test lint format bench clean

help:
	@sed -n 's/^#   make /make /p' Makefile

setup: $(VENV_STAMP) $(NODE_STAMP)

$(VENV_STAMP): requirements-dev.txt
	$(PYTHON3) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $@

$(NODE_STAMP): $(WASM)/package.json $(WASM)/package-lock.json
	cd $(WASM) && npm ci --no-audit --no-fund
	touch $@

compile: $(VENV_STAMP)
	$(PY) build/compile.py

bundle: compile
	@echo "note: release bundles (CircuitPython zips, mip package) are not built yet;"
	@echo "      only the .mpy files are compiled, into dist/mpy/."

test: setup compile
	@echo "== CPython: pytest"
	$(PY) -m pytest -q tests
	@echo "== MicroPython unix port: .py sources"
	MICROPYPATH=$(MPY_PATH_SRC) $(MICROPYTHON) tests/mpy_runner.py
	@echo "== MicroPython unix port: compiled .mpy ($(MPY_DIST))"
	MICROPYPATH=$(MPY_PATH_DIST) $(MICROPYTHON) tests/mpy_runner.py --mpy prometheus_express
	@echo "== MicroPython WebAssembly port: smoke test of the .mpy files"
	node $(WASM)/smoke.mjs $(MPY_DIST)

lint: $(VENV_STAMP)
	$(VENV)/bin/ruff check $(LINT_PATHS)
	$(VENV)/bin/ruff format --check $(LINT_PATHS)
	$(PY) build/check_subset.py prometheus_express

format: $(VENV_STAMP)
	$(VENV)/bin/ruff format $(LINT_PATHS)
	$(VENV)/bin/ruff check --fix $(LINT_PATHS)

bench: setup compile
	$(PY) bench/run.py

clean:
	rm -rf dist .pytest_cache .ruff_cache .hypothesis
	find . -name __pycache__ -type d -not -path './$(VENV)/*' -prune -exec rm -rf {} +
