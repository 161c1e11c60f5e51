# The two commands of the README: `make run` and `make test`.
# Everything installs into .venv with a Python >= 3.12 found by tools/find-python.

VENV := .venv
PY := $(VENV)/bin/python
# XStatic-Bootstrap builds from an sdist that needs setuptools < 81.
PIP := PIP_CONSTRAINT=$(CURDIR)/constraints-build.txt PIP_DISABLE_PIP_VERSION_CHECK=1 $(PY) -m pip
POSTGRES_TEST_URL ?= postgres://postgres@127.0.0.1:5432/symetrie
REDIS_TEST_URL ?= redis://127.0.0.1:6379/0
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-test lint migrate stack messages bench clean

$(PY):
	@python=$$(sh tools/find-python) || exit 1; \
	echo "Creating $(VENV) with $$python"; \
	"$$python" -m venv $(VENV)

$(VENV)/.installed: requirements.txt constraints-build.txt | $(PY)
	$(PIP) install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-test: requirements-dev.txt $(VENV)/.installed
	$(PIP) install --quiet -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Embedded defaults: SQLite in var/, tasks in-process, e-mail on the console.
# The first run builds the demo organisation; later runs keep the data.
run: export DEBUG = true
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: install
	@mkdir -p staticfiles
	$(PY) manage.py migrate --no-input
	@echo
	@$(PY) manage.py seed_demo
	@echo
	@echo "Symétrie is starting on http://$(HOST):$(PORT)/ — log in with one of the logins above."
	@echo "Stop it with Ctrl-C. Your data stays in var/ for the next 'make run';"
	@echo "'.venv/bin/python manage.py seed_demo --reset' rebuilds the demo organisation."
	@echo
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint --quiet
	DEBUG=true $(VENV)/bin/mypy .

# The whole suite on SQLite, then again on PostgreSQL when it is reachable
# (with CI=true a missing PostgreSQL, Redis or Chromium fails instead of skipping).
test: install-test lint
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest
	@if $(PY) tools/service_up.py postgres "$(POSTGRES_TEST_URL)"; then \
		echo "== The suite again, on PostgreSQL ($(POSTGRES_TEST_URL))"; \
		DATABASE_URL="$(POSTGRES_TEST_URL)" $(VENV)/bin/pytest; \
	elif [ "$(CI)" = "true" ]; then \
		echo "PostgreSQL is required with CI=true: nothing answers at $(POSTGRES_TEST_URL)"; exit 1; \
	else \
		echo "SKIPPED: the PostgreSQL run (nothing answers at $(POSTGRES_TEST_URL))"; \
	fi

# The production shape on this machine: gunicorn + a Celery worker + beat,
# against the PostgreSQL and Redis given by DATABASE_URL and CELERY_BROKER_URL.
stack: install
	@test -n "$$DATABASE_URL" || { echo "make stack needs DATABASE_URL (PostgreSQL)"; exit 1; }
	@test -n "$$CELERY_BROKER_URL" || { echo "make stack needs CELERY_BROKER_URL (Redis)"; exit 1; }
	$(PY) manage.py migrate --no-input
	$(PY) manage.py collectstatic --no-input -v0
	@$(PY) manage.py demo_accounts
	$(PY) tools/stack.py --bind $(HOST):$(PORT)

# Benchmarks on the real stack: PostgreSQL and Redis on loopback, gunicorn started and
# stopped by the run (bench/README.md). `make bench BENCH_ARGS=--quick` for a smoke run.
bench: install-test
	$(PY) bench/run.py $(BENCH_ARGS)

# Refresh the French catalogue after changing translatable strings (needs gettext).
messages: install-test
	DEBUG=true $(PY) manage.py makemessages -l fr --no-location --ignore=.venv --ignore=staticfiles
	$(PY) tools/compile_messages.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .mypy_cache
