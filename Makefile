# stablebrowse: `make run` starts everything; `make test` tests everything.
# Every step installs what it needs (idempotent, cached) and says what it is doing.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PROTOS := $(shell find protos -name '*.proto')
SITE := $(VENV)/lib/python3.11/site-packages

.PHONY: help deps venv protos tools run up down status test test-unit test-integration chart-check bench-startup clean

help:
	@echo "make run    start the whole stack in the foreground (Ctrl-C stops it)"
	@echo "make up     start it in the background; returns once every part is healthy"
	@echo "make down   stop the background stack"
	@echo "make test   run every test (starts its own stack on free ports)"

venv: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	@echo "[deps] python virtualenv in $(VENV)"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]'
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
.tools/bin/helm: tools/install-helm.sh
	@bash tools/install-helm.sh

deps: venv protos tools

run: deps
	@$(PY) -m services.stack run

up: deps
	@$(PY) -m services.stack up

down:
	@if [ -x $(PY) ]; then $(PY) -m services.stack down; else echo "[stack] not running"; fi

status:
	@$(PY) -m services.stack status

test: deps .tools/bin/helm
	@$(BIN)/pytest tests

test-unit: deps
	@$(BIN)/pytest tests/unit

chart-check: .tools/bin/helm venv
	@bash tools/check-chart.sh

bench-startup: deps
	@$(PY) bench/startup.py

clean: down
	rm -rf gen .run
