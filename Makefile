# Two commands do everything: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
FLASK := $(BIN)/flask --app portal
VENDOR := portal/static/vendor

.PHONY: run test a11y sr unit install install-test frontend browser screenreader proxy db clean screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed frontend

# npm ci installs the exact pinned packages; htmx is copied into static/vendor.
# Without npm the portal still runs (no htmx) and says so.
frontend:
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --loglevel=error && \
		mkdir -p $(VENDOR) && cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx.min.js; \
	else \
		echo "*** npm is not installed: the portal will run without htmx (every page still works)."; \
		echo "*** Install Node.js and npm, then run 'make run' again for in-place updates."; \
	fi

db: install
	PORTAL_ENV_NAME=development $(FLASK) db upgrade
	PORTAL_ENV_NAME=development $(FLASK) seed-demo --if-empty

run: db
	@echo "Serving http://$(HOST):$(PORT)/  (mail is written to instance/mail/ unless MAIL_SERVER is set)"
	PORTAL_ENV_NAME=development PORTAL_BASE_URL=http://$(HOST):$(PORT) PORTAL_MAIL_IN_PROCESS=1 $(FLASK) run --host $(HOST) --port $(PORT)

# Debian packages the browser suite drives, installed when missing and we may:
# $(call debian,<commands that must exist>,<packages that provide them>).
define debian
	@if ! { $(foreach command,$(1),command -v $(command) >/dev/null 2>&1 &&) true; }; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2); \
		elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then \
			sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2); \
		else \
			echo "*** $(2): missing and cannot be installed as this user;"; \
			echo "*** run: sudo apt-get install $(2)"; exit 1; \
		fi; \
	fi
endef

# Chromium and its driver; Java for the Nu Html Checker (vnu.jar comes from npm).
browser:
	$(call debian,chromium chromedriver,chromium chromium-driver)
	$(call debian,java,default-jre-headless)

# GNOME Orca and what it needs to run without a desktop: a virtual X server, D-Bus, the
# AT-SPI bus and registry, xdotool for real key events. Orca runs under Debian's python3
# (python3-pyatspi comes with it), not the venv.
screenreader:
	$(call debian,orca Xvfb dbus-daemon dbus-send xdotool /usr/libexec/at-spi-bus-launcher,\
		orca xvfb dbus at-spi2-core xdotool python3-pyatspi)

# nginx for the scale-out test (deploy/): the proxy and cache in front of two app servers;
# wrk for the benchmarks (make bench).
proxy:
	$(call debian,nginx,nginx-light)
	$(call debian,wrk,wrk)

install-test: $(VENV)/.installed-test frontend browser screenreader proxy

unit: install-test
	$(BIN)/pytest tests

a11y: install-test
	$(BIN)/pytest a11y

# Only the tests that drive GNOME Orca (see a11y/screenreader.py).
sr: install-test
	$(BIN)/pytest a11y -m screenreader

test: install-test
	$(BIN)/pytest --cov --cov-report=term:skip-covered

# The README's pictures: docs/screenshots/ from the demo data, in headless Chromium.
screenshots: $(VENV)/.installed-test frontend browser
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) node_modules $(VENDOR) a11y/report .pytest_cache

# The scale benchmark (bench/scale.py, issue 12): the key pages with 50,000 members and
# 400,000 posts, served by gunicorn and driven by wrk; on SQLite, and on PostgreSQL too when
# PORTAL_BENCH_DATABASE_URL names a database (used as is: built once, then reused).
# BENCH_SCALE=0.1 builds a tenth of the size. Results go in BENCHMARKS.md.
BENCH_SCALE ?= 1
.PHONY: bench bench-features
bench: install-test
	$(BIN)/python bench/scale.py --scale $(BENCH_SCALE)
	@if [ -n "$$PORTAL_BENCH_DATABASE_URL" ]; then \
		$(BIN)/python bench/scale.py --scale $(BENCH_SCALE) --database "$$PORTAL_BENCH_DATABASE_URL"; \
	fi

# Feature figures: events with 5,000 events (page times, RSVP throughput); forums with
# 100,000 posts (search under 200 ms?). SQLite, and PostgreSQL as above (a <name>_bench beside it).
bench-features: $(VENV)/.installed
	$(BIN)/python bench/events_bench.py
	$(BIN)/python bench/forums_bench.py
