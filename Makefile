# Safe Zones: set-up, run, test and lint. Every step a fresh machine needs is here.

SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON := $(shell scripts/find-python 2>/dev/null)
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
UV_VERSION := 0.13.8
STAMP := $(VENV)/.installed
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_LINK_MODE := copy

.PHONY: help run test proof soak audit lint bench format system-deps browser-deps messages check-python

help:
	@echo "make run    start Safe Zones with the demo district on http://127.0.0.1:8000"
	@echo "make test   run the test suite but tests/proof (SQLite, or DATABASE_URL when set)"
	@echo "make proof  the access matrix, API schema and parser checks (tests/proof)"
	@echo "make soak   the kill test at full size with a mail outage; figures to docs/reliability.md"
	@echo "make audit  known vulnerabilities in the locked dependencies (needs pypi.org)"
	@echo "make lint   ruff, mypy and the translation check"
	@echo "make bench  run the benchmarks and write docs/benchmarks.md"

check-python:
	@if [ -z "$(PYTHON)" ]; then scripts/find-python; exit 1; fi

# system-deps first: PyICU (for rigour's name normalising) compiles against libicu.
$(STAMP): pyproject.toml uv.lock | check-python system-deps
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(UV) sync --frozen --inexact --python $(BIN)/python
	@touch $@

# Debian packages: gettext compiles the translation catalogues; Tesseract
# reads photos of documents. For the tests: Chromium is the browser they drive
# (never a downloaded browser build), DejaVu draws their document photos, and
# nginx runs deploy/nginx.conf in front of the app (installed, never started
# as a service).
system-deps:
	@command -v msgfmt >/dev/null || scripts/apt-install gettext
	@dpkg -s libicu-dev >/dev/null 2>&1 || scripts/apt-install libicu-dev pkg-config g++
	@command -v tesseract >/dev/null || scripts/apt-install tesseract-ocr tesseract-ocr-eng tesseract-ocr-spa

browser-deps:
	@test -x /usr/bin/chromium || scripts/apt-install chromium
	@test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || scripts/apt-install fonts-dejavu-core
	@test -x /usr/sbin/nginx || scripts/apt-install nginx-light

messages: $(STAMP) system-deps
	@cd src/safezones && ../../$(BIN)/django-admin compilemessages --ignore=.venv >/dev/null

run: $(STAMP) messages
	@$(BIN)/python scripts/make-secret-key var/secret_key
	@SAFEZONES_DEMO=true SAFEZONES_HTTPS=false $(BIN)/safezones prepare --demo
	@SAFEZONES_DEMO=true SAFEZONES_HTTPS=false $(BIN)/safezones serve --bind 127.0.0.1:8000

test: $(STAMP) messages browser-deps
	$(BIN)/pytest --ignore=tests/proof

# The access matrix, schemathesis on the API and Hypothesis on every parser
# (tests/proof); make test leaves them to this target.
proof: $(STAMP) messages
	$(BIN)/pytest tests/proof

# The kill test at full size: at least 50 SIGKILLs of the web server (and the
# worker every other time) under load, with the mail server down for
# SOAK_SMTP_OUTAGE_SECONDS (10 minutes unless set), on SQLite and PostgreSQL
# (127.0.0.1:5432, database test_lost_soak). Writes its figures to docs/reliability.md.
SOAK_KILLS ?= 50
SOAK_SMTP_OUTAGE_SECONDS ?= 600
soak: $(STAMP) messages
	SOAK_KILLS=$(SOAK_KILLS) SOAK_SMTP_OUTAGE_SECONDS=$(SOAK_SMTP_OUTAGE_SECONDS) $(BIN)/python -m tests.proof.lost_soak

# pip-audit on every locked dependency (all groups, pinned by hash), against
# PyPI's advisory data. --strict: a dependency it cannot look up fails the
# audit instead of passing unseen. Exceptions go in docs/security.md.
PIP_AUDIT_VERSION := 2.10.1
audit: $(STAMP)
	@mkdir -p var
	$(UV) export --frozen --all-groups --no-emit-project --format requirements.txt --quiet -o var/audit-requirements.txt
	$(UV) tool run --from "pip-audit==$(PIP_AUDIT_VERSION)" pip-audit --strict --require-hashes --disable-pip \
		--progress-spinner off -r var/audit-requirements.txt

lint: $(STAMP) system-deps
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/mypy
	$(BIN)/python scripts/check-translations

format: $(STAMP)
	$(BIN)/ruff format src tests bench scripts
	$(BIN)/ruff check --fix src tests bench scripts

bench: $(STAMP) messages
	$(BIN)/python bench/run.py
	$(BIN)/python bench/doccheck.py >> docs/benchmarks.md
	$(BIN)/python bench/alerts.py
	$(UV) sync --frozen --inexact --group bench --python $(BIN)/python
	$(BIN)/python bench/vendors_accuracy.py >> docs/benchmarks.md
	$(BIN)/python bench/vendors_speed.py >> docs/benchmarks.md
	$(BIN)/python bench/vendors_lausd.py >> docs/benchmarks.md
	$(BIN)/python bench/families_spike.py >> docs/benchmarks.md
	$(BIN)/python bench/mixed_load.py >> docs/benchmarks.md
	$(BIN)/python bench/readiness.py >> docs/benchmarks.md
	$(BIN)/python bench/outbox_drain.py >> docs/benchmarks.md
