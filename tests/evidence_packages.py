"""Packages as a unit makes them: the exported zip unpacked, the yellow columns filled in Excel
(the protected sheet's unlocked cells), files dropped into the leaf folders, then zipped again —
by Windows (GBK names, no UTF-8 flag), by another tool, or returned as the folder itself."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from app.io.evidence.package_workbook import DATA_SHEET, WORKBOOK_NAME

PDF = b"%PDF-1.4\n" + b"1 0 obj <<>> endobj\n" * 20 + b"%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00" + b"\x00" * 200


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def pdf(text: str) -> bytes:
    """A distinct small PDF (its text changes its hash)."""
    return PDF + text.encode("utf-8")


def unpack(package: Path, into: Path) -> Path:
    """The package's top folder, unzipped as a unit would."""
    with zipfile.ZipFile(package) as archive:
        archive.extractall(into)
    (top,) = [p for p in into.iterdir() if p.is_dir()]
    return top


def leaf_folder(top: Path, code: str) -> Path:
    (found,) = [p for p in top.iterdir() if p.is_dir() and p.name.split(" ")[0] == code]
    return found


def fill(top: Path, scores: dict[str, tuple[object, str]]) -> None:
    """Write self-scores and notes into the workbook's yellow columns by leaf code."""
    path = top / WORKBOOK_NAME
    workbook = load_workbook(path)
    sheet = workbook[DATA_SHEET]
    for row in sheet.iter_rows():
        code = row[0].value
        if isinstance(code, str) and code in scores:
            row[5].value, row[6].value = scores[code]
    workbook.save(path)


def put(top: Path, code: str, name: str, content: bytes) -> Path:
    target = leaf_folder(top, code) / name
    target.write_bytes(content)
    return target


def zip_folder(top: Path, out: Path, *, gbk: bool = False) -> Path:
    """Zip the folder with its top folder. ``gbk``: as Windows' 发送到 → 压缩文件夹 on a
    Chinese system writes it: names in GBK bytes, the UTF-8 flag not set."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(top.rglob("*")):
            name = path.relative_to(top.parent).as_posix() + ("/" if path.is_dir() else "")
            data = b"" if path.is_dir() else path.read_bytes()
            if gbk:
                raw_zip_entry(archive, name.encode("gbk"), data)
            else:
                archive.writestr(name, data)
    return out


class _RawName(zipfile.ZipInfo):
    """A name written as the given bytes, flag clear (zipfile itself writes UTF-8 and sets
    the flag for any name that is not ASCII)."""

    raw: bytes = b""

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:
        return self.raw, self.flag_bits & ~0x800


def raw_zip_entry(archive: zipfile.ZipFile, raw_name: bytes, data: bytes) -> None:
    """An entry whose name is stored as these bytes without the UTF-8 flag, as Windows writes
    them; zipfile reads such names back as cp437."""
    info = _RawName(raw_name.decode("cp437"))
    info.raw = raw_name
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)


def workbook_bytes(top: Path) -> bytes:
    return (top / WORKBOOK_NAME).read_bytes()


def zip_with(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()
