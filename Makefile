# Two commands do everything on a fresh machine with Python >= 3.11:
#   make report   set up .venv, then build the latest month of the bundled sample
#   make test     set up .venv, then ruff and the tests
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup test lint report lab sample sample-dossiers clean help

help:
	@echo "make report | make test | make lab | make setup | make sample | make sample-dossiers | make clean"

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

# JupyterLab for analysts, on this machine only, with the project's kernel, opening notebooks/;
# nothing is fetched at start (no news feed, no update check): it works with no network.
lab: setup
	@$(BIN)/jupyter labextension disable --level=sys_prefix \
		"@jupyterlab/apputils-extension:announcements" >/dev/null 2>&1
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=notebooks \
		--LabApp.news_url=None --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate \
		--LabApp.extension_manager=readonly --LabApp.default_url=/lab/tree/explore.ipynb \
		$(if $(filter 0,$(shell id -u)),--allow-root)

sample: setup
	$(BIN)/kpi-report sample

# SYNTHETIC dossier-level sample for 2022 (about 480,000 rows, not committed) and its catalogue.
sample-dossiers: setup
	$(BIN)/python -m kpi_utils.samples.dossiers

clean:
	rm -rf $(VENV) reports .pytest_cache .hypothesis .ruff_cache
