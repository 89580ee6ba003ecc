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

.PHONY: help run test lint bench format system-deps browser-deps messages check-python

help:
	@echo "make run    start Safe Zones with the demo district on http://127.0.0.1:8000"
	@echo "make test   run the whole test suite (SQLite, or DATABASE_URL when set)"
	@echo "make lint   ruff, mypy and the translation check"
	@echo "make bench  run the benchmarks and write docs/benchmarks.md"

check-python:
	@if [ -z "$(PYTHON)" ]; then scripts/find-python; exit 1; fi

$(STAMP): pyproject.toml uv.lock | check-python
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(UV) sync --frozen --inexact --python $(BIN)/python
	@touch $@

# Debian packages: gettext compiles the translation catalogues; Tesseract
# reads photos of documents. For the tests: Chromium is the browser they drive
# (never a downloaded browser build) and DejaVu draws their document photos.
system-deps:
	@command -v msgfmt >/dev/null || scripts/apt-install gettext
	@command -v tesseract >/dev/null || scripts/apt-install tesseract-ocr tesseract-ocr-eng tesseract-ocr-spa

browser-deps:
	@test -x /usr/bin/chromium || scripts/apt-install chromium
	@test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || scripts/apt-install fonts-dejavu-core

messages: $(STAMP) system-deps
	@cd src/safezones && ../../$(BIN)/django-admin compilemessages --ignore=.venv >/dev/null

run: $(STAMP) messages
	@$(BIN)/python scripts/make-secret-key var/secret_key
	@SAFEZONES_DEMO=true SAFEZONES_HTTPS=false $(BIN)/safezones prepare --demo
	@SAFEZONES_DEMO=true SAFEZONES_HTTPS=false $(BIN)/safezones serve --bind 127.0.0.1:8000

test: $(STAMP) messages browser-deps
	$(BIN)/pytest

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
