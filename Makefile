# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LEDGER := example_ledger/main.beancount
HOST ?= 127.0.0.1
PORT ?= 5000
export BEANCOUNT_DISABLE_LOAD_CACHE := 1

.PHONY: demo test install check-example lint typecheck pytest package-check bench import-demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

check-example: install
	$(BIN)/bean-check -C $(LEDGER)

# `make demo PORT=5001 HOST=0.0.0.0` when port 5000 is taken (AirPlay on a Mac).
demo: check-example
	@echo "Clients page: http://$(HOST):$(PORT)/$$($(BIN)/python -m beancount_freelance.fava_extension.slug $(LEDGER))/extension/FreelanceClients/"
	$(BIN)/fava --host $(HOST) --port $(PORT) $(LEDGER)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

pytest: install
	$(BIN)/pytest -q -p no:cacheprovider

# The built sdist and wheel, checked; the wheel alone in a fresh virtualenv runs
# bean-check, bean-clients and the Clients page (.ci/package-check says how).
package-check: install
	bash .ci/package-check $(BIN)/python

test: lint typecheck package-check pytest

bench: install
	$(BIN)/python benchmarks/run.py

import-demo: install
	cd example_ledger && ../$(BIN)/python import.py extract downloads --existing main.beancount

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache build *.egg-info

# The catalogues of the package's words (docs/translations.md): extract the
# English, merge it into each language's .po, compile the .mo that ships.
LOCALES := beancount_freelance/locale
.PHONY: translations
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k tr -k trn:1,2 --no-location --sort-output \
	  --project=beancount-freelance -o $(LOCALES)/beancount_freelance.pot .
	$(BIN)/pybabel update -D beancount_freelance -i $(LOCALES)/beancount_freelance.pot \
	  -d $(LOCALES) --no-fuzzy-matching
	$(BIN)/pybabel compile -D beancount_freelance -d $(LOCALES) --statistics

# The README's pictures, taken by the browser tests in a real Chromium.
.PHONY: screenshots
screenshots: install
	SCREENSHOTS=docs/img $(BIN)/pytest -q -p no:cacheprovider tests/test_browser.py \
	  tests/test_browser_story.py tests/test_browser_page_glance.py
