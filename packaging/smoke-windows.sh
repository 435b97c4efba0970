#!/usr/bin/env bash
# Check a built installer under Wine (Debian's wine64): silent install into a fresh prefix, the
# installed program's --self-test, the start-menu shortcut and the uninstall entry, then a
# silent uninstall that removes the program and keeps the user's data.
#   bash packaging/smoke-windows.sh dist/Kaoping-<version>-win64-setup.exe
# Wine 8 needs three test-only shims, put into the prefix only (never into the installer): the
# real ucrtbase.dll from pynsist's redistributable (Wine 8's lacks crealf, which numpy calls),
# an icuuc.dll stub (Qt 6 imports Windows 10's icuuc.dll) and a bcryptprimitives.dll with
# ProcessPrng (Rust code imports it). Qt's windows platform does not start under Wine 8, so the
# self-test runs offscreen.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
INSTALLER=$(realpath "$1")
command -v wine >/dev/null || { echo "需要 wine：apt-get install wine64" >&2; exit 1; }
command -v x86_64-w64-mingw32-gcc >/dev/null || {
    echo "需要 mingw：apt-get install gcc-mingw-w64-x86-64" >&2; exit 1; }
WORK=$(mktemp -d)
export WINEPREFIX=$WORK/prefix WINEARCH=win64 WINEDEBUG=-all
run() { if [ -z "${DISPLAY:-}" ] && command -v xvfb-run >/dev/null; then xvfb-run -a "$@"; else "$@"; fi; }

run wineboot -i >/dev/null 2>&1
SYS32=$WINEPREFIX/drive_c/windows/system32
# Shim 1: Microsoft's ucrtbase.dll, from pynsist's copy of the redistributable.
UCRT=$(find "$ROOT/build/windows/venv" -path "*nsist/msvcrt/x64/ucrtbase.dll" | head -1)
[ -n "$UCRT" ] || { echo "找不到 pynsist 的 ucrtbase.dll（先运行 build-windows.sh）" >&2; exit 1; }
cp "$UCRT" "$SYS32/ucrtbase.dll"
# Shim 2: an icuuc.dll whose functions Qt never needs here.
cat > "$WORK/icuuc.c" <<'C'
__declspec(dllexport) int ucnv_open(void) { return 0; }
__declspec(dllexport) int u_errorName(void) { return 0; }
C
x86_64-w64-mingw32-gcc -shared -o "$SYS32/icuuc.dll" "$WORK/icuuc.c"
# Shim 3: bcryptprimitives.dll with ProcessPrng (Rust's standard library, in python-calamine,
# imports it; Windows 10 has it, Wine 8 does not).
cat > "$WORK/bcryptprimitives.c" <<'C'
#include <windows.h>
#include <ntsecapi.h>
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size) {
    return RtlGenRandom(data, (ULONG)size);
}
C
x86_64-w64-mingw32-gcc -shared -o "$SYS32/bcryptprimitives.dll" "$WORK/bcryptprimitives.c" -ladvapi32
export WINEDLLOVERRIDES="ucrtbase=n,b;icuuc=n;bcryptprimitives=n"

run wine "$INSTALLER" /S
USER_DIR=$(ls -d "$WINEPREFIX/drive_c/users/"*/ | grep -v Public | head -1)
INSTDIR="$USER_DIR/AppData/Local/Programs/Kaoping"
[ -x "$INSTDIR/Python/python.exe" ] || { echo "没有安装到 $INSTDIR" >&2; exit 1; }
for shim in icuuc.dll ucrtbase.dll bcryptprimitives.dll; do
    if find "$INSTDIR" -iname "$shim" | grep -q .; then echo "安装包里有替身 $shim" >&2; exit 1; fi
done
ls "$USER_DIR/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/"*Kaoping*.lnk >/dev/null \
    || { echo "没有开始菜单快捷方式" >&2; exit 1; }
UNINSTALL_KEY='HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\Kaoping'
wine reg query "$UNINSTALL_KEY" >/dev/null 2>&1 || { echo "没有卸载项" >&2; exit 1; }
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' "$ROOT/pyproject.toml" | head -1)
wine reg query "$UNINSTALL_KEY" /v DisplayVersion 2>/dev/null | tr -d '\r' | grep -q "$VERSION\$" \
    || { echo "卸载项的版本不是 $VERSION" >&2; exit 1; }
if ls "$USER_DIR/Desktop/"*Kaoping*.lnk >/dev/null 2>&1; then
    echo "静默安装不应建桌面快捷方式（默认不选）" >&2; exit 1; fi
echo "安装：$INSTDIR，开始菜单快捷方式和卸载项都在，未选的桌面快捷方式没有建"

# Wine gives the console program valid standard handles only when they are pipes.
QT_QPA_PLATFORM=offscreen wine "$INSTDIR/bin/kaoping.exe" --self-test < /dev/null 2>&1 | cat

DATA="$USER_DIR/AppData/Roaming/Kaoping"
mkdir -p "$DATA/backups" && echo keep > "$DATA/kaoping.db"
run wine "$INSTDIR/uninstall.exe" /S
for _ in $(seq 30); do [ -e "$INSTDIR/Python" ] || break; sleep 1; done  # it runs from a copy
[ ! -e "$INSTDIR/Python" ] || { echo "卸载后程序仍在 $INSTDIR" >&2; exit 1; }
[ -f "$DATA/kaoping.db" ] || { echo "卸载删除了用户数据" >&2; exit 1; }
echo "卸载：程序已删除，用户数据保留；Wine 冒烟测试通过"
wineserver -k 2>/dev/null || true
rm -rf "$WORK"
