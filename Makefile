# budgetlens — the commands the README names. Everything runs in .venv/ at the repo root.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
RAW    ?= data/raw
PROCESSED ?= data/processed
REPORTS ?= reports
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
LOCK   := requirements.lock
UV     := $(VENV)/.lock-tools/bin/uv
UV_VERSION := 0.13.9

.PHONY: report test bench lab install fonts clean lint corpus-cn lock

## install: the virtual environment with budgetlens and exactly the locked dependencies (requirements.lock)
install: $(STAMP)

$(STAMP): pyproject.toml $(LOCK)
	@$(PYTHON) -m venv --help >/dev/null 2>&1 && $(PYTHON) -c "import ensurepip" >/dev/null 2>&1 || { \
	  echo "python3-venv is missing; installing it with apt-get"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3-venv python3-pip >/dev/null; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps -e .
	$(PY) -m ipykernel install --sys-prefix --name budgetlens --display-name "budgetlens (Python 3)" >/dev/null
	@touch $(STAMP)

## lock: regenerate requirements.lock (exact versions + hashes of the runtime and dev dependencies,
## Python 3.11 on linux x86_64) from pyproject.toml with uv, and environment.yml from it. Versions
## already locked are kept; `make lock UPGRADE=1` moves everything to the newest allowed versions.
lock:
	@test -x $(UV) || { $(PYTHON) -m venv $(VENV)/.lock-tools && $(VENV)/.lock-tools/bin/pip install --quiet uv==$(UV_VERSION); }
	$(UV) pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 \
	  --python-platform x86_64-manylinux_2_28 \
	  --custom-compile-command "make lock" $(if $(UPGRADE),--upgrade) --quiet -o $(LOCK)
	$(PYTHON) tools/sync_environment.py $(LOCK) environment.yml

## fonts: a CJK font for the charts and the rendered pages (Debian's fonts-wqy-microhei)
fonts:
	@if command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh | grep -q .; then :; \
	elif command -v apt-get >/dev/null 2>&1; then \
	  echo "installing a CJK font (fonts-wqy-microhei)"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq fonts-wqy-microhei fontconfig >/dev/null; \
	else echo "warning: no CJK font found and no apt-get; charts will lack Chinese glyphs" >&2; fi

## report: extract every report in data/raw, then the notebooks and the HTML reports (incremental)
report: install fonts
	$(VENV)/bin/budgetlens batch $(RAW) --processed $(PROCESSED) --reports $(REPORTS)
	@echo "open $(REPORTS)/index.html"

## test: the whole test suite (unit tests, corpus tests, nbval over the notebooks)
test: install fonts
	$(VENV)/bin/pytest -q

## bench: speed and accuracy benchmarks → reports/bench/latest.json
bench: install fonts
	$(PY) benchmarks/run.py

## corpus-cn: every document of ../shared/corpus-cn against the hand-read figures and verified errors
corpus-cn: install fonts
	BUDGETLENS_CORPUS_CN=all $(VENV)/bin/pytest -q tests/test_corpus_cn.py tests/test_checklist.py

## lab: JupyterLab on the notebooks with the project's environment
lab: install fonts
	$(VENV)/bin/jupyter lab notebooks/

lint: install
	$(VENV)/bin/ruff check lib tests benchmarks

clean:
	rm -rf $(PROCESSED)/* $(REPORTS)/units $(REPORTS)/runs $(REPORTS)/documents $(REPORTS)/*.html \
	  $(REPORTS)/run_manifest.json $(REPORTS)/.batch-logs $(REPORTS)/dataset .pytest_cache
