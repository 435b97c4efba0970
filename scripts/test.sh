#!/usr/bin/env bash
# Set up the environment and run the whole test suite (what CI runs).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check app tests benchmarks tools
.venv/bin/lint-imports --no-cache
# One throwaway PostgreSQL cluster for the whole run (each test makes its own database in it).
pg_folder="$(mktemp -d /tmp/kaoping-pg-XXXXXX)"
trap '.venv/bin/python -m tools.test_postgres stop "$pg_folder"' EXIT
KAOPING_TEST_PG_URL="$(.venv/bin/python -m tools.test_postgres start "$pg_folder")"
export KAOPING_TEST_PG_URL
# One worker per core ("-n 0" runs in this process, e.g. to debug one test); idle workers take
# tests still queued for a busy one, so the slow document tests do not leave a core idle at the end.
.venv/bin/python -m pytest -n auto --dist worksteal "$@"
