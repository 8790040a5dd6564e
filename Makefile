# The two commands: `make run` (set up and run the assistant) and `make test`.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Python 3.10 (Rasa 3.6 runs on no other): on PATH, or installed through pyenv.
PYTHON310 ?= $(shell for p in python3.10 $$(pyenv root 2>/dev/null)/versions/3.10*/bin/python3.10 \
	$$HOME/.pyenv/versions/3.10*/bin/python3.10 /usr/bin/python3.10; do \
	$$p -c 'import sys; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1 && { echo $$p; break; }; done)

.PHONY: run cluster test check deps venv db model bench faults clean

run: $(STAMP)
	$(BIN)/assistant run

# The production topology on this machine (docs/deploy.md): 2 Rasa servers and 2 action servers behind HAProxy,
# sharing PostgreSQL and Redis (started in var/cluster/ unless DATABASE_URL and REDIS_URL name them).
cluster: $(STAMP) deps
	$(BIN)/assistant run --replicas 2

test: deps check db model
	@$(BIN)/pytest; status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no test: that is a failure."; fi; \
	exit $$status

# Lint, format and types of our code (configured in pyproject.toml); `make test` runs it before pytest.
check: $(STAMP)
	@echo "==> ruff (lint, format) and mypy on assistant/ and actions/"
	$(BIN)/ruff check assistant actions
	$(BIN)/ruff format --check assistant actions
	$(BIN)/mypy

# The Debian packages the tests need (Chromium and its driver, Redis, PostgreSQL), installed only when missing:
# as root with apt-get, otherwise it prints the command to run. The tests start their own PostgreSQL and Redis.
deps:
	@.ci/test-deps

venv: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@if [ -z "$(PYTHON310)" ]; then \
		echo "Python 3.10 is required and was not found: install it (pyenv install 3.10, or apt-get install python3.10) and run make again."; \
		exit 1; fi
	@echo "==> Creating the environment in $(VENV) with $(PYTHON310) (about 3 GB, a few minutes)"
	@[ -x $(BIN)/python ] || $(PYTHON310) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check --progress-bar on "pip==23.3.2"
	$(BIN)/pip install --progress-bar on -c constraints.txt -e ".[test]"
	$(BIN)/pip check
	@touch $(STAMP)

db: $(STAMP)
	$(BIN)/assistant db import

model: $(STAMP)
	$(BIN)/assistant train

# Accuracy against baselines, latency, throughput, resources: writes docs/benchmarks.md (under 20 min on 2 cores).
bench: $(STAMP)
	$(BIN)/python -m assistant.bench

# The fault suite on the topology (HAProxy, 2 Rasa and 2 action servers, PostgreSQL, Redis): prints its table and
# writes reports/faults.md; fails when a target is missed. `make test` runs its short form (tests/test_faults.py).
faults: $(STAMP) deps db model
	$(BIN)/python -m assistant.faults

clean:
	rm -rf var models/*.tar.gz .pytest_cache
