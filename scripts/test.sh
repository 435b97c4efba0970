#!/usr/bin/env bash
# Set up the environment and run the whole test suite (what CI runs).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check app tests benchmarks tools
.venv/bin/lint-imports --no-cache
# One worker per core ("-n 0" runs in this process, e.g. to debug one test).
.venv/bin/python -m pytest -n auto "$@"
