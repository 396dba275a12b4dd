# All set-up goes through these targets; a fresh machine needs only python3 (>= 3.11) and make.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
OUT    ?= data/processed

.PHONY: help venv sysdeps testdeps demo run test lint corpus clean bench

help:
	@echo "make demo    set up, run cchc over data/raw into $(OUT), print the per-document summary"
	@echo "make test    set up, run the whole test suite"
	@echo "make corpus  rebuild the sample corpus in data/raw (needs LibreOffice; installed when root)"
	@echo "make lint    ruff"

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

# System packages for rendering the corpus (LibreOffice, fonts with Vietnamese glyphs, poppler).
# Installed only when we are root and apt-get exists; otherwise say what is missing.
SYS_PKGS := libreoffice-writer-nogui fonts-liberation2 poppler-utils
sysdeps:
	@if command -v soffice >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(SYS_PKGS); \
	else echo "note: install $(SYS_PKGS) to rebuild the corpus"; fi

demo: venv
	$(VENV)/bin/cchc run data/raw --out $(OUT) --manifest data/raw/manifest.csv

run: demo

test: venv testdeps
	$(PY) -m pytest

# The browser test of the HTML report needs Debian's chromium; installed when we are root with
# apt-get, otherwise that one test skips with a message saying so.
testdeps:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium \
		|| echo "note: chromium could not be installed; the report's browser test will skip"; \
	else echo "note: install chromium to run the report's browser test"; fi

lint: venv
	$(VENV)/bin/ruff check pipeline extractors normalizers tests scripts

corpus: venv sysdeps
	$(PY) scripts/build_corpus.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache

bench: venv  ## speed and memory at 1x, 4x, 16x the corpus, beside raw pdfplumber/camelot (bench/results.json)
	$(PY) bench/bench.py
