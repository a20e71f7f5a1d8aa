# interop: make setup | check | test | lint | bench
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: setup check test test-fast lint bench system-deps clean

# A stamp for the dev install, not $(BIN)/interop: the README's first command makes .venv and
# the interop command without the dev tools, and setup must still add them.
DEV_STAMP := $(VENV)/.dev-installed

$(DEV_STAMP): pyproject.toml
	[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	@# The distribution was called "interop" (a name somebody else has on the index) until it
	@# became interop-harness: drop the old record, which would also claim bin/interop.
	@if $(BIN)/pip show --quiet interop >/dev/null 2>&1; then $(BIN)/pip uninstall --quiet -y interop; fi
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

setup: $(DEV_STAMP)

# Debian packages the tests use: chromium (HTML reports, driven by Playwright; no browser
# download) and postgresql (the shared results store). Installed when missing and root.
system-deps:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "note: missing Debian packages:$$missing (browser/PostgreSQL tests will skip)"; fi; \
	fi

# The main job: the readiness matrix over the bundled catalogue, reports under reports/.
check: setup
	$(BIN)/interop check --record

test: setup system-deps
	$(BIN)/python -m pytest -n auto

test-fast: setup
	$(BIN)/python -m pytest -m "not slow" -x -q

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check harness adapters tests benchmarks
	$(BIN)/mypy

bench: setup
	@for script in benchmarks/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) reports/*.json reports/*.html reports/*.md reports/*.xml reports/*.sarif .interop
