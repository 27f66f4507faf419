# Two commands set everything up: `make run` (demo portal on SQLite) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# `make run` is the embedded demo: DEBUG on (dev secret key, e-mail to var/mail/); override on the command line.
RUN_ENV ?= DEBUG=1

.PHONY: install run test lint typecheck messages worker beat clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

run: install
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py seed_demo --if-empty
	$(RUN_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	DEBUG=1 $(BIN)/mypy

worker: install
	$(RUN_ENV) $(BIN)/celery -A portal worker --loglevel=INFO

beat: install
	$(RUN_ENV) $(BIN)/celery -A portal beat --loglevel=INFO

# Extract translatable strings: each app keeps its own catalogue, the root one holds portal/ and templates/.
messages: install
	for app in accounts billing complaints; do (cd $$app && DEBUG=1 ../$(BIN)/django-admin makemessages -l id --no-obsolete); done
	DEBUG=1 $(BIN)/python manage.py makemessages -l id --no-obsolete -i "accounts/*" -i "billing/*" -i "complaints/*" -i ".venv/*" -i "var/*" -i "tests/*" -i "bench/*"
	DEBUG=1 $(BIN)/python manage.py compilemessages -i ".venv" -i "var"

clean:
	rm -rf $(VENV) var/static
