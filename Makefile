# Rapid Review: `make run` for the demo, `make test` for the whole suite. Both set everything up first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup assets migrate demo lint check-deploy clean system-run system-test

setup: $(VENV)/.installed static/vendor/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Rapid Review needs Python 3.11 or newer")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -c constraints.txt -e '.[dev]'
	touch $@

# GOV.UK Frontend and the MoJ patterns come from the npm registry and are never committed.
static/vendor/.installed: package.json package-lock.json scripts/vendor_assets.sh
	npm ci --no-audit --no-fund --loglevel=error
	sh scripts/vendor_assets.sh

assets: static/vendor/.installed

# Debian packages: WeasyPrint's libraries and fonts for both, Chromium for the browser tests. Installed when run as
# root with apt-get; otherwise the script stops at once with the exact command to run.
system-run:
	@sh scripts/system_packages.sh run

system-test:
	@sh scripts/system_packages.sh test

migrate: setup system-run
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

# The demo: SQLite, e-mail to the console and the outbox, a Celery worker with beat on the filesystem broker.
run: demo
	@echo "Rapid Review is starting at http://$(HOST):$(PORT)/ (Ctrl-C stops the web server and the worker)"
	@trap 'kill 0' INT TERM EXIT; \
	$(VENV)/bin/celery -A rapidreview worker --beat --loglevel=INFO --concurrency=1 \
		--schedule=var/celerybeat-schedule & \
	$(PY) manage.py runserver --noreload $(HOST):$(PORT)

# Uses DATABASE_URL and CELERY_BROKER_URL when set (CI: PostgreSQL and Redis); SQLite and eager tasks otherwise.
# One pytest-xdist worker per CPU; tests that share a service or a browser keep to one worker (xdist_group).
PYTEST_WORKERS ?= logical
test: system-test setup
	RAPIDREVIEW_ENV=test $(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles var db.sqlite3
