# Two commands for a newcomer: `make run` (the site on http://127.0.0.1:8000) and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PYTHON_WANTED := $(shell cat .python-version 2>/dev/null)
DEV := DJANGO_DEBUG=true

.PHONY: run test lint fmt serve bench pagetime lighthouse htmlcheck clean help
.DEFAULT_GOAL := help

help:
	@echo "make run    - install, migrate, load the seed content and USDA's foods, serve on http://127.0.0.1:$(PORT)/ (debug)"
	@echo "make test   - lint, migration check and the whole test suite (unit, views, admin, browser)"
	@echo "make fmt    - format and autofix with ruff"
	@echo "make serve  - production mode: migrate, collectstatic, gunicorn on 127.0.0.1:\$$PORT (needs DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS)"
	@echo "make bench  - load-test a throwaway copy of the site with wrk; BENCH_ARGS=--no-cache for the page cache off"
	@echo "make pagetime - in-process milliseconds per bench page (PAGETIME_ARGS=\"--profile /foods/\" adds a profile)"
	@echo "make lighthouse - Lighthouse scores (desktop, mobile) for the main pages of a throwaway production copy (LIGHTHOUSE_ARGS=\"--page foods --form-factor mobile\")"
	@echo "make htmlcheck - the Nu HTML Checker (vnu) over every public page of a throwaway site; fails on any error (needs npm and java)"
	@echo "make clean  - remove .venv, the SQLite database and collected static files"

# The virtualenv, made with the Python that .python-version names (pyenv honours it),
# else any python3 >= 3.12 on PATH.
$(PY):
	@py=""; \
	for c in "$$(pyenv which python 2>/dev/null)" python$(PYTHON_WANTED) python3.13 python3.12 python3; do \
	  if [ -n "$$c" ] && command -v "$$c" >/dev/null 2>&1 \
	     && "$$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then py="$$c"; break; fi; \
	done; \
	if [ -z "$$py" ]; then \
	  echo "error: Python >= 3.12 is needed (3.13 preferred, see .python-version); none was found on PATH." >&2; \
	  exit 1; \
	fi; \
	echo "Creating $(VENV) with $$("$$py" --version) ($$py)"; \
	"$$py" -m venv $(VENV)

# Reinstall only when a requirements file changed.
$(VENV)/.installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py seed_content
	$(DEV) $(PY) manage.py import_usda_sr28 supplements/data/usda-sr28
	@$(DEV) $(PY) manage.py ensure_dev_admin --url http://127.0.0.1:$(PORT)/admin/
	@echo "Serving the site on http://127.0.0.1:$(PORT)/  (admin: http://127.0.0.1:$(PORT)/admin/; Ctrl-C stops)"
	$(DEV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The suite runs one worker per core (pytest-xdist), each with its own test database.
test: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=tests.settings $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest -n auto

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Production: debug off whatever the shell says. Settings that refuse to load (no
# DJANGO_SECRET_KEY, no DJANGO_ALLOWED_HOSTS) print their one-paragraph reason, no traceback.
PROD := DJANGO_DEBUG=false
define CHECK_PRODUCTION_SETTINGS
import sys
from django.core.exceptions import ImproperlyConfigured
try:
    import site_project.settings
except ImproperlyConfigured as exc:
    sys.exit(f"make serve: cannot start in production mode.\n{exc}")
endef
export CHECK_PRODUCTION_SETTINGS

serve: $(VENV)/.installed
	@$(PROD) $(PY) -c "$$CHECK_PRODUCTION_SETTINGS"
	$(PROD) $(PY) manage.py migrate --noinput
	$(PROD) $(PY) manage.py collectstatic --noinput --verbosity 0
	@echo "Serving in production mode on http://127.0.0.1:$(PORT)/ with $${WEB_CONCURRENCY:-(2 x cores) + 1} gunicorn workers (Ctrl-C stops)."
	@echo "Behind a TLS proxy set DJANGO_BEHIND_PROXY=true; to try it over plain http set DJANGO_SECURE_SSL_REDIRECT=false DJANGO_SECURE_COOKIES=false."
	@$(PROD) PORT=$(PORT) exec $(VENV)/bin/gunicorn -c gunicorn.conf.py

# The bench pages, then the typing workload over /foods/?scope=all; BENCH_ARGS="--workloads typing" runs it alone.
BENCH_ARGS ?=
bench: $(VENV)/.installed
	$(PY) .ci/bench.py $(BENCH_ARGS)

# PAGETIME_ARGS="--scopes": each /foods/ request over scope=featured and scope=all, with the ratio.
PAGETIME_ARGS ?=
pagetime: $(VENV)/.installed
	$(PY) .ci/pagetime.py $(PAGETIME_ARGS)

# Installs the pinned lighthouse npm package into .lighthouse/ (git-ignored) on first use;
# needs Node.js, npm and Debian's Chromium (/usr/bin/chromium).
lighthouse: $(VENV)/.installed
	$(PY) .ci/lighthouse.py $(LIGHTHOUSE_ARGS)

# Installs the pinned vnu-jar npm package into .vnu/ (git-ignored) on first use and runs it
# with the system's Java (Debian: apt-get install default-jre-headless).
htmlcheck: $(VENV)/.installed
	$(PY) .ci/htmlcheck.py $(HTMLCHECK_ARGS)

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 db.sqlite3-wal db.sqlite3-shm test-artifacts
