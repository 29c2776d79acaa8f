# The usual ways in: `make run` (the site with demo content) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
# The browser tests' checkers (vnu, axe-core) come from npm when npm is here;
# without them those tests skip with the reason (and fail under CI=true).
NODE_DEPS := $(if $(shell command -v npm 2>/dev/null),$(NODE_STAMP))
ADDR ?= 127.0.0.1:8000
DEV := DJANGO_DEBUG=1
TESTENV := DJANGO_SETTINGS_MODULE=tests.settings

.PHONY: install install-ocr port-free run demo serve worker bench faults scale test lint format migrations-check messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

install: $(STAMP)

# Optical character recognition of scanned pages (their articles' areas): Debian's
# Tesseract with its Simplified Chinese data. Run as root; the site runs without.
install-ocr:
	command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx chi_sim || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    tesseract-ocr tesseract-ocr-chi-sim >/dev/null; }

demo: install
	$(DEV) $(BIN)/python manage.py migrate --noinput
	$(DEV) $(BIN)/python manage.py load_demo

# The site and, beside it, a job worker (imports from the admin, index rebuilds):
# both stop together. ADDR=127.0.0.1:8001 serves on another address.
run: port-free install
	$(MAKE) --no-print-directory demo
	$(DEV) $(BIN)/python manage.py run_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEV) $(BIN)/python manage.py runserver $(ADDR)

# Before anything else (the install takes a minute): is the address free?
port-free:
	python3 ops/port_free.py $(ADDR)

# Production serving: gunicorn against DATABASE_URL, static files by WhiteNoise.
# Needs DJANGO_SECRET_KEY (and DJANGO_ALLOWED_HOSTS); see the README.
# Start at least one job worker beside it (`make worker`, or the systemd unit
# in the README), on this machine or any other with the same settings.
serve: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/gunicorn -c gunicorn.conf.py

# A background job worker for production (as many as you like, anywhere).
worker: install
	$(BIN)/python manage.py run_worker --no-reload

# The benchmark suite: bench/results.json and a table (installs wrk if missing).
bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Load and fault scripts against gunicorn + PostgreSQL (ops/faults.py;
# FAULTS_ARGS=--quick for a short run). Restarts PostgreSQL once.
faults: install
	$(BIN)/python ops/faults.py $(FAULTS_ARGS)

# The scale-out topology on loopback (ops/scale.py): two app servers behind
# HAProxy, a streaming replica, Redis, S3 (moto), two workers, under load and
# faults; writes ops/out/scale.json (~5 min; SCALE_ARGS=--quick ~3 min, CI).
scale: install
	$(BIN)/python ops/scale.py $(SCALE_ARGS)

test: install $(NODE_DEPS) lint migrations-check
	$(TESTENV) $(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install
	$(TESTENV) $(BIN)/python manage.py makemigrations --check --dry-run

messages: install
	$(DEV) $(BIN)/python manage.py makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=node_modules --ignore=demo --ignore=bench
	$(DEV) $(BIN)/python manage.py traditional_catalogue
	$(DEV) $(BIN)/python manage.py compilemessages -l zh_Hans -l zh_Hant --ignore=.venv

clean:
	rm -rf $(VENV) node_modules db.sqlite3 db.sqlite3-wal db.sqlite3-shm media staticfiles test-output
