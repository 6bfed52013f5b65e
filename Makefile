# Two entry points do all set-up: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test test-fast install system-deps lint clean bench

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

# Debian packages auditcrawl and its tests run for real: Chromium (rendering, screenshots, PDFs),
# a PostgreSQL server (storage tests) and pdftotext (the PDF report's text). Installed only when missing.
APT_PACKAGES = $(if $(wildcard /usr/bin/chromium),,chromium) $(if $(wildcard /usr/lib/postgresql/*/bin/postgres),,postgresql) \
  $(if $(wildcard /usr/bin/pdftotext),,poppler-utils)
system-deps:
	@if [ -n "$(strip $(APT_PACKAGES))" ]; then \
	  echo "installing Debian packages: $(strip $(APT_PACKAGES))"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES) >/dev/null; \
	fi

demo: $(STAMP) system-deps
	$(BIN)/auditcrawl demo

# Style (ruff), the layers (import-linter: crawler < rules < storage < app) and types (mypy).
lint: $(STAMP)
	$(BIN)/ruff format --check --quiet .
	$(BIN)/ruff check --quiet .
	$(BIN)/lint-imports --no-cache --no-logo
	$(BIN)/mypy

test: $(STAMP) system-deps lint
	$(BIN)/pytest -q

# The tests that need no server, browser or database: seconds, not minutes.
test-fast: $(STAMP)
	$(BIN)/pytest -q -m "not integration and not corpus"

# Benchmarks print numbers; they are not tests. nginx serves the generated site.
bench: $(STAMP)
	@command -v nginx >/dev/null 2>&1 || ls /usr/sbin/nginx >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null)
	$(BIN)/python -m pip install -q -e '.[bench]'
	$(BIN)/python bench/dates.py
	$(BIN)/python bench/judgments.py
	$(BIN)/python bench/realsites.py
	$(BIN)/python bench/batch.py
	$(BIN)/python bench/crawl.py --pages 5000

clean:
	rm -rf $(VENV) build *.egg-info .mypy_cache .pytest_cache
