# jaxguide: `make html` builds the site, `make test` checks everything, `make check` is
# the fast loop while writing. Each creates .venv from requirements.lock on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BUILD := _build
# -n: nitpicky; -W --keep-going: report every warning, then fail.
SPHINXOPTS ?= -W --keep-going -n
# Editions to build (empty: all of them; the table is docs/_ext/jaxguide_build/editions.py).
LANGUAGES ?=
PORT ?= 8000
# The build machinery, docs/_ext/jaxguide_build, runs from this tree.
PY := PYTHONPATH=$(CURDIR)/docs/_ext$${PYTHONPATH:+:$$PYTHONPATH} $(BIN)/python
RUN := $(PY) -m

.DEFAULT_GOAL := help

.PHONY: _site help install prerequisites html site preview serve serve-site run check test \
  lint clean lock rtd-html rtd-htmlzip rtd-epub rtd-pdf gettext anchors notebooks bench-build \
  bench-pages bench-search epub pdf _epub _pdf

help:
	@echo "make html     build the site (every edition) into $(BUILD)/html, executing every page"
	@echo "make check    lint, types, unit tests and doctests, no site build (about a minute)"
	@echo "make test     everything: make check, both editions built, site and browser tests"
	@echo "make epub     one EPUB per edition: $(BUILD)/epub/<edition>/jaxguide.epub"
	@echo "make pdf      one PDF per edition: $(BUILD)/pdf/<edition>/jaxguide.pdf (Chromium)"
	@echo "make run PAGE=docs/<page>.md   execute one page as the build would, print its outputs"
	@echo "make preview  fast build that executes nothing, into $(BUILD)/preview"
	@echo "make serve    live preview on http://127.0.0.1:$(PORT)"
	@echo "make serve-site  serve the built $(BUILD)/html as a CDN would (gzip, 404 page)"
	@echo "make gettext  update the translation catalogs in docs/locales after an English edit"
	@echo "make anchors  record new page and section labels in tests/anchors.txt"
	@echo "make notebooks  write docs/_notebooks, the pages as notebooks for Colab (commit them)"
	@echo "make lock     re-resolve requirements.lock (with hashes) from pyproject.toml"
	@echo "make bench-build  time cold, no-change and incremental builds against force mode"
	@echo "make bench-pages  Lighthouse scores of every page of every edition (BENCHFLAGS=--runs 1)"
	@echo "make bench-search  search quality per edition: first place, top 3, mean reciprocal rank"
	@echo "make clean    remove builds and caches (keeps .venv)"

# The environment: exact versions and their hashes from the lock, no resolver at install
# time. --require-hashes refuses a tampered or substituted file; --no-deps plus
# `pip check` makes a dependency missing from the lock fail here, with pip's message.
# pip installs uv alone, from uv's own entry of the lock; uv then installs the rest
# (about 15 s from an empty cache here, where pip takes about 4 minutes).
# --compile-bytecode: uv, unlike pip, leaves modules uncompiled, and where
# PYTHONDONTWRITEBYTECODE is set (as on this machine) Python never writes the
# bytecode either: every process compiled JAX, Sphinx and Jupyter from source again
# (importing them took 5.0 s instead of 1.5 s). Compiling at install adds about 20 s.
UV := $(BIN)/uv pip
$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("jaxguide needs Python >= 3.11, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	PYTHONPATH=docs/_ext $(BIN)/python -m jaxguide_build.lockfile entry uv > $(VENV)/uv-requirement.txt
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(VENV)/uv-requirement.txt
	$(UV) install --python $(BIN)/python --quiet --compile-bytecode --require-hashes --no-deps -r requirements.lock
	$(UV) install --python $(BIN)/python --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
	touch $@

install: $(STAMP)

# Debian packages the tests need (Chromium, a CJK font, flock): installed when this user
# can (root, or sudo without a password), else one line says what to run.
prerequisites:
	@$(PYTHON) docs/_ext/jaxguide_build/prerequisites.py --install

html: $(STAMP)
	$(MAKE) --no-print-directory site

# The build itself, without the install step (the test suite calls this too).
# One build at a time per tree: a second one waits for the lock, and says so.
LOCK := $(BUILD)/.build.lock
define locked
	@mkdir -p $(BUILD)
	@flock -n $(LOCK) true || echo "jaxguide: another build is running in this tree; waiting for it ($(LOCK))"
	@flock $(LOCK) $(MAKE) --no-print-directory $(1)
endef

site:
	$(call locked,_site)

# PREEXECUTE=0 leaves execution to Sphinx (for comparisons, see benchmarks/build.py).
# An edition whose inputs have not changed since it last built is skipped; REBUILD=1
# runs Sphinx anyway.
PREEXECUTE ?= 1
REBUILD ?= 0
_site:
	@$(RUN) jaxguide_build.site $(foreach l,$(LANGUAGES),--language $(l)) \
	  $(if $(filter 0,$(PREEXECUTE)),--no-preexecute) $(if $(filter 1,$(REBUILD)),--rebuild) \
	  --sphinxopts "$(SPHINXOPTS)"

# The offline formats (docs/_ext/jaxguide_build/formats.py): the pages' outputs come from
# the execution cache, so after `make html` nothing is executed again.
epub pdf: $(STAMP)
	$(call locked,_$@)

_epub _pdf:
	@$(RUN) jaxguide_build.formats $(@:_%=%) $(foreach l,$(LANGUAGES),--language $(l)) \
	  --sphinxopts "$(SPHINXOPTS)"

# Update the translation catalogs after an English edit. Existing translations are
# kept: a changed message turns fuzzy with its old translation, a removed one obsolete.
gettext: $(STAMP)
	$(call locked,_gettext)

_gettext:
	@$(RUN) jaxguide_build.catalogs update

# After adding a page or a labelled section: record it in the anchor contract.
anchors: $(STAMP)
	$(RUN) jaxguide_build.anchors > tests/anchors.txt

# After editing a page, a translation or the lock: the notebooks that "Open in Colab" opens.
notebooks: $(STAMP)
	$(RUN) jaxguide_build.notebooks

run: $(STAMP)
	@test -n "$(PAGE)" || { echo "usage: make run PAGE=docs/<page>.md"; exit 2; }
	$(RUN) jaxguide_build.runpage $(PAGE)

preview: $(STAMP)
	$(BIN)/sphinx-build -b html -c . -d $(BUILD)/doctrees/preview -D nb_execution_mode=off \
	  docs $(BUILD)/preview
	@echo "preview (nothing executed): $(BUILD)/preview/index.html"

serve: $(STAMP)
	$(BIN)/sphinx-autobuild -c . -d $(BUILD)/doctrees/serve --host 127.0.0.1 --port $(PORT) \
	  --watch src/jaxguide --ignore '*/.ipynb_checkpoints/*' docs $(BUILD)/serve

serve-site: $(STAMP)
	$(RUN) jaxguide_build.serve --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Test files run side by side, one worker per core (pytest-xdist); a file's tests stay
# together, so its fixtures (a browser, a server) start once.
JOBS ?= $(shell nproc)
PYTEST := $(BIN)/pytest -n $(JOBS) --dist loadfile

# The inner loop: lint, types, unit tests and doctests; no site build (under a minute).
check: lint
	$(PYTEST) -q -m "not build"

# Everything. The site is built first, alone, so that its pages' timings are measured on
# an otherwise idle machine; the tests then find it built.
test: prerequisites $(STAMP) lint
	$(MAKE) --no-print-directory site
	$(PYTEST) --cov=jaxguide --cov-branch --cov-report=term-missing:skip-covered \
	  --cov-fail-under=95 --durations=15

lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --all-extras --python-version 3.11 \
	  --python-platform x86_64-manylinux_2_28 --generate-hashes --upgrade -o requirements.lock

# How the build's cost follows what changed, against JAX's force mode (several minutes).
bench-build: $(STAMP)
	$(PY) benchmarks/build.py $(BENCHFLAGS)

# Lighthouse 12.2.3 (benchmarks/package.json, installed on first use) on every page of
# every edition served with gzip on loopback, next to a stock sphinx-book-theme page;
# needs node, npm and Chromium. Median of 3 runs per page: about 40 minutes.
bench-pages: $(STAMP)
	$(MAKE) --no-print-directory site
	$(PY) benchmarks/lighthouse.py $(BENCHFLAGS)

# Every query of benchmarks/search_queries.json typed into its edition's search page.
bench-search: $(STAMP)
	$(MAKE) --no-print-directory site
	$(PY) benchmarks/search.py $(BENCHFLAGS)

# Read the Docs builds one edition per project; its language code picks it.
RTD_LANGUAGE ?= en
OUT ?= $(BUILD)/rtd
rtd-html:
	$(MAKE) --no-print-directory site LANGUAGES="$(RTD_LANGUAGE)"
	$(RUN) jaxguide_build.site --language "$(RTD_LANGUAGE)" --copy-to "$(OUT)/html"

rtd-htmlzip:
	test -f "$(BUILD)/html/index.html" || $(MAKE) --no-print-directory site LANGUAGES="$(RTD_LANGUAGE)"
	$(RUN) jaxguide_build.site --language "$(RTD_LANGUAGE)" --zip-to "$(OUT)/htmlzip/jaxguide.zip"

# One file per format in $(OUT)/<format>/, named after the project (RTD_NAME). Read the
# Docs' Ubuntu image has no Debian Chromium: there Playwright downloads its own.
RTD_NAME ?= jaxguide
rtd-epub:
	$(call locked,_epub LANGUAGES="$(RTD_LANGUAGE)")
	$(RUN) jaxguide_build.formats epub --language "$(RTD_LANGUAGE)" \
	  --copy-to "$(OUT)/epub/$(RTD_NAME).epub"

rtd-pdf:
	test -x /usr/bin/chromium || $(RUN) playwright install --only-shell chromium
	$(call locked,_pdf LANGUAGES="$(RTD_LANGUAGE)")
	$(RUN) jaxguide_build.formats pdf --language "$(RTD_LANGUAGE)" \
	  --copy-to "$(OUT)/pdf/$(RTD_NAME).pdf"

clean:
	rm -rf $(BUILD) .pytest_cache .mypy_cache .ruff_cache .coverage
