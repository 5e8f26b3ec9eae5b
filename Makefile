# Two commands do everything: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := storefront:create_app

.PHONY: run test setup setup-test translations messages devtools browser-test vendor bench clean

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

# Compile the catalogues (.mo files stay out of git). Vietnamese is the source language: no catalogue.
translations:
	@if [ -d translations ]; then $(BIN)/pybabel -q compile -d translations; fi

# Extract every marked string into the template and merge it into the English catalogue.
messages: | $(BIN)/python
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 \
		-k lazy_pgettext:1c,2 --ignore-dirs=".* ._ node_modules test-artifacts instance" \
		--sort-by-file --no-wrap --project="OCOP Storefront" -o translations/messages.pot .
	@if [ -f translations/en/LC_MESSAGES/messages.po ]; then \
		$(BIN)/pybabel update -i translations/messages.pot -d translations -l en \
			--no-fuzzy-matching --ignore-obsolete --no-wrap; \
	else \
		$(BIN)/pybabel init -i translations/messages.pot -d translations -l en --no-wrap; \
	fi
	$(BIN)/python -m tools.apply_pending
	$(MAKE) translations

# npm dev tools for the browser checks (axe-core, vnu-jar, Lighthouse 12.2.3 for tests/browser/test_lighthouse.py);
# skipped quietly where npm is absent.
# --ignore-scripts: vnu-jar's postinstall would fetch a Java runtime; the system's java is used.
devtools: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	else \
		echo "npm not found: skipping axe-core and vnu-jar (browser a11y/HTML checks will skip)"; \
	fi

run: setup
	APP_ENV=development $(BIN)/flask db upgrade
	APP_ENV=development $(BIN)/flask seed-demo --if-empty
	@# One worker beside the web server (mail, refunds, the periodic jobs) and a mail sink on 127.0.0.1:1025
	@# that prints every message the shop sends; Ctrl-C stops all three.
	@$(BIN)/python -m aiosmtpd -n -l 127.0.0.1:1025 & sink=$$!; \
	APP_ENV=development $(BIN)/flask worker & worker=$$!; \
	trap 'kill $$worker $$sink 2>/dev/null; wait $$worker $$sink 2>/dev/null' EXIT INT TERM; \
	APP_ENV=development $(BIN)/flask run --host 127.0.0.1 --port 5000

# Whole suite on SQLite, then again on PostgreSQL when TEST_DATABASE_URL is set, then the two-instance
# test (marked `instances`: gunicorn A and B, a worker, PostgreSQL, Redis, S3); the browser
# tests (marked `browser`) run once, at the end, when /usr/bin/chromium exists (REQUIRE_BROWSER=1
# makes a missing browser or tool a failure instead of a skip).
test: setup-test devtools
	$(BIN)/python -m pytest -n auto -p no:cacheprovider -m "not browser and not instances" $(PYTEST_ARGS)
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== again on PostgreSQL: $$TEST_DATABASE_URL"; \
		TEST_BACKEND=postgresql $(BIN)/python -m pytest -n auto -p no:cacheprovider -m "not browser and not instances" $(PYTEST_ARGS); \
	fi
	@echo "== two instances side by side (skipped without PostgreSQL and redis-server, except in CI)"
	@$(BIN)/python -m pytest -p no:cacheprovider -m instances tests/test_two_instances.py $(PYTEST_ARGS) \
		|| [ $$? -eq 5 ]  # 5: PYTEST_ARGS selected none of it
	$(MAKE) browser-test

browser-test: setup-test devtools
	@if [ -x /usr/bin/chromium ] || [ "$$REQUIRE_BROWSER" = "1" ]; then \
		echo "== browser tests (Chromium)"; \
		$(BIN)/python -m pytest -n 2 --dist loadgroup -p no:cacheprovider -m browser tests/browser $(PYTEST_ARGS); \
	else \
		echo "== no /usr/bin/chromium: browser tests skipped"; \
	fi

vendor:
	bash scripts/vendor-assets.sh

bench: setup-test
	$(BIN)/python bench/catalog_bench.py

clean:
	rm -rf $(VENV) .pytest_cache node_modules
