# Clearinghouse: `make run` serves the platform with demo data; `make test` runs every check.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
CH := $(BIN)/clearinghouse
PORT ?= 8000
# The help desk's SMTP receiver, served beside the web site and the worker.
HELPDESK_SMTP_PORT ?= 8025
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test
CHROMIUM ?= /usr/bin/chromium
SCALE ?= full
# Links in e-mails (sent by the demo and the worker) point at the port served.
export SITE_URL ?= http://127.0.0.1:$(PORT)
# Python keeps compiled modules, and pytest its rewritten test modules, in __pycache__: with
# PYTHONDONTWRITEBYTECODE set (some machines set it), every test process compiles every module
# again, about 10 s of CPU for each of the suite's processes.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: openapi help run serve test lint typecheck checks security test-sqlite test-postgres messages catalogues system-test-deps learning-test-deps clean bench

help:
	@echo "make run    set everything up and serve the platform with demo data at http://127.0.0.1:$(PORT)"
	@echo "make test   run the whole test suite (SQLite, and PostgreSQL when reachable) and every check"

# --- environment -----------------------------------------------------------------------------
$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; set PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.base-installed: requirements/base.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/base.txt
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $@

$(VENV)/.dev-installed: requirements/dev.txt requirements/production.txt requirements/e5.txt $(VENV)/.base-installed
	$(BIN)/pip install --quiet -r requirements/dev.txt
	@touch $@

# Compiled catalogues are built from the .po files in the repo (Babel: no system gettext needed).
messages: $(VENV)/.base-installed
	@$(BIN)/python -m clearinghouse.core.catalogues compile

# --- run ---------------------------------------------------------------------------------------
run: $(VENV)/.base-installed messages
	@mkdir -p var
	$(CH) migrate --no-input -v 0
	$(CH) collectstatic --no-input -v 0
	$(CH) loadreference
	$(CH) importplan clearinghouse/plan/data/decision-XIII-23-ar.txt
	$(CH) loadindicators
	$(CH) loaddemo
	$(CH) rebuildmatching
	@$(MAKE) --no-print-directory serve

# A worker that dies (killed, crashed: a non-zero exit status) is started again two seconds later;
# one stopped on purpose (Ctrl-C) is not. The jobs it was running are recovered by the job ledger
# (docs/operations.md).
serve:
	@echo "Serving Clearinghouse at http://127.0.0.1:$(PORT)/ (Ctrl-C stops it)"
	@echo "Mail to the help desk: smtp://127.0.0.1:$(HELPDESK_SMTP_PORT)"
	@# Each process's metrics, summed at /metrics (core/metrics.py): a fresh folder per start.
	@rm -rf var/metrics && mkdir -p var/metrics
	@export PROMETHEUS_MULTIPROC_DIR=$(CURDIR)/var/metrics; \
	  ( trap 'kill $$pid 2>/dev/null; wait $$pid 2>/dev/null; exit 0' TERM; \
	   while :; do \
	     $(CH) worker & pid=$$!; wait $$pid && break; \
	     echo "The worker stopped (exit status $$?); starting it again in 2 seconds." >&2; \
	     sleep 2 & pid=$$!; wait $$pid; \
	   done ) & worker=$$!; \
	  $(CH) mailreceiver --host 127.0.0.1 --port $(HELPDESK_SMTP_PORT) & mail=$$!; \
	  trap 'kill $$worker $$mail 2>/dev/null; wait $$worker $$mail 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/gunicorn -c deploy/gunicorn.conf.py --bind 127.0.0.1:$(PORT) --workers 2 --threads 4 \
	    --access-logfile - --log-level warning

# --- test --------------------------------------------------------------------------------------
# System packages the checks use: gettext for `msgfmt -c`, Debian's Chromium for browser tests,
# nginx for the reference deployment's loopback test.
system-test-deps:
	@missing=""; command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	  [ -x $(CHROMIUM) ] || missing="$$missing chromium"; \
	  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing="$$missing nginx"; \
	  fc-list 2>/dev/null | grep -qi "noto sans arabic\|Noto Sans CJK" || missing="$$missing fonts-noto-core fonts-noto-cjk"; \
	  if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	      echo "Installing system packages:$$missing"; \
	      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	    else \
	      echo "Missing system packages:$$missing (install them to run every check; the tests that need them say so and skip)"; \
	    fi; \
	  fi

# Node packages the learning tests check their output with (xapi-validation), at the versions
# locked in package-lock.json; without Node those tests say so and skip.
LEARNING_JS := clearinghouse/learning/tests/js
learning-test-deps:
	@if command -v npm >/dev/null; then \
	  [ $(LEARNING_JS)/node_modules/.package-lock.json -nt $(LEARNING_JS)/package-lock.json ] || \
	    npm ci --prefix $(LEARNING_JS) --no-audit --no-fund --loglevel=error; \
	else \
	  echo "Node.js (npm) missing: the xAPI statements' independent validation will be skipped"; \
	fi

# The checks share the two cores (each prints when done); the two test runs come one after the
# other, each with both cores.
test: $(VENV)/.dev-installed messages system-test-deps learning-test-deps
	@$(MAKE) --no-print-directory -j2 --output-sync=target lint typecheck checks security
	@$(MAKE) --no-print-directory test-sqlite
	@$(MAKE) --no-print-directory test-postgres

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.dev-installed
	$(BIN)/mypy clearinghouse

checks: $(VENV)/.dev-installed messages
	$(CH) makemigrations --check --dry-run
	@echo "check --deploy with production settings:"
	@DEBUG=0 HTTPS=1 SECRET_KEY=$$(printf '%064d' 0 | tr 0 x)-deploy-check-$$(date +%s) ALLOWED_HOSTS=clearinghouse.example.org \
	  $(CH) check --deploy --fail-level WARNING
	$(BIN)/python -m clearinghouse.core.catalogues check
	$(BIN)/lint-imports

# bandit on the code (settings in pyproject.toml); reviewed findings carry `# nosec BXXX`. bandit
# also warns "nosec encountered ... but no failed test" for the other expressions on such a line
# (PyCQA/bandit#1041): that noise is dropped, real findings still fail the step. Then pip-audit
# of the pinned dependencies against the PyPI advisory database, when pypi.org answers.
security: $(VENV)/.dev-installed
	@echo "bandit on clearinghouse/:"
	@set -o pipefail; $(BIN)/bandit -c pyproject.toml -r clearinghouse -q 2>&1 | { grep -v "nosec encountered" || true; }
	@if $(BIN)/python -c "import socket; socket.create_connection(('pypi.org', 443), timeout=5).close()" 2>/dev/null; then \
	  echo "dependency audit of requirements/dev.txt (and base.txt):"; \
	  $(BIN)/pip-audit -r requirements/dev.txt --no-deps --disable-pip --progress-spinner off; \
	else \
	  echo "dependency audit skipped: no network"; \
	fi

test-sqlite: $(VENV)/.dev-installed messages
	@echo "== test suite on SQLite =="
	env -u DATABASE_URL $(BIN)/pytest -n 2 --durations=60

test-postgres: $(VENV)/.dev-installed messages
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_TEST_URL)', connect_timeout=3).close()" 2>/dev/null; then \
	  echo "== test suite on PostgreSQL ($(PG_TEST_URL)) =="; \
	  DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest -n 2 --database-tests-only --durations=60; \
	else \
	  echo "== PostgreSQL not reachable at $(PG_TEST_URL): the PostgreSQL run was skipped =="; \
	fi

clean:
	rm -rf $(VENV) staticfiles

# The committed API contract; tests fail until a changed schema is regenerated and reviewed.
openapi: $(VENV)/.base-installed
	$(CH) spectacular --file docs/openapi.yaml --validate

# Extract new strings into the six catalogues (needs gettext's xgettext).
catalogues: $(VENV)/.dev-installed
	$(BIN)/python -m clearinghouse.core.catalogues update

# Benchmarks (not tests): SCALE=full (the sizes we promise) or SCALE=quick (a hundredth).
bench: $(VENV)/.dev-installed
	$(BIN)/python -m bench.run --scale $(SCALE)
