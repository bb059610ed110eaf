# The README's two commands: `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEPS := $(VENV)/.deps-installed
ASSETS := static/dist/.built

.PHONY: run test lint migrate demo assets bench lock clean

$(DEPS): requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $@

frontend/node_modules/.package-lock.json: frontend/package-lock.json
	npm ci --prefix frontend --no-audit --no-fund

$(ASSETS): frontend/node_modules/.package-lock.json $(shell find frontend/scss frontend/js frontend/assets -type f) frontend/build.mjs
	npm run --prefix frontend build
	touch $@

assets: $(ASSETS)

var:
	mkdir -p var/celery/queue var/celery/processed var/celery/control var/sent-emails

migrate: $(DEPS) var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py sync_roles

## Run the app with a demo dataset: web on http://127.0.0.1:8000, a Celery worker and beat.
run: $(DEPS) $(ASSETS) migrate
	IRO_DEMO_MODE=1 $(PY) manage.py load_demo
	IRO_DEMO_MODE=1 $(VENV)/bin/honcho -f Procfile.dev start

lint: $(DEPS)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

## Lint, migration check, import contracts and the whole test suite.
test: $(DEPS) $(ASSETS) var lint
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest

bench: $(DEPS)
	$(PY) bench/run

## Re-lock dependencies after changing pyproject.toml.
lock: $(DEPS)
	$(VENV)/bin/pip-compile --quiet --no-emit-index-url --extra dev --strip-extras -o requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) var static/dist staticfiles frontend/node_modules
