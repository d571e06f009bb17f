# crosscheck: the two set-up commands are `make demo` and `make test`.
# Everything installs into .venv; the only prerequisite is Python 3.11 with pip.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: install demo test lint format bench bench-smoke clean system-deps

install: $(STAMP)

# Re-runs only when pyproject.toml changes: `make install` is idempotent.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

# Debian packages the tests need (the Prometheus server and promtool). Skipped
# where they are already installed, or where apt is not available (the tests
# that need them then skip with a message).
system-deps:
	@if command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; then \
		echo "system-deps: prometheus already installed"; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null) \
		|| echo "system-deps: could not install prometheus; its tests will skip"; \
	else \
		echo "system-deps: no root apt-get; Prometheus tests will skip"; \
	fi

demo: install
	$(BIN)/crosscheck demo

test: install system-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The bench extra (spaCy + its model, pyinstrument) is installed only here.
bench: install
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	$(BIN)/crosscheck bench

bench-smoke: install
	$(BIN)/crosscheck bench --smoke

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis build *.egg-info
