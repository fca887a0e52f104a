# Every target makes the environment it needs: a fresh machine needs only python3.
# uv (pinned in constraints.txt, installed by pip into the venv) installs the rest.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
# The package with its testing and cli extras: all that the demo needs.
RUN_STAMP := $(VENV)/.installed-run
# ...and the development tools (the dependency group dev): all that the checks need.
DEV_STAMP := $(VENV)/.installed-dev
BUILD := build
SMOKE_VENV := $(BUILD)/smoke-venv
# pytest-xdist's workers: more than the cores, since many tests wait on a server.
export PYTEST_WORKERS ?= 4
# uv reads the system certificates (as pip does here): its own bundle cannot reach the index.
export UV_NATIVE_TLS := 1

.PHONY: demo test lint typecheck pytest bench bench-smoke docs docs-build dist package-check \
	matrix constraints clean

$(UV):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c constraints.txt uv

$(RUN_STAMP): pyproject.toml constraints.txt | $(UV)
	$(UV) pip install --quiet --python $(BIN)/python -c constraints.txt -e ".[testing,cli]"
	touch $(RUN_STAMP)

$(DEV_STAMP): $(RUN_STAMP)
	$(UV) pip install --quiet --python $(BIN)/python -c constraints.txt -e ".[testing,cli]" \
		--group dev
	touch $(DEV_STAMP)

## demo: run the ssm-mw demo on the embedded backend (no AWS account needed)
demo: $(RUN_STAMP)
	$(BIN)/ssm-mw demo

## test: the whole check suite: lint, type checks, tests (the docs' examples and a smoke run
## of every benchmark included), the docs site (strict), and the built sdist and wheel
test: lint typecheck pytest docs-build package-check

lint: $(DEV_STAMP)
	$(BIN)/ruff check src tests benchmarks tools noxfile.py
	$(BIN)/ruff format --check src tests benchmarks tools noxfile.py

typecheck: $(DEV_STAMP)
	$(BIN)/mypy
	$(BIN)/pyright
	$(BIN)/python tests/typing/check_failures.py

pytest: $(DEV_STAMP)
	$(BIN)/pytest -n $(PYTEST_WORKERS)

bench: $(DEV_STAMP)
	$(BIN)/python -m benchmarks

## bench-smoke: every benchmark at tiny sizes, to see that they run (the tests do it too)
bench-smoke: $(DEV_STAMP)
	$(BIN)/python -m benchmarks --smoke

## docs: serve the documentation site at http://127.0.0.1:8000/ssm-mw/ (the path of mkdocs.yml's
## site_url; rebuilds on change)
docs: $(DEV_STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve

## docs-build: build the site strictly (SITE_URL=... builds it for another address), then check it:
## each public name on one page of the API reference, no Sphinx markup shown as text, the URLs of
## README.md and pyproject.toml as mkdocs.yml says
docs-build: $(DEV_STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet --site-dir $(BUILD)/site
	$(BIN)/python tools/check_docs_site.py $(BUILD)/site

## dist: build the sdist and the wheel into dist/
dist: $(DEV_STAMP)
	rm -rf dist
	$(BIN)/python -m build --installer uv --outdir dist .

## package-check: twine check, then install the wheel (not editable) with [testing,cli]
## in a fresh venv and use it there as a user would
package-check: dist
	$(BIN)/twine check --strict dist/*
	rm -rf $(SMOKE_VENV)
	$(UV) venv --quiet --python $(PYTHON) $(SMOKE_VENV)
	$(UV) pip install --quiet --python $(SMOKE_VENV)/bin/python -c constraints.txt \
		"$$(ls dist/ssm_mw-*.whl)[testing,cli]"
	$(SMOKE_VENV)/bin/python tools/smoke_wheel.py dist

## matrix: the suite on Python 3.10-3.13 and at the lowest and newest dependencies (nox);
## NOX_SESSIONS='lowest newest' runs some of them (`.venv/bin/nox -l` lists them)
NOX_SESSIONS ?=
matrix: $(DEV_STAMP)
	$(BIN)/nox --noxfile noxfile.py $(if $(NOX_SESSIONS),--sessions $(foreach s,$(NOX_SESSIONS),'$(s)'))

## constraints: re-pin constraints.txt (one universal set for Python 3.10-3.13), newest first
constraints: $(DEV_STAMP)
	$(UV) pip compile pyproject.toml --all-extras --group pyproject.toml:dev --universal \
		--python-version 3.10 --no-annotate --upgrade -o constraints.txt

clean:
	rm -rf $(VENV) $(BUILD) dist .nox .pytest_cache .mypy_cache .ruff_cache
