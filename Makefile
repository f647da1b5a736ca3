# The four commands of DESIGN §4.  `make site` works on a fresh machine with Python 3.11.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
export PYTHONUTF8 := 1

.PHONY: site serve check test lint chromium postgres nginx apache node-tools engines clean bench bench-pictures bench-results bench-dashboard audit vendor-echarts

site: $(VENV)/.site-deps
	$(BIN)/python -m generator build

serve: $(VENV)/.site-deps
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

check: $(VENV)/.site-deps
	$(BIN)/python -m generator check

test: lint chromium postgres nginx apache node-tools engines
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

# tests/browser/test_engines.py takes the core flows in WebKit (WebKitGTK's MiniBrowser, driven by
# WebKitWebDriver on a virtual screen: Xvfb) and Firefox ESR, all from Debian.
engines:
	@if [ ! -x /usr/bin/WebKitWebDriver ] || [ ! -x /usr/bin/Xvfb ] || [ ! -x /usr/bin/firefox-esr ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq webkit2gtk-driver xvfb firefox-esr; \
	fi

# The tests' Node tools, pinned in tests/js/package-lock.json (Node and npm from Debian): acorn, with
# which tests/unit/test_script_syntax.py parses the site's own scripts as ES2019 (DESIGN §13), and
# gift-pegjs, with which tests/unit/test_exports.py reads the GIFT export back.
node-tools: tests/js/node_modules/.installed

tests/js/node_modules/.installed: tests/js/package-lock.json
	@if ! command -v npm >/dev/null 2>&1; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nodejs npm; \
	fi
	cd tests/js && npm ci --silent --no-audit --no-fund
	touch $@

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

# tests/browser/test_apache.py serves a site with README's Apache lines (the binary and Debian's module
# files only: the test runs its own apache2 with its own configuration file and stops it).
apache:
	@if [ ! -x /usr/sbin/apache2 ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq apache2; \
	fi

clean:
	rm -rf site .site-build-* .site-old-* .site.lock

# Build cost and first-visit weight at scale (issue 18): synthetic sites of 12, 100 and 500 modules × 2 languages
# (sample-length modules, a 10-question quiz each) built with the generator, by hand and as plain Material; first
# visits of the home page and a quiz page in Chromium from the three kinds of host; `make serve`'s reload time at
# 100 modules; validation time.  About 20 minutes on a quiet machine (45 under other work); the table in
# build/bench/scale.md, non-zero when a budget is missed.  Shorter: BENCH_SIZES=12,100 BENCH_SERVE=0 BENCH_VARIANTS=0.
bench: $(VENV)/.test-deps chromium
	$(BIN)/python benchmarks/bench.py

# A module with ten 4000 x 3000 phone photos (issue 19): first-visit bytes on a phone from the three kinds of
# host, before pictures were made small (a git worktree of the last commit before) and after; a few minutes;
# the table in build/bench/pictures.md, non-zero when the first visit misses DESIGN §9's budget.
bench-pictures: $(VENV)/.test-deps chromium
	$(BIN)/python benchmarks/pictures.py

# The results service under load (issue 14): 20,000 attempts from 200 senders, to SQLite (one process)
# and to PostgreSQL (two processes), then the stored records checked; a few minutes, so not part of
# `make bench`; the table in build/bench/results-load.md.
bench-results: $(VENV)/.test-deps postgres
	$(BIN)/python benchmarks/results_load.py

# The staff dashboard at scale (issue 15): 200,000 made-up attempts stored into SQLite and into
# PostgreSQL, then the overview, a quiz report and the other staff pages timed over HTTP from
# `results serve`; about ten minutes; the table in build/bench/dashboard.md, non-zero when a page
# takes over a second.  `--explain` (run the script) adds each page's slowest queries with their plans.
bench-dashboard: $(VENV)/.test-deps postgres
	$(BIN)/python benchmarks/dashboard.py

# Page audit (DESIGN §9): Lighthouse (npm, into .cache/audit on first use), a crawl of every
# page, the mkdocs-quiz and plain-Material peers; report in build/audit/, non-zero on a miss.
audit: $(VENV)/.test-deps chromium
	$(BIN)/python -m audit

# Apache ECharts for the staff pages' charts (generator/results/static/echarts/, served under /admin/ only).
# The prebuilt dist/echarts.common.min.js, kept as echarts.min.js: the smallest of the package's builds with
# the SVG renderer, line and bar charts, grid, tooltip, legend, title and aria (the "simple" build has only
# the canvas renderer, no tooltip, legend nor title; the full build is half as large again: for 6.1.0,
# simple 500,315 bytes (169,252 gzipped), common 715,020 (240,104), full 1,121,883 (368,997)).  Beside it
# the package's LICENSE and NOTICE, licenses/LICENSE-d3 (d3 code inside) and zrender's LICENSE (bundled inside).
# `make vendor-echarts` fetches the version in VERSION again with `npm pack` into a temporary folder; each
# tarball must match npm's dist.integrity (sha512) and, for the pinned version, the one in VERSION; then the
# files are copied and VERSION written anew.  `make vendor-echarts ECHARTS=6.2.0` moves to another version.
ECHARTS_DIR := generator/results/static/echarts
ECHARTS ?= $(shell sed -n 's/^version: //p' $(ECHARTS_DIR)/VERSION 2>/dev/null)
SHA512_SRI = $(PYTHON) -c 'import base64, hashlib, sys; print("sha512-" + base64.b64encode(hashlib.sha512(open(sys.argv[1], "rb").read()).digest()).decode())'

vendor-echarts:
	@set -eu; \
	version="$(ECHARTS)"; test -n "$$version" || { echo "vendor-echarts: say which version: ECHARTS=x.y.z"; exit 1; }; \
	pinned=$$(sed -n "s/^integrity: //p" $(ECHARTS_DIR)/VERSION 2>/dev/null || true); \
	test "$$version" = "$$(sed -n 's/^version: //p' $(ECHARTS_DIR)/VERSION 2>/dev/null)" || pinned=""; \
	tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	fetch() { \
	  npm pack --silent --pack-destination "$$tmp" "$$1@$$2" >/dev/null; \
	  got=$$($(SHA512_SRI) "$$tmp/$$1-$$2.tgz"); want=$$(npm view "$$1@$$2" dist.integrity); \
	  test "$$got" = "$$want" || { echo "vendor-echarts: $$1-$$2.tgz is $$got, npm says $$want" >&2; exit 1; }; \
	  mkdir "$$tmp/$$1"; tar -xzf "$$tmp/$$1-$$2.tgz" -C "$$tmp/$$1"; echo "$$got"; \
	}; \
	integrity=$$(fetch echarts "$$version"); \
	test -z "$$pinned" || test "$$integrity" = "$$pinned" || { echo "vendor-echarts: echarts-$$version.tgz is $$integrity, VERSION says $$pinned" >&2; exit 1; }; \
	zrender=$$($(PYTHON) -c 'import json, sys; print(json.load(open(sys.argv[1]))["dependencies"]["zrender"])' "$$tmp/echarts/package/package.json"); \
	zrender_integrity=$$(fetch zrender "$$zrender"); \
	mkdir -p $(ECHARTS_DIR); \
	cp "$$tmp/echarts/package/dist/echarts.common.min.js" $(ECHARTS_DIR)/echarts.min.js; \
	cp "$$tmp/echarts/package/LICENSE" "$$tmp/echarts/package/NOTICE" $(ECHARTS_DIR)/; \
	cp "$$tmp/echarts/package/licenses/LICENSE-d3" $(ECHARTS_DIR)/LICENSE-d3; \
	cp "$$tmp/zrender/package/LICENSE" $(ECHARTS_DIR)/LICENSE-zrender; \
	{ echo "# Written by \`make vendor-echarts\` (Makefile); tests/unit/test_vendor.py checks the file against it."; \
	  echo "version: $$version"; \
	  echo "file: dist/echarts.common.min.js"; \
	  echo "integrity: $$integrity"; \
	  echo "sha256: $$(sha256sum $(ECHARTS_DIR)/echarts.min.js | cut -d' ' -f1)"; \
	  echo "zrender: $$zrender"; \
	  echo "zrender-integrity: $$zrender_integrity"; \
	} > $(ECHARTS_DIR)/VERSION; \
	echo "vendor-echarts: echarts $$version (zrender $$zrender) in $(ECHARTS_DIR)"
