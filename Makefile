# Two commands do everything on a fresh machine with Python >= 3.11:
#   make report   set up .venv, then build the latest month of the bundled sample
#   make test     set up .venv, then ruff and the tests
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup test lint report sample sample-dossiers mutation clean help

help:
	@echo "make report | make test | make setup | make sample | make sample-dossiers | make mutation | make clean"

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (kpi_utils)" >/dev/null
	touch $(STAMP)

lint: setup
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/ruff format --check src tests benchmarks tools

test: lint
	$(BIN)/python -m pytest

report: setup
	@# the last line printed is the path of the report's index.html
	$(BIN)/kpi-report build --month latest

sample: setup
	$(BIN)/kpi-report sample

# SYNTHETIC dossier-level sample for 2022 (about 480,000 rows, not committed) and its catalogue.
sample-dossiers: setup
	$(BIN)/python -m kpi_utils.sample_dossiers

# Mutation testing on demand (mutmut 3): the modules of tools/mutation_modules.toml, each against
# its own test files; writes mutation/report.md. MODULES="cells kpi" runs only those.
mutation: setup
	$(BIN)/python -m pip install --quiet -e '.[dev,mutation]'
	$(BIN)/python tools/mutation.py $(MODULES)

clean:
	rm -rf $(VENV) reports mutation .pytest_cache .hypothesis .ruff_cache
