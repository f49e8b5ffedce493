# 苗木商城 — `make run` serves the shop, `make test` checks it. Both set everything up from nothing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi
PORT   ?= 5000
export PORT

.PHONY: install run db test lint bench clean messages

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
	$(BIN)/pybabel -q compile -d shop/translations

db: install
	$(FLASK) db upgrade
	$(FLASK) catalog import --if-empty catalog.csv

run: db
	$(BIN)/gunicorn --config gunicorn.conf.py wsgi:app

lint: install
	$(BIN)/ruff check .

test: lint
	$(BIN)/pytest $(PYTEST_ARGS)

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) instance/shop.sqlite3*

# After changing user-facing text: re-extract and merge into the English catalog, then translate new entries.
messages: $(VENV)/.installed
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext -o build/messages.pot .
	$(BIN)/pybabel -q update -i build/messages.pot -d shop/translations --no-fuzzy-matching --ignore-obsolete
