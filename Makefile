# All set-up goes through these targets; a fresh machine needs only python3 (>= 3.11) and make.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
OUT    ?= data/processed

.PHONY: help venv sysdeps apt-install testdeps demo run test lint corpus clean bench notebook

help:
	@echo "make demo    set up, run cchc over data/raw into $(OUT), print the per-document summary"
	@echo "make test    set up, run the whole test suite"
	@echo "make corpus  rebuild the sample corpus in data/raw (needs LibreOffice; installed when root)"
	@echo "make notebook  open the comparison notebook on $(OUT) in Jupyter (run make demo first)"
	@echo "make lint    ruff"

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	@# setuptools warns on every editable install that a folder named like a package may shadow it (ours are
	@# the packages themselves); silence that one warning, not the others
	PYTHONWARNINGS="ignore:Editable installation" $(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

# Jupyter is not needed to run cchc or its tests; this installs it on first use and opens the notebook.
notebook: venv
	@$(VENV)/bin/jupyter-notebook --version >/dev/null 2>&1 || PYTHONWARNINGS="ignore:Editable installation" \
		$(PY) -m pip install --quiet -e '.[notebook]'
	@test -d $(OUT)/target_comparison || $(MAKE) --no-print-directory demo
	CCHC_OUT=$(abspath $(OUT)) $(VENV)/bin/jupyter notebook notebooks/compare_provinces.ipynb

# System packages: LibreOffice and fonts with Vietnamese glyphs (render the corpus, read .doc files),
# poppler, Tesseract with its Vietnamese model (OCR of scanned PDFs). Installed only when we are
# root and apt-get exists; otherwise say what is missing (cchc then reports those files as issues).
SYS_PKGS := libreoffice-writer-nogui fonts-liberation2 poppler-utils tesseract-ocr tesseract-ocr-vie
sysdeps:
	@$(MAKE) --no-print-directory apt-install PKGS="$(SYS_PKGS)"

# Installs the packages of PKGS whose command or model file is not on the machine yet.
apt-install:
	@missing=""; for p in $(PKGS); do \
		case $$p in \
			libreoffice-writer-nogui) command -v soffice >/dev/null 2>&1 || missing="$$missing $$p";; \
			tesseract-ocr) command -v tesseract >/dev/null 2>&1 || missing="$$missing $$p";; \
			tesseract-ocr-vie) ls /usr/share/tesseract-ocr/*/tessdata/vie.traineddata >/dev/null 2>&1 \
				|| missing="$$missing $$p";; \
			chromium) command -v chromium >/dev/null 2>&1 || missing="$$missing $$p";; \
			*) dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p";; \
		esac; done; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing \
		|| echo "note: could not install$$missing; the tests that need them skip"; \
	else echo "note: install$$missing (Debian packages); the tests that need them skip"; fi

demo: venv sysdeps
	$(VENV)/bin/cchc run data/raw --out $(OUT) --manifest data/raw/manifest.csv

run: demo

test: venv testdeps
	$(PY) -m pytest

# The tests need chromium (the report's browser test), Tesseract + vie (the scanned sample),
# LibreOffice (the .doc sample) and its Calc (the workbook rendered as PDF pages); a test whose
# package is missing skips and says which.
testdeps:
	@$(MAKE) --no-print-directory apt-install PKGS="chromium libreoffice-calc-nogui $(SYS_PKGS)"

lint: venv
	$(VENV)/bin/ruff check pipeline extractors normalizers tests scripts

corpus: venv sysdeps
	$(PY) scripts/build_corpus.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache

bench: venv  ## speed and memory at 1x, 4x, 16x the corpus, beside raw pdfplumber/camelot (bench/results.json)
	$(PY) bench/bench.py
