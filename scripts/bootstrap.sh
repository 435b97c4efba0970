#!/usr/bin/env bash
# Set up (or refresh) the project's virtual environment in .venv; safe to run every time.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "需要 Python 3.11 或更新版本（Kaoping needs Python 3.11+）" >&2
    exit 1
fi

# Qt needs a few system libraries even offscreen; install them when they are missing.
missing=()
for lib in libEGL.so.1 libGL.so.1 libxkbcommon.so.0 libfontconfig.so.1 libdbus-1.so.3; do
    ldconfig -p 2>/dev/null | grep -q "$lib" || missing+=("$lib")
done
if ((${#missing[@]})); then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "安装 Qt 所需系统库：${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 >/dev/null
    else
        echo "缺少 Qt 所需系统库：${missing[*]}（请安装 libegl1 libgl1 libxkbcommon0 libfontconfig1）" >&2
    fi
fi

# The tests run the server mode against a real PostgreSQL (a throwaway cluster, see
# tools/test_postgres.py): install the distribution's server when it is missing.
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 && ! command -v postgres >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "安装 PostgreSQL（测试服务器模式用）"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    else
        echo "缺少 PostgreSQL 服务器程序（请安装 postgresql 软件包），服务器模式的测试无法运行" >&2
    fi
fi

# The Word documents are checked through a real office suite: LibreOffice converts each .docx
# to PDF (tests/documents/test_word_libreoffice.py). Writer alone, no GUI: about 20 s.
if ! command -v soffice >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "安装 LibreOffice Writer（检验 Word 文书用）"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            libreoffice-writer-nogui >/dev/null
    else
        echo "缺少 LibreOffice（请安装 libreoffice-writer-nogui），Word 文书的版式检验无法运行" >&2
    fi
fi

if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
stamp=.venv/.kaoping-installed
want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e ".[test]"
    echo "$want" > "$stamp"
fi
