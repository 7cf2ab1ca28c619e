# Mor Harita: the one task runner. `make run` serves the demo; `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: help setup run serve db-up db-down migrate demo test test-fast messages lint format typecheck bench constraints clean

help:
	@echo "make run        set up, start PostGIS (if DATABASE_URL is unset), migrate, load the demo, serve on http://$(HOST):$(PORT)"
	@echo "make test       set up and run the whole test suite (API, importers, browser)"
	@echo "make lint       ruff lint + format check, import contracts (import-linter), eslint; make typecheck: mypy on app/"
	@echo "make bench      run the benchmarks under bench/"
	@echo "make messages   extract interface strings; list those without a translation (tr; citizen pages: tr, ar, ku)"
	@echo "make db-down    stop the local PostGIS"
	@echo "make constraints  pin the versions installed in .venv into constraints.txt"

$(BIN)/.installed: pyproject.toml constraints.txt
	scripts/system-deps.sh base
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	scripts/system-deps.sh base
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(BIN)/.installed frontend/node_modules/.installed

db-up: setup
	$(BIN)/morharita db up

db-down:
	$(BIN)/morharita db down

migrate: db-up
	$(BIN)/morharita migrate

demo: migrate
	$(BIN)/morharita demo

serve: setup
	$(BIN)/morharita serve --host $(HOST) --port $(PORT)

run: demo serve

test: setup db-up
	scripts/system-deps.sh browser
	$(BIN)/pytest

test-fast: setup db-up
	$(BIN)/pytest -m "not browser"

lint: setup
	$(BIN)/ruff check app tests migrations bench
	$(BIN)/ruff format --check app tests migrations bench
	$(BIN)/lint-imports
	cd frontend && npx --no-install eslint .
	cd frontend && node scripts/check-modules.js

format: setup
	$(BIN)/ruff check --fix app tests migrations bench
	$(BIN)/ruff format app tests migrations bench

typecheck: setup
	$(BIN)/mypy

bench: db-up
	$(BIN)/python -m bench.run_all

# Interface strings: extract them all into translations/messages.pot (for translators'
# tools) and list those without a translation: every string in Turkish, the citizen pages'
# in Turkish, Arabic and Kurdish too (tests/platform/test_i18n.py fails on any); then how
# many Arabic and Kurdish entries still await a native speaker (docs/translations.md).
messages: setup
	$(BIN)/pybabel extract -F babel.cfg -k t -k tn:1,2 -o translations/messages.pot --no-location .
	$(BIN)/python -c "from app import i18n; print(i18n.messages_report())"

# After adding or upgrading a dependency in .venv: pin what is installed now.
constraints: $(BIN)/.installed
	printf '%s\n' '# Exact versions for reproducible installs: make setup installs these; make constraints rewrites this file.' > constraints.txt.new
	$(BIN)/pip freeze --exclude-editable --exclude morharita >> constraints.txt.new
	mv constraints.txt.new constraints.txt
	touch $(BIN)/.installed

clean:
	rm -rf $(VENV) frontend/node_modules .pytest_cache .ruff_cache .mypy_cache test-artifacts
