# The four commands of DESIGN §4.  `make site` works on a fresh machine with Python 3.11.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
export PYTHONUTF8 := 1

.PHONY: site serve check test lint chromium postgres nginx clean bench audit

site: $(VENV)/.site-deps
	$(BIN)/python -m generator build

serve: $(VENV)/.site-deps
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

check: $(VENV)/.site-deps
	$(BIN)/python -m generator check

test: lint chromium postgres nginx
	$(BIN)/python -m pytest

# The developers' counterpart of `make check`: ruff's formatter and linter (settings and reasons in
# pyproject.toml).  `make test` runs it first; `$(BIN)/ruff format .` fixes the layout.
lint: $(VENV)/.test-deps
	$(BIN)/ruff format --check --quiet .
	$(BIN)/ruff check --quiet .

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.site-deps: requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(VENV)/.test-deps: requirements-test.txt $(VENV)/.site-deps
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@

# Browser tests drive Debian's Chromium (Playwright cannot download browsers here);
# fonts-noto-cjk makes Chinese readable in screenshots.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-cjk; \
	fi

# The results service's tests (tests/results/) start a throwaway PostgreSQL server of their own from
# Debian's package: initdb into a temporary folder, as the postgres user when run as root.
postgres:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql; \
	fi

# tests/browser/test_results.py serves a site with README's nginx configuration (the binary only:
# the test runs its own nginx with its own configuration file and stops it).
nginx:
	@if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nginx-light || \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nginx; \
	fi

clean:
	rm -rf site .site-build-* .site-old-* .site.lock

# Build cost at scale: generator on vs off on a synthetic 100-module site, and validation time.
bench: $(VENV)/.site-deps
	$(BIN)/python benchmarks/bench.py

# The results service under load (issue 14): 20,000 attempts from 200 senders, to SQLite (one process)
# and to PostgreSQL (two processes), then the stored records checked; a few minutes, so not part of
# `make bench`; the table in build/bench/results-load.md.
bench-results: $(VENV)/.test-deps postgres
	$(BIN)/python benchmarks/results_load.py

# Page audit (DESIGN §9): Lighthouse (npm, into .cache/audit on first use), a crawl of every
# page, the mkdocs-quiz and plain-Material peers; report in build/audit/, non-zero on a miss.
audit: $(VENV)/.test-deps chromium
	$(BIN)/python -m audit
