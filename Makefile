# shopfn: `make dev` runs the platform, `make test` tests it. Both set up what they need.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell scripts/find-python.sh)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Development-only credentials: the README gives them; a cluster takes its own from a Secret.
DEV_ENV := SHOPFN_JWT_SECRET=dev-only-jwt-secret-change-me-0123456789abcdef \
	SHOPFN_ADMIN_EMAIL=admin@shopfn.local \
	SHOPFN_ADMIN_PASSWORD=shopfn-dev-admin

.PHONY: help setup servers deploy-tools browser-tools frontends docs dev dev-isolated test lint \
	typecheck unit manifests seed reindex bench clean

help:
	@echo "make dev     set up and run the whole platform on http://127.0.0.1:8080"
	@echo "make test    set up and run every check (lint, types, tests)"
	@echo "make seed    load 20,000 products into the running dev stores"
	@echo "make bench   run the benchmarks (not part of make test)"
	@echo "make docs    build the documentation site into site/"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

setup: $(STAMP)

servers: $(STAMP)
	@scripts/install-servers.sh

deploy-tools: $(STAMP)
	@scripts/install-deploy-tools.sh

browser-tools:
	@scripts/install-chromium.sh

frontends:
	@scripts/build-frontends.sh

docs: $(STAMP)
	@$(BIN)/python -m shopfn.docgen
	@NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet --site-dir site

dev: servers frontends
	@$(DEV_ENV) $(BIN)/shopfn dev

dev-isolated: servers frontends
	@$(DEV_ENV) $(BIN)/shopfn dev --isolate

lint: $(STAMP)
	@$(BIN)/ruff check .
	@$(BIN)/ruff format --check --quiet . || (echo "run: $(BIN)/ruff format ." && false)

typecheck: $(STAMP)
	@$(BIN)/mypy

test: servers deploy-tools browser-tools frontends lint typecheck
	@scripts/run-tests.sh

unit: $(STAMP)
	@$(BIN)/pytest -q tests/unit

manifests: $(STAMP)
	@$(BIN)/python -m shopfn.manifests

seed: $(STAMP)
	@$(DEV_ENV) $(BIN)/shopfn seed

reindex: $(STAMP)
	@$(DEV_ENV) $(BIN)/shopfn reindex

bench: servers
	@$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .shopfn
