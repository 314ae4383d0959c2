# Simpul: two commands for a newcomer.
#   make run   set up and start the demo on SQLite at http://127.0.0.1:8000
#   make test  install what the tests need and run every test (SQLite, then PostgreSQL)
SHELL := /bin/bash
.DEFAULT_GOAL := help

UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
PY := .venv/bin/python
SIMPUL := .venv/bin/simpul
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv
PG_URL ?= postgresql://postgres@127.0.0.1:5432/simpul
DEMO_ENV := SIMPUL_DEMO=true

.PHONY: help install run demo-data test lint test-sqlite test-postgres browser-deps messages bench

help:
	@echo "make run    set up and start the demo (SQLite) at http://127.0.0.1:8000"
	@echo "make test   run every check and test, on SQLite and PostgreSQL"

$(UV):
	python3 -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Bytecode is compiled once here: with PYTHONDONTWRITEBYTECODE set (as on CI machines) every
# process would otherwise compile Django and its libraries again at start-up (seconds each).
install: $(UV)
	$(UV) sync --frozen --quiet --compile-bytecode
	$(PY) -m compileall -q simpul >/dev/null

demo-data: install
	$(DEMO_ENV) $(SIMPUL) migrate --noinput
	$(DEMO_ENV) $(SIMPUL) createcachetable
	$(DEMO_ENV) $(SIMPUL) load_regions
	$(DEMO_ENV) $(SIMPUL) load_demo
	$(DEMO_ENV) $(SIMPUL) load_prevention_demo
	$(DEMO_ENV) $(SIMPUL) collectstatic --noinput --verbosity 0

# The web server, a background worker and the job scheduler, together; Ctrl-C stops all three.
run: demo-data
	@echo "Simpul demo: http://127.0.0.1:8000  (accounts are listed on the sign-in page)"
	@echo "Running the web server, a worker and the scheduler; Ctrl-C stops all three."
	$(DEMO_ENV) $(SIMPUL) run_all 127.0.0.1:8000

# Debian's Chromium drives the browser tests; never a downloaded browser build.
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

# The house rules first (docs/contributing.md): import contracts (pyproject.toml) and the
# architecture test; then style, types, migrations and the deploy check.
lint: install
	.venv/bin/lint-imports
	.venv/bin/pytest -q tests/test_architecture.py
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	SIMPUL_TESTING=true .venv/bin/mypy simpul
	SIMPUL_TESTING=true $(SIMPUL) makemigrations --check --dry-run
	SIMPUL_SECRET_KEY=deploy-check-$$(head -c 32 /dev/urandom | base64 | tr -dc A-Za-z0-9) \
	SIMPUL_VAULT_KEYS=k1:$$(head -c 32 /dev/urandom | base64) \
	SIMPUL_BLIND_INDEX_KEY=$$(head -c 32 /dev/urandom | base64) \
	SIMPUL_AUDIT_KEY=a1:$$(head -c 32 /dev/urandom | base64) \
	SIMPUL_ALLOWED_HOSTS=simpul.example.go.id DATABASE_URL=$(PG_URL) \
	  $(SIMPUL) check --deploy --fail-level WARNING

test-sqlite: install browser-deps
	DATABASE_URL=sqlite:///$(CURDIR)/var/test-main.sqlite3 .venv/bin/pytest -q

test-postgres: install browser-deps
	@if $(PY) -c "import psycopg,sys; psycopg.connect('$(PG_URL)'.rsplit('/',1)[0]+'/postgres', connect_timeout=3).close()" 2>/dev/null; then \
	  DATABASE_URL=$(PG_URL) .venv/bin/pytest -q; \
	elif [ "$$CI" = "true" ]; then \
	  echo "PostgreSQL is not reachable at $(PG_URL): failing, as CI requires it."; exit 1; \
	else \
	  echo "WARNING: PostgreSQL not reachable at $(PG_URL); skipped the PostgreSQL run."; \
	fi

test: lint test-sqlite test-postgres

messages: install
	cd simpul && SIMPUL_TESTING=true ../$(SIMPUL) makemessages -l id -l en --no-obsolete --no-location --ignore '*/tests/*' && SIMPUL_TESTING=true ../$(SIMPUL) compilemessages

bench: install
	@echo "Benchmarks live in bench/; see docs/benchmarks.md"
