# Two commands do all the set-up on a fresh machine: `make serve` and `make test`.
# Each step is skipped when already done (stamps depend on the lock files).

VENV      := .venv
PY        := $(VENV)/bin/python
PY_STAMP  := $(VENV)/.installed
# site_build/ is imported by name from mkdocs.yml (Markdown extensions): a .pth file puts the
# project's folder on the venv's sys.path, whatever command runs the generator.
PTH_STAMP := $(VENV)/.projet-importable
NPM_STAMP := node_modules/.installed
WHEELS    := build/pyodide-wheels
export PIP_DISABLE_PIP_VERSION_CHECK := 1
export NO_MKDOCS_2_WARNING := 1

.PHONY: help setup build serve test test-unit test-site test-pyodide test-browser \
        chromium bench lock clean

help:
	@echo "make serve   installe ce qui manque, construit et sert le cours sur http://127.0.0.1:8000"
	@echo "make test    installe ce qui manque (Chromium compris) et lance tous les tests"
	@echo "make build   construit le site dans site/"
	@echo "make bench   mesure les performances (bench/)"

# --- set-up -------------------------------------------------------------------------------
$(PY_STAMP): requirements.lock pyproject.toml
	@py=$$(scripts/find-python.sh) || exit 1; \
	if [ -x $(PY) ] && ! $(PY) -c 'import sys, pip; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	  echo "Le .venv existant est incomplet ou utilise un Python trop ancien : il est recréé."; rm -rf $(VENV); fi; \
	[ -x $(PY) ] || $$py -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "Impossible de créer l'environnement Python .venv : installez le module venv (par exemple « apt-get install python3-venv ») puis relancez la commande." >&2; exit 1; }
	$(PY) -m pip install --quiet -r requirements.lock
	@touch $@

$(NPM_STAMP): package.json package-lock.json
	@scripts/check-node.sh
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(PTH_STAMP): $(PY_STAMP)
	$(PY) -c 'import pathlib, sysconfig; pathlib.Path(sysconfig.get_paths()["purelib"], "cours-recouvrement.pth").write_text(str(pathlib.Path.cwd()) + "\n")'
	@touch $@

setup: $(PY_STAMP) $(PTH_STAMP) $(NPM_STAMP)

chromium:
	@scripts/ensure-chromium.sh

# Pure-Python wheels that tests/pyodide loads into Pyodide (from PyPI, once).
$(WHEELS)/.done: tests/pyodide/requirements.txt $(PY_STAMP)
	rm -rf $(WHEELS)
	$(PY) -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.14 \
	  --implementation py --platform any -d $(WHEELS) -r tests/pyodide/requirements.txt
	@touch $@

# --- site ---------------------------------------------------------------------------------
build: setup
	$(VENV)/bin/mkdocs build --strict

serve: setup
	$(VENV)/bin/mkdocs serve --strict --dev-addr 127.0.0.1:8000

# --- tests --------------------------------------------------------------------------------
test: setup chromium $(WHEELS)/.done
	$(MAKE) --no-print-directory test-unit test-site test-pyodide test-browser

test-unit: setup
	$(PY) -m pytest tests/unit

test-site: setup
	$(PY) -m pytest tests/site

test-pyodide: setup $(WHEELS)/.done
	$(PY) -m site_build.wheel build/wheel > build/wheel.path
	$(PY) -m site_build.bytecode "$$(cat build/wheel.path)" > /dev/null
	node tests/pyodide/run_pytest.mjs "$$(cat build/wheel.path)" $(WHEELS)

test-browser: setup chromium
	$(PY) -m pytest tests/browser

bench: setup chromium
	$(PY) bench/run.py

# Re-freeze Python dependencies after changing the pins in pyproject.toml.
lock:
	rm -rf build/lock-venv
	$$(scripts/find-python.sh) -m venv build/lock-venv
	build/lock-venv/bin/pip install --quiet '.[site,test]'
	{ echo "# Frozen Python dependencies (all transitive pins) for the site, the build and the tests."; \
	  echo "# Regenerate with: make lock   (after changing the pins in pyproject.toml)"; \
	  build/lock-venv/bin/pip freeze | grep -v -E '^(-e|simulator)'; } > requirements.lock

clean:
	rm -rf site build
