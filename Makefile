# Every target does real work; `make help` lists them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DATA ?= data
QUERY ?=
PORT ?= 8001
MIRROR_PORT ?= 8100
STAMP := $(VENV)/.installed
# axe-core, injected into each page by the accessibility test (tests/browser/test_accessibility.py).
AXE := build/axe/node_modules/axe-core/axe.min.js

.PHONY: help install crawl transform publish refresh serve demo demo-data test mutate eval eval-names check-live record-fixtures bench bench-extract check-datasette-latest test-browser clean-demo

help:
	@echo "make demo        build the demo dataset from the local mirror and serve it on http://127.0.0.1:$(PORT)/"
	@echo "make demo-data   the same without serving (non-zero exit if a step failed)"
	@echo "make test        install and run every test"
	@echo "make mutate      remove each named answer guard and roll-up rule in turn; a test must catch each (tests/mutations.toml)"
	@echo "make refresh     crawl the live sites, transform, publish into $(DATA)/ (crawl + transform + publish)"
	@echo "make crawl | transform | publish | serve   one step at a time (DATA=dir to choose the data directory)"
	@echo "make eval-names  precision and recall of name removal on the labelled signature blocks"
	@echo "make check-live  check the spiders' selectors against the live sites (needs network; not in CI)"
	@echo "make record-fixtures URLS=file  save real pages as parser fixtures with golden files to review (needs network)"
	@echo "make test-browser           the Playwright + Chromium browser test alone"
	@echo "make check-datasette-latest serve the site once on the newest Datasette release line, in a throwaway venv"
	@echo "make bench [QUICK=1]        speed, memory and scaling benchmarks (docs/benchmarks.md); QUICK=1 takes minutes"
	@echo "make bench-extract          text extraction benchmark"

install: $(STAMP) $(AXE)

$(AXE):
	@if command -v npm >/dev/null; then npm install --prefix build/axe --no-audit --no-fund --silent axe-core@4.14.1; \
	else echo "WARNING: npm is not installed, so the accessibility test is skipped (sudo apt-get install npm)"; fi

# Re-installs only when pyproject.toml changed, so a second `make install` takes no time.
$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@command -v tesseract >/dev/null || echo "WARNING: tesseract is not installed, so scanned PDFs and images cannot be read. Install it with: sudo apt-get install tesseract-ocr tesseract-ocr-eng"
	@touch $@

crawl: install
	$(PY) -m pipeline.refresh --data-dir $(DATA) $(if $(QUERY),--query "$(QUERY)") --steps crawl

transform: install
	$(PY) -m transform --data-dir $(DATA)

publish: install
	$(PY) -m publish build --data-dir $(DATA)

refresh: install
	$(PY) -m pipeline.refresh --data-dir $(DATA) $(if $(QUERY),--query "$(QUERY)")

serve: install
	$(PY) -m publish serve --data-dir $(DATA) --port $(PORT)

demo: install
	$(PY) -m pipeline.demo --serve --port $(PORT) --mirror-port $(MIRROR_PORT)

demo-data: install
	$(PY) -m pipeline.demo --mirror-port $(MIRROR_PORT)

# Accuracy of answer extraction on a folder of labelled responses (e.g. CORPUS=../shared/corpus/dev);
# PERTURB=all scores the same texts rewrapped, with CRLF, page breaks, hyphenation, other numbering
# and Welsh furniture (transform/perturb.py), and fails if a use field falls below 0.95.
eval: install
	@test -n "$(CORPUS)" || (echo "usage: make eval CORPUS=dir [JSON=path]"; exit 2)
	$(PY) -m transform.evaluate $(CORPUS) $(if $(JSON),--json $(JSON)) $(if $(PERTURB),--perturb $(PERTURB))

# Precision and recall of name removal on the labelled signature blocks (tests/fixtures/signatures).
eval-names: install
	$(PY) -m transform.personal_data_eval

# For a maintainer with network (never in CI): does each selector still find its field on the live sites?
# For a maintainer with network (never in CI): save real pages as parser fixtures with golden files to review.
record-fixtures: install
	@test -n "$(URLS)" || (echo "usage: make record-fixtures URLS=file (one real URL per line, optionally a name)"; exit 2)
	$(PY) -m scrapers.record_fixtures $(URLS)

check-live: install
	$(PY) -m scrapers.check_live
	$(PY) -m scrapers.check_logs

# Test files are spread over TEST_WORKERS processes (each file stays in one, so its fixtures are
# built once); TEST_WORKERS=0 runs everything in this process.
TEST_WORKERS ?= 2
test: install
	$(PY) -m pytest $(if $(filter-out 0,$(TEST_WORKERS)),-n $(TEST_WORKERS) --dist loadfile)

# Each guard of transform/answers/README.md and rule of docs/rollup.md, removed in turn on a scratch
# copy (tests/mutations.toml): some test must fail. A minute or two; not part of `make test`.
mutate: install
	$(PY) -m tests.mutate

# Benchmarks against baselines in one run (docs/benchmarks.md): crawl, refresh, transform,
# publish, site. QUICK=1 runs them all at small N; the full run's corpora are cached in data/bench/.
bench: install
	$(PY) -m bench $(if $(QUICK),--quick)

# Extraction benchmark on a generated corpus (docs/extraction.md); DOCS=n for another size.
bench-extract: install
	$(PY) -m bench.extract $(if $(DOCS),--docs $(DOCS))

check-datasette-latest: install
	$(PY) -m publish.check_latest

test-browser: install
	$(PY) -m pytest -m browser tests/browser

clean-demo:
	rm -rf data/demo
