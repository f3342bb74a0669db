# stablebrowse: `make run` starts everything; `make test` tests everything.
# Every step installs what it needs (idempotent, cached) and says what it is doing.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PROTOS := $(shell find protos -name '*.proto')
SITE := $(VENV)/lib/python3.11/site-packages
TS := sdks/typescript

.PHONY: help deps venv protos tools sdk-typescript run up down status test test-unit test-integration test-ferretdb lint chart-check bench-startup clean

help:
	@echo "make run    start the whole stack in the foreground (Ctrl-C stops it)"
	@echo "make up     start it in the background; returns once every part is healthy"
	@echo "make down   stop the background stack"
	@echo "make test   run every test (starts its own stack on free ports)"
	@echo "make lint   ruff and mypy over the tree (make test runs it first)"
	@echo "make test-ferretdb  the data layer's integration tests on FerretDB 1.24.2 + PostgreSQL 15"

venv: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml sdks/python/pyproject.toml
	@echo "[deps] python virtualenv in $(VENV)"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]'
	@echo "[deps] python SDK and CLI (sdks/python) into $(VENV)"
	@$(PY) -m pip install -q --disable-pip-version-check -e sdks/python
	@echo "$(CURDIR)/gen" > $(SITE)/stablebrowse-gen.pth
	@touch $@

protos: gen/.stamp
gen/.stamp: $(PROTOS) tools/gen_protos.py $(VENV)/.installed .tools/bin/protoc-gen-openapiv2
	@$(PY) tools/gen_protos.py
	@touch $@
.tools/bin/protoc-gen-openapiv2: tools/install-openapi.sh
	@bash tools/install-openapi.sh && touch $@

tools: .tools/.kafka .tools/.mongo .tools/.chromium .tools/.llm
.tools/.kafka: tools/install-kafka.sh tools/kafka/pom.xml
	@bash tools/install-kafka.sh && touch $@
.tools/.mongo: tools/install-mongo.sh tools/mongo/pom.xml $(shell find tools/mongo/src -type f 2>/dev/null)
	@bash tools/install-mongo.sh && touch $@
.tools/.chromium: tools/install-chromium.sh
	@bash tools/install-chromium.sh && mkdir -p .tools && touch $@
.tools/.llm: tools/install-llm.sh $(VENV)/.installed
	@bash tools/install-llm.sh && touch $@
.tools/.ferretdb: tools/install-ferretdb.sh tools/ferretdb/go.mod tools/ferretdb/go.sum tools/ferretdb/main.go
	@bash tools/install-ferretdb.sh && touch $@
.tools/bin/helm: tools/install-helm.sh
	@bash tools/install-helm.sh

# The TypeScript SDK: typescript from the npm registry (package-lock.json, cache in ~/.npm), tsc -> dist/.
sdk-typescript: $(TS)/dist/.built
$(TS)/node_modules/.installed: $(TS)/package.json $(TS)/package-lock.json
	@command -v npm >/dev/null || { echo "[deps] npm not found: install Node.js 18+ and npm"; exit 1; }
	@echo "[deps] typescript SDK: npm ci in $(TS) (node $$(node --version))"
	@cd $(TS) && npm ci --no-audit --no-fund --prefer-offline --loglevel=error
	@touch $@
$(TS)/dist/.built: $(TS)/node_modules/.installed $(TS)/tsconfig.json $(shell find $(TS)/src -type f 2>/dev/null)
	@echo "[build] typescript SDK: tsc -> $(TS)/dist"
	@cd $(TS) && npm run --silent build
	@touch $@

deps: venv protos tools

run: deps
	@$(PY) -m dev.stack run

up: deps
	@$(PY) -m dev.stack up

down:
	@if [ -x $(PY) ]; then $(PY) -m dev.stack down; else echo "[stack] not running"; fi

status:
	@$(PY) -m dev.stack status

test: deps .tools/bin/helm sdk-typescript lint
	@$(BIN)/pytest tests

lint: venv protos
	@echo "[lint] ruff check ."
	@$(BIN)/ruff check .
	@echo "[lint] mypy (services, dev)"
	@$(BIN)/mypy

# The integration tests that exercise the data layer, on a real database engine: FerretDB 1.24.2
# on PostgreSQL 15 (tools/ferretdb) instead of the embedded mongo-java-server.
FERRETDB_TESTS := tests/integration/test_auth.py tests/integration/test_task_api.py \
	tests/integration/test_credentials.py tests/integration/test_walking_skeleton.py \
	tests/integration/test_worker_loss.py tests/integration/test_fastpath.py \
	tests/integration/test_screenshots.py
test-ferretdb: deps .tools/.ferretdb
	@bash tools/ferretdb/with-ferretdb.sh $(BIN)/pytest $(FERRETDB_TESTS)

test-unit: deps
	@$(BIN)/pytest tests/unit tests/sdk/test_models.py

chart-check: .tools/bin/helm venv
	@bash tools/check-chart.sh

bench-startup: deps
	@$(PY) bench/startup.py

clean: down
	rm -rf gen .run
