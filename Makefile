# Two commands do all the set-up: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench clean system-packages messages

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

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

demo: $(STAMP) system-packages
	$(BIN)/csat-audit demo

test: $(STAMP) system-packages
	$(BIN)/python -m pytest -q
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/python -m mypy

# Extract every message (_, ngettext, N_) from src/audit and templates/ and merge it into the
# Chinese catalogue: new messages arrive untranslated, messages no code uses any more are dropped.
# Translate the empty msgstr entries, then `pytest tests/test_messages.py` (see docs/translating.md).
CATALOGUE := src/audit/locale/zh_CN/LC_MESSAGES/csat_audit.po
messages: $(STAMP)
	mkdir -p build
	$(BIN)/pybabel -q extract -F pyproject.toml -k N_ -k ngettext:1,2 --add-location=file --sort-output \
	  --no-wrap --project=csat-audit -c TRANSLATORS: -o build/csat_audit.pot .
	test -f $(CATALOGUE) || $(BIN)/pybabel -q init -i build/csat_audit.pot -d src/audit/locale -D csat_audit -l zh_CN --no-wrap
	$(BIN)/pybabel -q update -i build/csat_audit.pot -d src/audit/locale -D csat_audit -l zh_CN \
	  --ignore-obsolete --no-wrap
	@$(BIN)/python -c "from babel.messages.pofile import read_po; c = read_po(open('$(CATALOGUE)', 'rb')); \
	  todo = [m for m in c if m.id and (m.fuzzy or not all(m.string if isinstance(m.string, tuple) else [m.string]))]; \
	  print(f'{len(c) - 1} messages, {len(todo)} to translate in $(CATALOGUE)')"

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) audits/demo build .pytest_cache .mypy_cache .hypothesis benchmarks/out
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
