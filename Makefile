# Two commands do everything on a fresh machine with Python >= 3.11:
#   make report   set up .venv from the lock file, then build the latest month of the bundled sample
#   make test     set up .venv, install Chromium if missing (apt-get), then ruff and the tests
# make lock      re-resolve requirements.lock from pyproject.toml (after changing a dependency)
PYTHON   ?= python3
VENV     := .venv
BIN      := $(VENV)/bin
STAMP    := $(VENV)/.installed
LOCK     := requirements.lock
# The browser the tests drive: a command name or a path. `make test` installs the Debian package
# `chromium` when this is not found and CHROMIUM is left at its default.
CHROMIUM ?= chromium
APT      := DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=600
UV       ?= uv>=0.5
LOCK_ARGS ?=
# axe-core, the accessibility checker the browser tests inject into each page (a test tool from npm,
# not a Python dependency): installed once into tests/.axe/, then used offline.
AXE_VERSION := 4.10.3
AXE_JS   := tests/.axe/node_modules/axe-core/axe.min.js

.PHONY: setup test lint browser axe lock report lab sample sample-dossiers mutation fuzz clean help

help:
	@echo "make report | make test | make lab | make setup | make lock | make sample | make sample-dossiers | make mutation | make fuzz | make clean"

setup: $(STAMP)

# Every dependency (runtime, dev, build, pip itself) at the exact version and hashes of the lock;
# then the project itself, which adds nothing. `pip check` fails when the lock no longer satisfies
# pyproject.toml (run `make lock`).
$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (kpi_utils)" >/dev/null
	touch $(STAMP)

# uv resolves once for every Python >= 3.11 and every platform (--universal: markers where the
# versions differ) and writes the hashes of every file of each pinned version. It keeps the pins
# already in the lock where they still fit; `make lock LOCK_ARGS=--upgrade` moves all to the newest.
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet '$(UV)'
	$(BIN)/python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['build-system']['requires'] + ['pip']))" \
	  | $(BIN)/uv pip compile pyproject.toml - --extra dev --extra mutation --universal --generate-hashes \
	      --quiet --custom-compile-command 'make lock' $(LOCK_ARGS) -o $(LOCK)

# Chromium for the browser tests, poppler-utils (pdftotext, pdfinfo) to read what it prints, and
# npm to fetch axe-core: found, or installed with apt-get (as root, or through sudo when it needs
# no password), or one line saying what to install.
browser:
	@command -v '$(CHROMIUM)' >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 \
	  && command -v pdfinfo >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 && exit 0; \
	need="make test needs Chromium, poppler-utils (pdftotext) and npm (for axe-core) for the browser tests"; \
	how="install the Debian packages chromium, poppler-utils and npm (sudo apt-get install chromium poppler-utils npm), or set CHROMIUM=/path/to/chromium"; \
	if ! command -v '$(CHROMIUM)' >/dev/null 2>&1 && [ '$(CHROMIUM)' != chromium ]; then echo "$$need: CHROMIUM=$(CHROMIUM) is not found; $$how" >&2; exit 1; fi; \
	packages=; command -v '$(CHROMIUM)' >/dev/null 2>&1 || packages=chromium; \
	command -v pdftotext >/dev/null 2>&1 && command -v pdfinfo >/dev/null 2>&1 || packages="$$packages poppler-utils"; \
	command -v npm >/dev/null 2>&1 || packages="$$packages npm"; \
	if ! command -v apt-get >/dev/null 2>&1; then echo "$$need and there is no apt-get here: $$how" >&2; exit 1; fi; \
	if [ "$$(id -u)" = 0 ]; then sudo=; \
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo='sudo -n'; \
	else echo "$$need and may not install them (not root, no sudo without a password): $$how" >&2; exit 1; fi; \
	echo "installing for the browser tests: apt-get update && apt-get install $$packages"; \
	$$sudo env $(APT) update >/dev/null && $$sudo env $(APT) install $$packages >/dev/null \
	  && command -v '$(CHROMIUM)' >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 \
	  && command -v npm >/dev/null 2>&1 \
	  || { echo "$$need and apt-get could not install them: $$how" >&2; exit 1; }

# axe-core for the accessibility tests, from the npm registry at a pinned version; one line when
# npm is missing.
axe: $(AXE_JS)

$(AXE_JS):
	@command -v npm >/dev/null 2>&1 || { echo "make test needs npm to install axe-core $(AXE_VERSION) for the accessibility tests: install Node.js and npm (sudo apt-get install npm)" >&2; exit 1; }
	npm install --prefix tests/.axe --no-save --no-package-lock --no-audit --no-fund --silent axe-core@$(AXE_VERSION)
	@test -f $(AXE_JS) || { echo "npm did not install axe-core $(AXE_VERSION) into tests/.axe" >&2; exit 1; }

lint: setup
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/ruff format --check src tests benchmarks tools

test: browser axe lint
	AXE_JS="$(CURDIR)/$(AXE_JS)" CHROMIUM="$$(command -v '$(CHROMIUM)')" $(BIN)/python -m pytest

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

# Mutation testing on demand (mutmut 3): the modules of tools/mutation_modules.toml, each against
# its own test files; writes mutation/report.md. MODULES="cells kpi" runs only those.
mutation: setup
	$(BIN)/python tools/mutation.py $(MODULES)

# Mutation fuzzing of every command that reads files (tests/fuzz.py), at length: every case must
# end with exit 0 or 1 and plain words. Failing cases are kept in fuzz-failures/ (copy one into
# tests/fixtures/fuzz/ to replay it in `make test`). The suite runs 1,000 cases of the same harness.
FUZZ_CASES ?= 100000
FUZZ_SEED  ?= 1
FUZZ_JOBS  ?= 2
fuzz: setup
	$(BIN)/python tests/fuzz.py --cases $(FUZZ_CASES) --seed $(FUZZ_SEED) --jobs $(FUZZ_JOBS) --keep fuzz-failures

clean:
	rm -rf $(VENV) tests/.axe reports mutation .pytest_cache .hypothesis .ruff_cache fuzz-failures
