# Two commands do everything on a fresh machine with Python >= 3.11:
#   make report   set up .venv, then build the latest month of the bundled sample
#   make test     set up .venv, then ruff and the tests
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup test lint report sample sample-dossiers fuzz clean help

help:
	@echo "make report | make test | make setup | make sample | make sample-dossiers | make fuzz | make clean"

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (kpi_utils)" >/dev/null
	touch $(STAMP)

lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

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

# Mutation fuzzing of every command that reads files (tests/fuzz.py), at length: every case must
# end with exit 0 or 1 and plain words. Failing cases are kept in fuzz-failures/ (copy one into
# tests/fixtures/fuzz/ to replay it in `make test`). The suite runs 1,000 cases of the same harness.
FUZZ_CASES ?= 100000
FUZZ_SEED  ?= 1
FUZZ_JOBS  ?= 2
fuzz: setup
	$(BIN)/python tests/fuzz.py --cases $(FUZZ_CASES) --seed $(FUZZ_SEED) --jobs $(FUZZ_JOBS) --keep fuzz-failures

clean:
	rm -rf $(VENV) reports .pytest_cache .hypothesis .ruff_cache fuzz-failures
