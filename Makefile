# jaxguide: `make html` builds the site, `make test` checks everything.
# Both create .venv from requirements.lock on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BUILD := _build
SPHINXBUILD := $(BIN)/sphinx-build
# -n: nitpicky; -W --keep-going: report every warning, then fail.
SPHINXOPTS ?= -W --keep-going -n
LANGUAGES := en zh-cn
PORT ?= 8000

.DEFAULT_GOAL := help

.PHONY: _site _gettext
.PHONY: help install html site preview serve test lint clean lock rtd-html rtd-htmlzip gettext anchors bench-build bench-pages

help:
	@echo "make html     build the site (both editions) into $(BUILD)/html, executing every page"
	@echo "make test     lint, type-check, build and test everything"
	@echo "make preview  fast build that executes nothing, into $(BUILD)/preview"
	@echo "make serve    live preview on http://127.0.0.1:$(PORT)"
	@echo "make gettext  update the Chinese catalogs in docs/locales after an English edit"
	@echo "make anchors  record new page and section labels in tests/anchors.txt"
	@echo "make lock     re-resolve requirements.lock from pyproject.toml"
	@echo "make bench-build  time cold, no-change and incremental builds against force mode"
	@echo "make bench-pages  Lighthouse scores of every page, both editions (BENCHFLAGS=--runs 1)"
	@echo "make clean    remove builds and caches (keeps .venv)"

# The environment: exact versions from the lock, no resolver at install time.
# --no-deps plus `pip check` makes a dependency missing from the lock fail here,
# with pip's message, rather than half-way through a build.
$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("jaxguide needs Python >= 3.11, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
	touch $@

install: $(STAMP)

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
PREEXECUTE ?= 1
_site:
	@if [ "$(PREEXECUTE)" = 1 ]; then $(BIN)/python docs/_ext/preexecute.py docs; fi
	@for lang in $(LANGUAGES); do \
	  echo "== building the '$$lang' edition"; \
	  JAXGUIDE_LANGUAGE=$$lang $(SPHINXBUILD) -b html $(SPHINXOPTS) -c . \
	    -d $(BUILD)/doctrees/$$lang docs $(BUILD)/html/$$lang || exit 1; \
	done
	@printf '%s\n' '<!DOCTYPE html>' '<html lang="en"><head><meta charset="utf-8">' \
	  '<title>jaxguide</title><meta http-equiv="refresh" content="0; url=en/index.html">' \
	  '<meta name="description" content="jaxguide: an executed guide to JAX, in English and 简体中文.">' \
	  '<link rel="canonical" href="en/index.html"></head>' \
	  '<body><p><a href="en/index.html" hreflang="en">jaxguide (English)</a> ·' \
	  '<a href="zh-cn/index.html" hreflang="zh-CN" lang="zh-CN">jaxguide（简体中文）</a></p></body></html>' \
	  > $(BUILD)/html/index.html

# Update the translation catalogs after an English edit. Existing translations are
# kept: a changed message turns fuzzy with its old translation, a removed one obsolete.
gettext: $(STAMP)
	$(call locked,_gettext)

_gettext:
	$(BIN)/python docs/_ext/preexecute.py docs
	JAXGUIDE_LANGUAGE=en $(SPHINXBUILD) -b gettext $(SPHINXOPTS) -c . \
	  -d $(BUILD)/doctrees/gettext docs $(BUILD)/gettext
	$(BIN)/sphinx-intl update -p $(BUILD)/gettext -d docs/locales -l zh_CN -w 0
	$(BIN)/python docs/_ext/catalogs.py normalize
	$(BIN)/python docs/_ext/catalogs.py check $(BUILD)/gettext || \
	  echo "gettext: the catalogs above need translating before 'make test' passes"

# After adding a page or a labelled section: record it in the anchor contract.
anchors: $(STAMP)
	$(BIN)/python docs/_ext/anchors.py $(BUILD)/html/en > tests/anchors.txt

preview: $(STAMP)
	$(SPHINXBUILD) -b html -c . -d $(BUILD)/doctrees/preview -D nb_execution_mode=off \
	  docs $(BUILD)/preview
	@echo "preview (nothing executed): $(BUILD)/preview/index.html"

serve: $(STAMP)
	$(BIN)/sphinx-autobuild -c . -d $(BUILD)/doctrees/serve --host 127.0.0.1 --port $(PORT) \
	  --watch src/jaxguide --ignore '*/.ipynb_checkpoints/*' docs $(BUILD)/serve

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: $(STAMP) lint
	$(BIN)/pytest --cov=jaxguide --cov-branch --cov-report=term-missing:skip-covered \
	  --cov-fail-under=95

lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --all-extras --python-version 3.11 \
	  --python-platform x86_64-manylinux_2_28 --upgrade -o requirements.lock

# How the build's cost follows what changed, against JAX's force mode (several minutes).
bench-build: $(STAMP)
	$(BIN)/python benchmarks/build.py $(BENCHFLAGS)

# Lighthouse 12.2.3 (benchmarks/package.json, installed on first use) on every page of
# both editions served with gzip on loopback, next to a stock sphinx-book-theme page;
# needs node, npm and Chromium. Median of 3 runs per page: about 40 minutes.
bench-pages: $(STAMP)
	$(MAKE) --no-print-directory site
	$(BIN)/python benchmarks/lighthouse.py $(BENCHFLAGS)

# Read the Docs builds one edition per project; its language code picks it.
RTD_LANGUAGE ?= en
OUT ?= $(BUILD)/rtd
rtd-html:
	$(MAKE) --no-print-directory site LANGUAGES="$(RTD_LANGUAGE)"
	mkdir -p "$(OUT)/html"
	cp -r $(BUILD)/html/$(RTD_LANGUAGE)/. "$(OUT)/html/"

rtd-htmlzip:
	test -d "$(OUT)/html" || $(MAKE) --no-print-directory rtd-html
	mkdir -p "$(OUT)/htmlzip"
	cd "$(OUT)" && rm -f htmlzip/jaxguide.zip && cp -r html jaxguide && \
	  $(BIN)/python -m zipfile -c htmlzip/jaxguide.zip jaxguide && rm -r jaxguide

clean:
	rm -rf $(BUILD) .pytest_cache .mypy_cache .ruff_cache .coverage
