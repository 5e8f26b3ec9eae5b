# Two commands do everything: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := storefront:create_app

.PHONY: run test setup setup-test translations vendor bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements.txt requirements-test.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-test.txt
	touch $@ $(VENV)/.installed

setup: $(VENV)/.installed translations

setup-test: $(VENV)/.installed-test translations

translations:
	@if [ -d translations ]; then $(BIN)/pybabel compile -q -d translations; fi

run: setup
	APP_ENV=development $(BIN)/flask db upgrade
	APP_ENV=development $(BIN)/flask seed-demo --if-empty
	APP_ENV=development $(BIN)/flask run --host 127.0.0.1 --port 5000

# Whole suite on SQLite, then again on PostgreSQL when TEST_DATABASE_URL is set.
test: setup-test
	$(BIN)/python -m pytest -n auto -p no:cacheprovider $(PYTEST_ARGS)
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== again on PostgreSQL: $$TEST_DATABASE_URL"; \
		TEST_BACKEND=postgresql $(BIN)/python -m pytest -n auto -p no:cacheprovider $(PYTEST_ARGS); \
	fi

vendor:
	bash scripts/vendor-assets.sh

bench: setup-test
	$(BIN)/python bench/catalog_bench.py

clean:
	rm -rf $(VENV) .pytest_cache
