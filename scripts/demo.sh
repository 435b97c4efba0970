#!/usr/bin/env bash
# Set up the environment, build the demo database (once) and start Kaoping on it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
DB="${KAOPING_DEMO_DB:-demo/kaoping-demo.db}"
mkdir -p "$(dirname "$DB")"
if [ ! -f "$DB" ]; then
    .venv/bin/python -m app --db "$DB" demo
fi
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ "$(uname -s)" = Linux ]; then
    # No screen (a server or CI): render the window to a picture instead of opening it.
    .venv/bin/python -m app --db "$DB" --screenshot demo/screenshot.png
    echo "没有图形界面：已把主窗口截图保存到 demo/screenshot.png（No display: saved demo/screenshot.png）"
    exit 0
fi
exec .venv/bin/python -m app --db "$DB"
