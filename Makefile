# Newsroom: `make run` serves the demo newsroom, `make test` runs every test.
# Both set everything up first on a fresh machine (virtualenv, requirements, database).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install migrate demo lint check-deploy bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	DEBUG=1 $(PY) manage.py migrate --noinput

demo: migrate
	DEBUG=1 $(PY) manage.py load_demo

# The task worker (photo renditions, imports, purges, webhooks) runs beside the web server
# and stops with it.
run: demo
	DEBUG=1 $(PY) manage.py db_worker --queue-name '*' --interval 0.5 --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

# REQUIRE_BROWSER=1 turns a missing Chromium from a skip into a failure (CI sets it).
test: install
	DEBUG=1 $(PY) manage.py check
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

check-deploy: install
	SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	ALLOWED_HOSTS=news.example.org REDIS_URL=redis://127.0.0.1:6379/0 DEBUG=0 \
	$(PY) manage.py check --deploy --fail-level WARNING

bench: install
	$(PY) bench/bench_renditions.py
	DEBUG=1 $(PY) bench/bench_pages.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
