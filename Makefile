# Vangnet: `make demo` runs the product with demo data on SQLite; `make test` runs the suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export VANGNET_DEMO ?= 1

.PHONY: demo test install system-deps lint typecheck messages bench ci clean vendor-static

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# Chromium, gettext, Pango, HarfBuzz subset: installed when missing (as root), else the apt-get line.
system-deps:
	scripts/system-deps.sh

demo: install
	mkdir -p var
	$(BIN)/vangnet migrate --noinput
	$(BIN)/vangnet seed --scale demo
	@echo "Vangnet draait op http://127.0.0.1:8000 (stop met Ctrl+C)"
	$(BIN)/vangnet runserver 127.0.0.1:8000

test: system-deps install
	$(BIN)/ruff check .
	$(BIN)/mypy src
	$(BIN)/vangnet makemigrations --check --dry-run
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy src

typecheck: install
	$(BIN)/mypy src

messages: install
	for app in $$(ls -d src/vangnet/*/locale | cut -d/ -f3); do scripts/messages.sh $$app; done

# Every bench script: every main page per role at national scale through its view, with a
# gunicorn + wrk load part (bench.py, exits 1 when a target is missed), imports, exports.
bench: install
	$(BIN)/python scripts/bench.py
	$(BIN)/python scripts/bench_import.py
	$(BIN)/python scripts/bench_export.py --write
	$(BIN)/python scripts/bench_ddd.py

vendor-static:
	scripts/vendor-static.sh

clean:
	rm -rf $(VENV) var
