"""Fail the Windows build when a bundled .exe/.dll/.pyd imports a DLL that neither the bundle nor
Windows 10/11 itself provides (it would fail to start on an office PC, far from here).

    python packaging/windows/check_dlls.py BUNDLE_DIR
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

PE_SUFFIXES = {".exe", ".dll", ".pyd"}
# DLLs every Windows 10/11 installation has (System32), by lower-case name. api-ms-win-* and
# ext-ms-* API sets resolve inside Windows too.
WINDOWS_DLLS = frozenset(
    name.lower()
    for name in """
advapi32 authz bcrypt cfgmgr32 comctl32 comdlg32 crypt32 d2d1 d3d9 d3d11 d3d12 d3dcompiler_47
dbghelp dcomp dnsapi dwmapi dwrite dxgi gdi32 gdiplus glu32 hid icu icuin icuuc imm32 iphlpapi
kernel32 mpr msimg32 msvcrt ncrypt netapi32 normaliz ntdll ole32 oleacc oleaut32 opengl32
powrprof propsys psapi rpcrt4 secur32 setupapi shcore shell32 shlwapi ucrtbase user32 userenv
usp10 uxtheme version winhttp wininet winmm winspool.drv wintrust ws2_32 wtsapi32 mf mfplat
mfreadwrite mfuuid evr dxva2 msvcp_win combase cryptbase sspicli bcryptprimitives
uiautomationcore imagehlp mscms msi cabinet odbc32 dwmapi winmm
""".split()  # noqa: SIM905 - a list as people read it
)


def _name(dll: str) -> str:
    dll = dll.lower()
    return dll[:-4] if dll.endswith(".dll") else dll


def is_system(dll: str) -> bool:
    name = _name(dll)
    return name in WINDOWS_DLLS or name.startswith(("api-ms-win-", "ext-ms-"))


def imports_of(path: Path) -> list[str]:
    import pefile

    pe = pefile.PE(str(path), fast_load=True)
    pe.parse_data_directories(
        directories=[
            pefile.DIRECTORY_ENTRY["IMAGE_DIRECTORY_ENTRY_IMPORT"],
            pefile.DIRECTORY_ENTRY["IMAGE_DIRECTORY_ENTRY_DELAY_IMPORT"],
        ]
    )
    names = [e.dll.decode() for e in getattr(pe, "DIRECTORY_ENTRY_IMPORT", [])]
    names += [e.dll.decode() for e in getattr(pe, "DIRECTORY_ENTRY_DELAY_IMPORT", [])]
    pe.close()
    return names


def missing_dlls(files: Iterable[Path]) -> dict[str, list[str]]:
    """{imported DLL nobody provides: [the files that import it]}."""
    files = [f for f in files if f.suffix.lower() in PE_SUFFIXES]
    bundled = {_name(f.name) for f in files}
    missing: dict[str, list[str]] = {}
    for path in files:
        for dll in imports_of(path):
            if not is_system(dll) and _name(dll) not in bundled:
                missing.setdefault(dll, []).append(path.name)
    return missing


def main(folder: str) -> int:
    files = [p for p in Path(folder).rglob("*") if p.is_file()]
    missing = missing_dlls(files)
    for dll, users in sorted(missing.items()):
        print(f"缺少 {dll}（被 {'、'.join(sorted(users)[:4])} 引用）", file=sys.stderr)
    checked = sum(1 for f in files if f.suffix.lower() in PE_SUFFIXES)
    if missing:
        print(
            f"构建失败：{len(missing)} 个 DLL 既不在安装包里，也不是 Windows 自带的",
            file=sys.stderr,
        )
        return 1
    print(f"DLL 检查通过：{checked} 个 PE 文件")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
