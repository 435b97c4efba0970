#!/usr/bin/env bash
# Build dist/kaoping_<version>_amd64.deb: the program frozen with PyInstaller into /opt/kaoping
# (its own Python, Qt, fonts and licences), a `kaoping` command, a .desktop entry and an icon.
# Needs no network at install or run time; building needs PyPI once (PyInstaller).
#   bash packaging/build-linux.sh            # build (KAOPING_REUSE_FREEZE=1: repack the last freeze)
#   bash packaging/check-linux.sh dist/kaoping_<version>_amd64.deb   # install, self-test, remove
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
bash scripts/bootstrap.sh
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml | head -1)
BUILD=build/linux
DEB_ROOT=$BUILD/deb
OUT=dist/kaoping_${VERSION}_amd64.deb
started=$(date +%s)

# PyInstaller in its own environment, beside the project's (the tests never see it).
if [ "${KAOPING_REUSE_FREEZE:-}" = 1 ] && [ -x "$BUILD/dist/kaoping/kaoping" ]; then
    echo "沿用上次的冻结结果 $BUILD/dist/kaoping"
elif [ ! -x "$BUILD/venv/bin/pyinstaller" ]; then
    rm -rf "$BUILD/venv"
    "$ROOT/.venv/bin/python" -m venv --system-site-packages "$BUILD/venv"
    "$BUILD/venv/bin/python" -m pip install -q "pyinstaller==6.*"
fi
# The project's own environment holds the app's dependencies; PyInstaller reads them there.
if [ "${KAOPING_REUSE_FREEZE:-}" != 1 ] || [ ! -x "$BUILD/dist/kaoping/kaoping" ]; then
    PYTHONPATH="$ROOT/.venv/lib/python3.11/site-packages" \
        "$BUILD/venv/bin/pyinstaller" --noconfirm --clean --log-level ERROR \
        --distpath "$BUILD/dist" --workpath "$BUILD/work" packaging/kaoping.spec
fi

# What the package must hold, or the build fails.
APP=$BUILD/dist/kaoping
for needed in kaoping kaopingw _internal/resources/fonts/uming.ttc _internal/resources/fonts/ukai.ttc \
    _internal/resources/fonts/wqy-microhei.ttc _internal/resources/fonts/licenses/arphic-public-license.txt \
    _internal/resources/fonts/licenses/wqy-microhei-copyright.txt _internal/app/models/migrations/env.py \
    _internal/resources/templates/index.json; do
    [ -e "$APP/$needed" ] || { echo "构建失败：缺少 $needed" >&2; exit 1; }
done

rm -rf "$DEB_ROOT"
mkdir -p "$DEB_ROOT/DEBIAN" "$DEB_ROOT/opt" "$DEB_ROOT/usr/bin" \
    "$DEB_ROOT/usr/share/applications" "$DEB_ROOT/usr/share/icons/hicolor/256x256/apps" \
    "$DEB_ROOT/usr/share/icons/hicolor/48x48/apps" "$DEB_ROOT/usr/share/doc/kaoping"
cp -a "$APP" "$DEB_ROOT/opt/kaoping"
ln -s /opt/kaoping/kaoping "$DEB_ROOT/usr/bin/kaoping"
cp resources/icons/kaoping-256.png "$DEB_ROOT/usr/share/icons/hicolor/256x256/apps/kaoping.png"
cp resources/icons/kaoping-48.png "$DEB_ROOT/usr/share/icons/hicolor/48x48/apps/kaoping.png"
cp resources/fonts/licenses/* "$DEB_ROOT/usr/share/doc/kaoping/"
cat > "$DEB_ROOT/usr/share/applications/kaoping.desktop" <<DESKTOP
[Desktop Entry]
Type=Application
Name=Kaoping
Name[zh_CN]=考评 法治建设考核评分系统
Comment[zh_CN]=法治建设考核评分、排名、文书与整改台账
Exec=/opt/kaoping/kaopingw
Icon=kaoping
Terminal=false
Categories=Office;
DESKTOP
SIZE=$(du -sk "$DEB_ROOT" | cut -f1)
# The oldest glibc the bundle runs on is the newest symbol version any of its binaries asks for;
# dpkg then refuses an older system with a clear message instead of a failure at start.
GLIBC=$(find "$APP" -type f \( -name "*.so*" -o -name kaoping -o -name kaopingw \) -print0 \
    | xargs -0 objdump -T 2>/dev/null | grep -o "GLIBC_[0-9.]*" | sed 's/GLIBC_//' | sort -uV | tail -1 || true)
[ -n "$GLIBC" ] || { echo "构建失败：读不出所需的 glibc 版本（需要 objdump：apt-get install binutils）" >&2; exit 1; }
cat > "$DEB_ROOT/DEBIAN/control" <<CONTROL
Package: kaoping
Version: $VERSION
Section: misc
Priority: optional
Architecture: amd64
Installed-Size: $SIZE
Depends: libc6 (>= $GLIBC), libfontconfig1, libfreetype6, libgl1, libegl1, libxkbcommon0, libxkbcommon-x11-0, libdbus-1-3, libx11-xcb1, libxcb-icccm4, libxcb-keysyms1, libxcb-image0, libxcb-render-util0, libxcb-shape0, libxcb-randr0, libxcb-xkb1
Maintainer: Kaoping <kaoping@localhost>
Description: 考评 — 法治建设考核评分系统 (law-based government assessment)
 Indicator systems, scoring, ranking, official documents (GB/T 9704) and the
 rectification ledger, offline, on one local SQLite file. Bundles its own Python,
 Qt and fonts (licences in /usr/share/doc/kaoping).
CONTROL
mkdir -p dist
dpkg-deb --root-owner-group -Zxz --build "$DEB_ROOT" "$OUT" >/dev/null
echo "已生成 $OUT（$(du -h "$OUT" | cut -f1)，安装后 $((SIZE / 1024)) MB，用时 $(( $(date +%s) - started )) 秒）"
