"""The Windows build's DLL check on a small sample: pip's own Windows launchers import only
system DLLs and pass; a bundle that imports a DLL nobody ships is named and fails."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pip

ROOT = Path(__file__).resolve().parents[2]
LAUNCHERS = Path(pip.__file__).parent / "_vendor" / "distlib"


def load_check():
    spec = importlib.util.spec_from_file_location(
        "check_dlls", ROOT / "packaging" / "windows" / "check_dlls.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["check_dlls"] = module
    spec.loader.exec_module(module)
    return module


def test_system_dlls_pass_and_a_missing_one_is_named(tmp_path: Path) -> None:
    check = load_check()
    launcher = LAUNCHERS / "w64.exe"
    imported = check.imports_of(launcher)
    assert any(d.lower() == "kernel32.dll" for d in imported)
    assert check.missing_dlls([launcher]) == {}
    assert check.is_system("api-ms-win-crt-runtime-l1-1-0.dll") and check.is_system("ICUUC.DLL")
    assert not check.is_system("Qt6Core.dll")
    # A copy whose import is renamed to a DLL nothing ships: the check must catch it.
    data = bytearray(launcher.read_bytes())
    at = data.lower().find(b"kernel32.dll")
    data[at : at + len(b"kernel32.dll")] = b"kernel99.dll"
    broken = tmp_path / "broken.exe"
    broken.write_bytes(bytes(data))
    assert check.missing_dlls([broken]) == {"kernel99.dll": ["broken.exe"]}
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    shutil.copy(broken, bundle / "app.exe")
    assert check.main(str(bundle)) == 1
    (bundle / "kernel99.dll").write_bytes(launcher.read_bytes())  # now the bundle ships it
    assert check.main(str(bundle)) == 0
