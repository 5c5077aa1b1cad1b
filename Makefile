# The two commands: `make run` and `make test`. Everything else supports them.
.DEFAULT_GOAL := help
SHELL := /bin/sh

VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help run test lint format messages lock ci clean serve seed bench bench-scale loadtest

help:
	@echo "make run      install, migrate, load the demo data (and demo API tokens), serve http://$(HOST):$(PORT)"
	@echo "make test     lint, migration and system checks, the whole test suite"
	@echo "make format   format the code with ruff"
	@echo "make messages update the translation catalogues and compile them"
	@echo "make lock     re-pin requirements*.txt from pyproject.toml"
	@echo "make ci       what CI runs: the suite on PostgreSQL and on SQLite, side by side (.ci/run)"
	@echo "make bench    every benchmark; fails if one misses its target (docs/performance.md)"
	@echo "make bench-scale  one organisation alone and among ORGS others, timed in alternation (BENCH_ALONE_URL)"
	@echo "make loadtest the locust scenario against gunicorn (LOAD_TAG from seed_scale)"

$(PY):
	@python="$$(scripts/find-python)" && echo "Creating $(VENV) with $$python" && "$$python" -m venv $(VENV)

$(VENV)/.runtime: $(PY) requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

run: $(VENV)/.runtime
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --api-token
	$(PY) manage.py runserver $(HOST):$(PORT)

serve: $(VENV)/.runtime
	$(PY) manage.py runserver $(HOST):$(PORT)

seed: $(VENV)/.runtime
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --api-token

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: lint
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check --fail-level WARNING
	$(PY) -m pytest --cov --cov-report=term $(PYTEST_ARGS)

messages: $(VENV)/.dev
	$(PY) manage.py catalogues --update

lock:
	@python="$$(scripts/find-python)" && rm -rf var/lock-venv && "$$python" -m venv var/lock-venv
	var/lock-venv/bin/pip install --quiet --disable-pip-version-check .
	{ echo "# Runtime dependencies, fully pinned. Regenerate with \`make lock\`."; \
	  var/lock-venv/bin/pip freeze --exclude danvan | sort -f; } > requirements.txt
	var/lock-venv/bin/pip install --quiet --disable-pip-version-check ".[dev]"
	{ echo "# Development and test dependencies, fully pinned. Regenerate with \`make lock\`."; \
	  echo "-r requirements.txt"; \
	  var/lock-venv/bin/pip freeze --exclude danvan | sort -f | grep -vxFf requirements.txt; } > requirements-dev.txt
	rm -rf var/lock-venv

bench: $(VENV)/.runtime
	$(PY) manage.py migrate --noinput
	$(PY) manage.py benchmark_plan_documents
	$(PY) manage.py benchmark_award_decision
	$(PY) manage.py benchmark_evaluations
	$(PY) manage.py benchmark_concurrent_decisions
	$(PY) manage.py benchmark_signing

# Two empty PostgreSQL databases: BENCH_ALONE_URL gets one organisation of 100,000
# registrations alone, DATABASE_URL the same among ORGS organisations of 600 (3,321 is the
# country); then every page is timed on both, run by run in alternation.
ORGS ?= 300
bench-scale: $(VENV)/.runtime
	@test -n "$(BENCH_ALONE_URL)" || { echo "Set BENCH_ALONE_URL to a second, empty PostgreSQL database."; exit 2; }
	DATABASE_URL=$(BENCH_ALONE_URL) $(PY) manage.py migrate --noinput
	DATABASE_URL=$(BENCH_ALONE_URL) $(PY) manage.py seed_scale --organizations 1 --registrations-per-org 100000 --years 1
	-DATABASE_URL=$(BENCH_ALONE_URL) $(PY) manage.py benchmark --json var/bench-1org.json  # a miss here: the run goes on
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_scale --organizations 1 --registrations-per-org 100000 --years 1
	$(PY) manage.py seed_scale --organizations $(ORGS) --registrations-per-org 600 --years 3
	$(PY) manage.py benchmark --against $(BENCH_ALONE_URL) --json var/bench-$(ORGS)orgs.json

loadtest: $(VENV)/.dev
	loadtest/run.sh

ci:
	.ci/run

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .coverage htmlcov
