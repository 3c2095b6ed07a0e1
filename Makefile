# Developer entry points. GNU make, POSIX sh recipes. `make` alone lists the targets.
SHELL := /bin/sh
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=
# Test processes (pytest-xdist): the suite mostly waits (on the bus, the database, services
# starting), so two overlap well even on two cores. 0 runs it in this one process.
PYTEST_WORKERS ?= 2
# The service list lives in one place, scripts/devstack.py (stdlib only, so any python3 reads it).
SERVICES = $(shell $(PYTHON) scripts/devstack.py --list-services)

.PHONY: help venv run stop test lint lint-api bench clean distclean compose-up compose-down \
	compose-test

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z][a-z-]*:.*## / {printf "  make %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# Stamp files: reinstall only when the dependency list (or lock) changes.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --upgrade pip
	$(PY) -m pip install -e '.[dev]'
	touch $@

# --ignore-scripts: the linter needs no install scripts, and the one dependency that has one
# (@scarf/scarf) only sends usage analytics.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

venv: $(VENV)/.installed ## create .venv and install the project with its dev tools

run: $(VENV)/.installed ## run NATS, migrations and every service; Ctrl-C stops all
	$(PY) scripts/devstack.py

stop: ## stop what a killed `make run` left behind (var/devstack.pids)
	@if [ -f var/devstack.pids ]; then \
		pids=$$(awk '{print $$1}' var/devstack.pids); \
		kill $$pids 2>/dev/null; \
		for _ in 1 2 3 4 5 6 7 8 9 10; do \
			alive=; for p in $$pids; do kill -0 $$p 2>/dev/null && alive="$$alive $$p"; done; \
			[ -z "$$alive" ] && break; sleep 1; \
		done; \
		[ -n "$$alive" ] && kill -9 $$alive 2>/dev/null; \
		rm -f var/devstack.pids; echo "stopped:" $$pids; \
	else echo "nothing to stop (no var/devstack.pids)"; fi

test: $(VENV)/.installed node_modules/.installed ## run the tests (PYTEST_ARGS='-k foo' to narrow)
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadscope $(PYTEST_ARGS)

lint: $(VENV)/.installed ## ruff on everything, mypy strict on shared/ and all of services/
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy shared services

# The ruleset is an in-repo copy of the shared one, so a fresh clone lints without ../shared/.
lint-api: $(VENV)/.installed node_modules/.installed ## lint every service's OpenAPI with the NL API Design Rules
	@mkdir -p var/openapi
	@status=0; for s in $(SERVICES); do \
		echo "== $$s"; \
		$(PY) -m services.$$s openapi > var/openapi/$$s.json && \
		npx --no-install spectral lint -r standards/adr-linter.yaml var/openapi/$$s.json \
			--fail-severity error || status=1; \
	done; exit $$status

# Only top-level bench/*.py scripts with a __main__ block run; shared helpers live in bench/lib/.
bench: $(VENV)/.installed ## run every entry point bench/*.py (each prints its own target lines)
	@status=0; ran=; for f in bench/*.py; do \
		[ -f "$$f" ] && grep -q '^if __name__ == "__main__":' "$$f" || continue; ran=1; \
		echo "== $$f"; $(PY) "$$f" || status=1; \
	done; [ -n "$$ran" ] || echo "no benchmarks in bench/"; exit $$status

# The compose stack for real (a Docker engine; docker-compose or `docker compose`). Settings
# from the environment or .env (.env.example). Base images that cannot be pulled are built as
# stand-ins from Debian packages (deploy/standins/build.sh). Not part of `make test`.
compose-up: ## build the image, start the compose stack (production mode), wait until healthy
	scripts/compose.sh up

compose-down: ## remove the compose stack and its volumes
	scripts/compose.sh down

compose-test: $(VENV)/.installed ## the klantreis and a crash against a real compose stack (Docker)
	scripts/compose.sh test

clean: ## remove var/ (logs, SQLite, NATS data) and tool caches
	rm -rf var .pytest_cache .mypy_cache .ruff_cache .hypothesis
	find . -name __pycache__ -type d -not -path './.venv/*' -not -path './node_modules/*' \
		-prune -exec rm -rf {} +

distclean: clean ## also remove .venv and node_modules
	rm -rf $(VENV) node_modules
