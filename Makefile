# Two commands do all the set-up on a fresh machine: `make serve` and `make test`.
# Each step is skipped when already done (stamps depend on the lock files).

VENV      := .venv
PY        := $(VENV)/bin/python
PY_STAMP  := $(VENV)/.installed
PTH_STAMP := $(VENV)/.project-on-path
NPM_STAMP := node_modules/.installed
WHEELS    := build/pyodide-wheels
export PIP_DISABLE_PIP_VERSION_CHECK := 1
export NO_MKDOCS_2_WARNING := 1

.PHONY: help setup build build-zensical serve test test-unit test-site test-pyodide test-browser \
        chromium nginx bench eval lock clean scorm

help:
	@echo "make serve   installe ce qui manque, construit et sert le cours sur http://127.0.0.1:8000"
	@echo "make test    installe ce qui manque (Chromium compris) et lance tous les tests"
	@echo "make build   construit le site dans site/"
	@echo "make build-zensical   le même site construit par Zensical (voir README, « Générateurs »)"
	@echo "make scorm   construit le paquet SCORM 1.2 pour une plateforme (build/scorm/<cours>.zip)"
	@echo "make bench   mesure les performances (bench/)"
	@echo "make eval    évalue le simulateur sur un corpus d'appels (eval/)"

# --- set-up -------------------------------------------------------------------------------
$(PY_STAMP): requirements.lock pyproject.toml
	@py=$$(scripts/find-python.sh) || exit 1; \
	if [ -x $(PY) ] && ! $(PY) -c 'import sys, pip; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	  echo "Le .venv existant est incomplet ou utilise un Python trop ancien : il est recréé."; rm -rf $(VENV); fi; \
	[ -x $(PY) ] || $$py -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "Impossible de créer l'environnement Python .venv : installez le module venv (par exemple « apt-get install python3-venv ») puis relancez la commande." >&2; exit 1; }
	$(PY) -m pip install --quiet -r requirements.lock
	@touch $@

# The project folder on the virtualenv's import path, so that a generator started from .venv/bin
# (mkdocs, zensical) can import the Markdown extension named in mkdocs.yml (site_build.*).
$(PTH_STAMP): $(PY_STAMP)
	$(PY) -c 'import pathlib, sysconfig; pathlib.Path(sysconfig.get_paths()["purelib"], "cours-recouvrement.pth").write_text(str(pathlib.Path.cwd()) + "\n")'
	@touch $@

$(NPM_STAMP): package.json package-lock.json
	@scripts/check-node.sh
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

setup: $(PY_STAMP) $(PTH_STAMP) $(NPM_STAMP)

chromium:
	@scripts/ensure-chromium.sh

# Debian's nginx and its Brotli module, for the deployment tests (tests/browser/test_nginx.py).
nginx:
	@scripts/ensure-nginx.sh

# Pure-Python wheels that tests/pyodide loads into Pyodide (from PyPI, once).
$(WHEELS)/.done: tests/pyodide/requirements.txt $(PY_STAMP)
	rm -rf $(WHEELS)
	$(PY) -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.14 \
	  --implementation py --platform any -d $(WHEELS) -r tests/pyodide/requirements.txt
	@touch $@

# --- site ---------------------------------------------------------------------------------
build: setup
	$(VENV)/bin/mkdocs build --strict

# The same course built by another generator: validate, build the pages, then the same finish
# steps that the MkDocs hooks run (python -m site_build finish works after any generator).
build-zensical: setup
	$(PY) -m site_build check
	$(VENV)/bin/zensical build --strict --clean
	$(PY) -m site_build finish site

# The course for an LMS (Moodle…): build/scorm/<course>.zip, see docs/auteurs-lms.md.
scorm: setup
	$(PY) -m site_build.scorm

serve: setup
	$(VENV)/bin/mkdocs serve --strict --dev-addr 127.0.0.1:8000

# --- tests --------------------------------------------------------------------------------
test: setup chromium nginx $(WHEELS)/.done
	$(MAKE) --no-print-directory test-unit test-site test-pyodide test-browser

test-unit: setup
	$(PY) -m pytest tests/unit

test-site: setup
	$(PY) -m pytest tests/site

test-pyodide: setup $(WHEELS)/.done
	$(PY) -m site_build.wheel build/wheel > build/wheel.path
	$(PY) -m site_build.bytecode "$$(cat build/wheel.path)" > /dev/null
	$(PY) -c 'from simulator.library import export; export("exercises/objections", "build/objections.json")'
	$(PY) -m site_build.stdlib build/python_stdlib.zip > /dev/null
	SITE_STDLIB=build/python_stdlib.zip node tests/pyodide/run_pytest.mjs "$$(cat build/wheel.path)" $(WHEELS)

test-browser: setup chromium nginx
	$(PY) -m pytest tests/browser

bench: setup chromium nginx
	$(PY) bench/run.py

# The simulator against a corpus of whole calls (eval/README.md): figures, not a test.
eval: setup
	$(PY) eval/run.py

# Re-freeze Python dependencies after changing the pins in pyproject.toml.
lock:
	rm -rf build/lock-venv
	$$(scripts/find-python.sh) -m venv build/lock-venv
	build/lock-venv/bin/pip install --quiet '.[site,test]'
	{ echo "# Frozen Python dependencies (all transitive pins) for the site, the build and the tests."; \
	  echo "# Regenerate with: make lock   (after changing the pins in pyproject.toml)"; \
	  build/lock-venv/bin/pip freeze | grep -v -E '^(-e|simulator)'; } > requirements.lock

clean:
	rm -rf site build .cache
