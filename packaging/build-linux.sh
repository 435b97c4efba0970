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
    _internal/resources/templates/index.json _internal/resources/demo/units.toml \
    _internal/resources/demo/law_government.toml _internal/resources/demo/demonstration.toml \
    _internal/resources/manual/index.html _internal/resources/manual/images/results.png; do
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

# Its own glibc, so it runs on older 信创 desktops too (UOS 20: glibc 2.28, Kylin V10: 2.31):
# the launchers' program interpreter is the bundled ld.so, their DT_RPATH the bundled glibc
# folder, and every glibc library is loaded at start, so nothing later mixes in the system's.
# The folder is not on LD_LIBRARY_PATH, so programs Kaoping starts (a PDF viewer) use their own.
GLIBC_DIR=/opt/kaoping/glibc
GLIBC_LIBS=(libc.so.6 libm.so.6 libmvec.so.1 libpthread.so.0 libdl.so.2 librt.so.1 libutil.so.1
    libresolv.so.2 libanl.so.1)
mkdir -p "$DEB_ROOT$GLIBC_DIR"
for lib in ld-linux-x86-64.so.2 "${GLIBC_LIBS[@]}"; do
    cp -L "/lib/x86_64-linux-gnu/$lib" "$DEB_ROOT$GLIBC_DIR/$lib"
done
cp /usr/share/doc/libc6/copyright "$DEB_ROOT/usr/share/doc/kaoping/glibc-copyright"
command -v patchelf >/dev/null || { echo "需要 patchelf：apt-get install patchelf" >&2; exit 1; }
for launcher in kaoping kaopingw; do  # one change per patchelf call (combined, it garbles them)
    target=$DEB_ROOT/opt/kaoping/$launcher
    patchelf --set-interpreter "$GLIBC_DIR/ld-linux-x86-64.so.2" "$target"
    patchelf --force-rpath --set-rpath "$GLIBC_DIR" "$target"
    for lib in "${GLIBC_LIBS[@]}"; do
        patchelf --print-needed "$target" | grep -x "$lib" >/dev/null || patchelf --add-needed "$lib" "$target"
    done
    [ "$(patchelf --print-rpath "$target")" = "$GLIBC_DIR" ] \
        && [ "$(patchelf --print-interpreter "$target")" = "$GLIBC_DIR/ld-linux-x86-64.so.2" ] \
        || { echo "构建失败：$launcher 的解释器或 RPATH 不对" >&2; exit 1; }
done
BUNDLED_GLIBC=$(getconf GNU_LIBC_VERSION | cut -d" " -f2)
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
# The newest glibc symbol version any bundled binary asks for must be in the bundled glibc.
GLIBC=$(find "$APP" -type f \( -name "*.so*" -o -name kaoping -o -name kaopingw \) -print0 \
    | xargs -0 objdump -T 2>/dev/null | grep -o "GLIBC_[0-9.]*" | sed 's/GLIBC_//' | sort -uV | tail -1 || true)
[ -n "$GLIBC" ] || { echo "构建失败：读不出所需的 glibc 版本（需要 objdump：apt-get install binutils）" >&2; exit 1; }
if [ "$(printf '%s\n' "$GLIBC" "$BUNDLED_GLIBC" | sort -V | tail -1)" != "$BUNDLED_GLIBC" ]; then
    echo "构建失败：程序需要 glibc $GLIBC，自带的是 $BUNDLED_GLIBC" >&2; exit 1
fi
cat > "$DEB_ROOT/DEBIAN/control" <<CONTROL
Package: kaoping
Version: $VERSION
Section: misc
Priority: optional
Architecture: amd64
Installed-Size: $SIZE
Depends: libc6, libfontconfig1, libfreetype6, libgl1, libegl1, libxkbcommon0, libxkbcommon-x11-0, libdbus-1-3, libx11-xcb1, libxcb-icccm4, libxcb-keysyms1, libxcb-image0, libxcb-render-util0, libxcb-shape0, libxcb-randr0, libxcb-xkb1
Maintainer: Kaoping <kaoping@localhost>
Description: 考评 — 法治建设考核评分系统 (law-based government assessment)
 Indicator systems, scoring, ranking, official documents (GB/T 9704) and the
 rectification ledger, offline, on one local SQLite file. Bundles its own Python,
 Qt and fonts (licences in /usr/share/doc/kaoping).
CONTROL
mkdir -p dist
dpkg-deb --root-owner-group -Zxz --build "$DEB_ROOT" "$OUT" >/dev/null
echo "已生成 $OUT（$(du -h "$OUT" | cut -f1)，安装后 $((SIZE / 1024)) MB，用时 $(( $(date +%s) - started )) 秒）"
