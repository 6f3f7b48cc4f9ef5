# The README names two entry points: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := wsgi

.PHONY: run test install translations system-deps browser-deps lint messages bench screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# The catalogues are compiled here, at install and run (never committed as .mo): a .mo is rebuilt
# whenever its .po is newer.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard engage/translations/*/LC_MESSAGES/messages.po))
%.mo: %.po | $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -i $< -o $@

translations: $(MO_FILES)

install: $(VENV)/.installed translations

# Debian packages the tests need: Chromium for the browser tests (never a browser download); a CJK font
# and HarfBuzz subsetting for the PDFs (WeasyPrint). Installs only what `dpkg -s` does not find (as root).
SYSTEM_PACKAGES := chromium fonts-wqy-microhei libharfbuzz-subset0
system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# Links in e-mails, notifications and calendar feeds point where `make run` serves, unless ENGAGE_BASE_URL is set.
RUN_BASE_URL := $(or $(ENGAGE_BASE_URL),http://$(HOST):$(PORT))

## Run the service on the embedded SQLite database with the demo consortium (loaded into an empty database
## only), and beside it the one scheduler process (reminders, e-mail delivery), stopped together with gunicorn.
## One worker process with threads: the rate limiter's in-memory counters are then one counter (several
## processes would each count, multiplying the login limit). Production uses Redis and several workers.
run: install
	$(BIN)/flask db upgrade
	ENGAGE_BASE_URL=$(RUN_BASE_URL) $(BIN)/flask engage seed --demo --if-empty
	ENGAGE_BASE_URL=$(RUN_BASE_URL) $(BIN)/flask engage scheduler & scheduler_pid=$$!; \
	trap 'kill $$scheduler_pid 2>/dev/null' EXIT INT TERM; \
	ENGAGE_BASE_URL=$(RUN_BASE_URL) PROMETHEUS_MULTIPROC_DIR=instance/prometheus $(BIN)/gunicorn --workers 1 --threads 4 --bind $(HOST):$(PORT) wsgi:app

# axe-core for the accessibility run of the browser tests, from the npm registry at the locked version.
tests/browser/node_modules/.installed: tests/browser/package.json tests/browser/package-lock.json
	npm ci --prefix tests/browser --no-audit --no-fund
	touch $@

browser-deps: tests/browser/node_modules/.installed

## Run the test suite (SQLite; set ENGAGE_TEST_DATABASE_URL to run it on PostgreSQL).
test: install system-deps browser-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## Benchmarks, run on demand (never in the test suite): every bench/ script on SQLite and, with
## BENCH_DATABASE_URL=postgresql+psycopg://…/<a database they may empty>, on PostgreSQL too; then a summary.
## wrk is Debian's `wrk` package (installed by the list benchmark when missing).
bench: install
	$(BIN)/python bench/run_all.py $(if $(BENCH_DATABASE_URL),--database-url $(BENCH_DATABASE_URL))

lint: install
	$(BIN)/ruff check .

## Extract translatable strings (English is the source), merge them into every catalogue in
## engage/translations (new ones untranslated, changed ones fuzzy: the catalogue test then fails until a
## translator has seen them), compile, and list what is left to translate.
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k N_ --no-wrap --sort-by-file -o engage/translations/messages.pot .
	$(BIN)/pybabel update -i engage/translations/messages.pot -d engage/translations --no-wrap --ignore-obsolete
	$(BIN)/pybabel compile --statistics -d engage/translations
	$(BIN)/python -m engage.translations.checks engage/translations/*/LC_MESSAGES/messages.po || true

## The README's screenshots, made from the demo consortium in a throw-away database (docs/screenshots/*.png).
screenshots: install system-deps
	$(BIN)/python docs/make_screenshots.py
