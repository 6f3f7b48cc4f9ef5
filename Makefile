# The README names two entry points: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := wsgi

.PHONY: run test install system-deps lint messages bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

# Debian packages the tests need: Chromium for the browser tests (never a browser download); a CJK font
# and HarfBuzz subsetting for the PDFs (WeasyPrint). Installs only what `dpkg -s` does not find (as root).
SYSTEM_PACKAGES := chromium fonts-wqy-microhei libharfbuzz-subset0
system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

## Run the service on the embedded SQLite database with the demo consortium, and beside it the one
## scheduler process (reminders, e-mail delivery), stopped together with gunicorn.
run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask engage seed --demo
	$(BIN)/flask engage scheduler & scheduler_pid=$$!; \
	trap 'kill $$scheduler_pid 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn --workers 2 --bind $(HOST):$(PORT) --access-logfile - wsgi:app

## Run the test suite (SQLite; set ENGAGE_TEST_DATABASE_URL to run it on PostgreSQL).
test: install system-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## Benchmarks, run on demand (never in the test suite); BENCH_ARGS="--database-url postgresql+psycopg://…".
bench: install
	$(BIN)/python bench/delphi_results.py $(BENCH_ARGS)
	$(BIN)/python bench/delphi_feedback.py $(BENCH_ARGS)
	$(BIN)/python bench/pdf_render.py

lint: install
	$(BIN)/ruff check .

## Extract translatable strings (English is the source; catalogues live in engage/translations).
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k N_ -o engage/translations/messages.pot .
