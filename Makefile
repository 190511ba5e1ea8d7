# Newsroom: `make run` serves the demo newsroom, `make test` runs every test.
# Both set everything up first on a fresh machine (virtualenv, requirements, database).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install migrate demo lint check-deploy bench bench-anchor bench-scale clean

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

# The task worker (photo renditions, imports, purges, webhooks) and the every-minute jobs
# (scheduled-story webhooks, wire expiry) run beside the web server and stop with it.
run: demo
	DEBUG=1 $(PY) manage.py db_worker --queue-name '*' --interval 0.5 --no-reload & worker=$$!; \
	DEBUG=1 $(PY) manage.py run_periodic --every 30 & periodic=$$!; \
	trap 'kill $$worker $$periodic 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

# REQUIRE_BROWSER=1 turns a missing Chromium from a skip into a failure (CI sets it).
test: install
	DEBUG=1 $(PY) manage.py check
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-logo
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

check-deploy: install
	SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	ALLOWED_HOSTS=news.example.org REDIS_URL=redis://127.0.0.1:6379/0 DEBUG=0 \
	$(PY) manage.py check --deploy --fail-level WARNING

bench: install
	$(PY) bench/bench_renditions.py
	DEBUG=1 $(PY) bench/bench_pages.py

# Article, home and section pages beside minimal Django, Wagtail and nginx, one harness run
# each (bench/README.md); needs ../shared/bench-anchor, Redis, wrk and nginx.
bench-anchor: install
	for page in article home section; do PAGE=$$page bash bench/bench_anchor.sh || exit 1; done

# Every page at 10,000 and at 1,000,000 stories on PostgreSQL (bench/README.md). Builds both
# archives first: about 10 minutes (30 on a busy machine) and 5 GB on 2 cores.
# SCALE_STORIES=200000 for less.
SCALE_PG ?= -h 127.0.0.1 -U postgres
SCALE_URL ?= postgres://postgres@127.0.0.1:5432
SCALE_STORIES ?= 1000000
bench-scale: install
	dropdb $(SCALE_PG) --if-exists newsroom_bench_small && createdb $(SCALE_PG) newsroom_bench_small
	dropdb $(SCALE_PG) --if-exists newsroom_bench_large && createdb $(SCALE_PG) newsroom_bench_large
	DATABASE_URL=$(SCALE_URL)/newsroom_bench_small $(PY) bench/make_archive.py --stories 10000
	DATABASE_URL=$(SCALE_URL)/newsroom_bench_large $(PY) bench/make_archive.py --stories $(SCALE_STORIES)
	$(PY) bench/bench_scale.py --small $(SCALE_URL)/newsroom_bench_small --large $(SCALE_URL)/newsroom_bench_large

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
