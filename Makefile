# Two commands do all the set-up: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Exact versions with their sha256, generated from pyproject.toml by `make lock` (uv pip compile).
LOCK := requirements.lock
# uv installs the lock (several times faster than pip: parallel downloads from PyPI); the bootstrap
# takes the version the lock pins, then `uv pip sync` checks it against the lock's hashes.
UV_VERSION = $(shell sed -n 's/^uv==\([^ ]*\).*/\1/p' $(LOCK) 2>/dev/null)
UV := $(BIN)/uv
# Left out of the lock on purpose: rfc3987-syntax (and lark, which only it needs) come with
# jupyterlab (jupyter-events asks for jsonschema[format-nongpl]). When installed, jsonschema
# imports it, and its import builds some twenty Lark grammars: seconds added to every
# `import papermill` (nbformat -> jsonschema), paid by every run and every --jobs worker. It only
# checks the "iri" formats, which no schema in this stack uses (see benchmarks/README.md).
NOT_LOCKED := --no-emit-package rfc3987-syntax --no-emit-package lark

.PHONY: demo test bench lock clean system-packages bytecode lab messages

$(UV):
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet $(if $(UV_VERSION),uv==$(UV_VERSION),uv)

$(STAMP): $(LOCK) pyproject.toml | $(UV)
	$(UV) pip sync --quiet --python $(BIN)/python --require-hashes --compile-bytecode $(LOCK)
	$(UV) pip install --quiet --python $(BIN)/python --no-deps --no-build-isolation -e .
	$(BIN)/python src/audit/lockinfo.py $(LOCK)
	touch $(STAMP)

# Regenerate the lock from pyproject.toml (needs PyPI). Versions already pinned are kept where
# they still satisfy pyproject.toml; `make lock UPGRADE=--upgrade` moves everything to the newest.
lock: | $(UV)
	echo 'setuptools>=68' | $(UV) pip compile pyproject.toml - --extra dev --extra lab \
	  --python-version 3.11 --generate-hashes $(NOT_LOCKED) $(UPGRADE) \
	  --custom-compile-command 'make lock' --quiet -o $(LOCK)

# Debian packages: poppler-utils (pdftotext for the tests), fonts-noto-cjk (Chinese text),
# libharfbuzz-subset0 (WeasyPrint's fast font subsetting).
# Installs what is missing when running as root; otherwise says what to install and goes on
# (tests that need poppler skip with a reason; without a CJK font Chinese text shows as boxes).
system-packages:
	@missing=""; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	fc-list :lang=zh 2>/dev/null | grep -q . || missing="$$missing fonts-noto-cjk"; \
	/sbin/ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset || missing="$$missing libharfbuzz-subset0"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing$$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null) \
	      || echo "warning: could not install$$missing; continuing without"; \
	  else \
	    echo "note: missing system packages:$$missing (sudo apt-get install$$missing)"; \
	  fi; \
	fi

# The project's own bytecode: the venv's packages are compiled when installed, but where
# PYTHONDONTWRITEBYTECODE is set Python never writes src/'s, and every process (the run, its
# notebook kernel, each --jobs worker) compiles the package again. Up to date, this costs a stat per file.
bytecode: $(STAMP)
	$(BIN)/python -m compileall -q src >/dev/null

# jieba's prefix dictionary, built once from its dict.txt (1.5 s of CPU) and stored in the venv: each
# run's themes read it back in 0.4 s (see audit/kpi/segment.py). Rebuilt whenever the venv is.
JIEBA := $(VENV)/csat-audit-jieba.marshal
$(JIEBA): $(STAMP)
	$(BIN)/python -c "from audit.kpi.segment import write_jieba_dictionary as w; w()"

demo: $(STAMP) $(JIEBA) system-packages bytecode
	$(BIN)/csat-audit demo

# One pytest worker per core (pytest-xdist); the tests of one file stay on one worker, so that
# a module's fixture (a whole demo run) is computed once.
test: $(STAMP) $(JIEBA) system-packages bytecode
	$(BIN)/python -m pytest -q -n auto --dist loadfile
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/python -m mypy

# Extract every message (_, ngettext, N_) from src/audit and templates/ and merge it into the
# Chinese catalogue: new messages arrive untranslated, messages no code uses any more are dropped.
# Translate the empty msgstr entries, then `pytest tests/test_messages.py` (see docs/translating.md).
CATALOGUE := src/audit/locale/zh_CN/LC_MESSAGES/csat_audit.po
messages: $(STAMP)
	mkdir -p build
	$(BIN)/pybabel -q extract -F pyproject.toml -k N_ -k ngettext:1,2 -k count_of:2,3 --add-location=file --sort-output \
	  --no-wrap --project=csat-audit -c TRANSLATORS: -o build/csat_audit.pot .
	test -f $(CATALOGUE) || $(BIN)/pybabel -q init -i build/csat_audit.pot -d src/audit/locale -D csat_audit -l zh_CN --no-wrap
	$(BIN)/pybabel -q update -i build/csat_audit.pot -d src/audit/locale -D csat_audit -l zh_CN \
	  --ignore-obsolete --no-wrap
	@$(BIN)/python -c "from babel.messages.pofile import read_po; c = read_po(open('$(CATALOGUE)', 'rb')); \
	  todo = [m for m in c if m.id and (m.fuzzy or not all(m.string if isinstance(m.string, tuple) else [m.string]))]; \
	  print(f'{len(c) - 1} messages, {len(todo)} to translate in $(CATALOGUE)')"

# JupyterLab on the audits folder, from the project's venv: open an audit's working paper
# (audits/<site>/<period>/audit.ipynb) and drill into its evidence. Installs JupyterLab (the lab
# extra, pinned in the lock) when it is missing; as root (a container) it passes --allow-root.
# The working papers under LAB_DIR are marked trusted first (jupyter trust: a signature in your
# Jupyter data folder, the files are not changed), so that their tables run their JavaScript.
# More options: make lab LAB_ARGS="--no-browser --port 8899"
LAB_DIR ?= audits
lab: $(STAMP)
	@$(BIN)/python -c "import jupyterlab" 2>/dev/null || \
	  $(UV) pip install --quiet --python $(BIN)/python --require-hashes -r $(LOCK)
	@mkdir -p $(LAB_DIR)
	@find $(LAB_DIR) -name 'audit*.ipynb' -not -path '*/.audit.*' -exec $(BIN)/jupyter trust {} + >/dev/null 2>&1 || true
	$(BIN)/jupyter lab --ServerApp.root_dir=$(LAB_DIR) $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) audits/demo build .pytest_cache .mypy_cache .hypothesis benchmarks/out
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
