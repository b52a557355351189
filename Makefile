# `make start` and `make check` are the two commands of the README's Quick start.
# `make check` is exactly what CI runs (.ci/run calls it).
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgresql://postgres@127.0.0.1:5432/vetta
export PYTHONDONTWRITEBYTECODE := 1
# Tests keep their data (secret key, queue, media) apart from a running `make start`.
TEST_HOME := $(CURDIR)/var/test-home

.PHONY: start check bootstrap bootstrap-dev lint typecheck imports test test-postgres exercises bench editor

start: bootstrap
	$(BIN)/vetta up

bootstrap:
	@scripts/bootstrap.sh

bootstrap-dev:
	@scripts/bootstrap.sh dev

check: bootstrap-dev
	$(MAKE) lint typecheck imports
	$(MAKE) exercises
	$(MAKE) test
	$(MAKE) test-postgres

lint:
	$(BIN)/ruff check src tests bench exercises
	$(BIN)/ruff format --check src tests bench

typecheck:
	$(BIN)/mypy

imports:
	$(BIN)/lint-imports

# The whole suite on SQLite: sandbox attacks, graders, web, browser, scale-out.
test:
	VETTA_HOME=$(TEST_HOME) $(BIN)/pytest

# Every database-touching test again on the machine's PostgreSQL (fails under CI=true if absent).
test-postgres:
	VETTA_HOME=$(TEST_HOME) DATABASE_URL=$(PG_URL) $(BIN)/pytest -m "django_db and not browser" -p no:randomly

# Every reference solution of every exercise must land in its band.
exercises:
	$(BIN)/vetta exercise validate exercises/*/
	$(BIN)/vetta exercise test exercises/*/

bench:
	$(BIN)/python -m bench.sandbox_overhead
	$(BIN)/python -m bench.grading

# The candidate's editor: CodeMirror 6 from npm, bundled by esbuild into one committed file,
# src/vetta/web/static/vendor/codemirror/vetta-editor.js (+ LICENSES.txt). Only needed after
# changing frontend/; serving Vetta needs neither Node nor the network.
editor:
	cd frontend && npm ci --no-audit --no-fund && npm run build
