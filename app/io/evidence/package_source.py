"""A unit's package as it comes back: a .zip (made on Windows or elsewhere) or a folder. Its
entries are listed with their names decoded (a Windows zip without the UTF-8 flag carries GBK
names), and everything that could hurt is refused before a byte is extracted: names that climb
out of the package (``..``, absolute paths, drive letters), links, encrypted entries, more
entries or more bytes than a package may hold, and compression ratios only a zip bomb has.
Reading an entry stops at its declared size, so a forged header cannot outgrow the limits."""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from app.errors import UserError

MAX_ENTRIES = 20000
MAX_RATIO = 100  # uncompressed / compressed; documents and scans stay far below
RATIO_FLOOR = 1024 * 1024  # small entries may compress well (text, blank forms)
JUNK = ("__MACOSX", ".DS_Store", "Thumbs.db", "desktop.ini")
READ = 1024 * 1024


class PackageRefused(UserError):
    """The package as a whole cannot be read safely; nothing of it was stored."""

    def __init__(self, where: str, problems: list[str]) -> None:
        self.where = where
        self.problems = problems
        super().__init__(f"材料包 {where} 不能导入：\n" + "\n".join(f"  {p}" for p in problems))


class EntryTooLarge(UserError):
    """An entry gave more bytes than it declared or than the limit allows."""


@dataclass(frozen=True)
class Entry:
    """A file in the package: its path inside it (decoded), its declared size, how to read it."""

    parts: tuple[str, ...]
    size: int
    opener: Callable[[], BinaryIO]

    @property
    def name(self) -> str:
        return self.parts[-1]

    @property
    def path(self) -> str:
        return "/".join(self.parts)


def decode_zip_name(info: zipfile.ZipInfo) -> str:
    """The entry's name as the unit saw it: UTF-8 when flagged; otherwise the bytes the zip
    holds (zipfile decoded them as cp437) read as UTF-8 when they are, else as GBK (GB18030),
    which is what Windows' own 压缩 and most Chinese tools write."""
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437")
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def _parts(name: str) -> tuple[tuple[str, ...], str | None]:
    """The path's parts, or why the name is refused (climbing out, absolute, a drive)."""
    text = name.replace("\\", "/")
    if text.startswith("/") or (len(text) > 1 and text[1] == ":"):
        return (), f"“{name}”是绝对路径"
    parts = tuple(p for p in PurePosixPath(text).parts if p not in ("", "."))
    if any(p == ".." for p in parts):
        return (), f"“{name}”含有“..”，会写到材料包之外"
    if any(any(ord(c) < 32 for c in p) for p in parts):
        return (), f"“{name!r}”含有控制字符"
    return parts, None


def _junk(parts: tuple[str, ...]) -> bool:
    return any(p in JUNK or p.startswith("~$") or p.startswith("._") for p in parts)


class _Limited:
    """A stream that refuses to give more than ``limit`` bytes (a header that lied)."""

    def __init__(self, stream: BinaryIO, limit: int, name: str) -> None:
        self.stream, self.limit, self.name, self.given = stream, limit, name, 0

    def read(self, size: int = -1) -> bytes:
        block = self.stream.read(READ if size < 0 else size)
        self.given += len(block)
        if self.given > self.limit:
            raise EntryTooLarge(f"“{self.name}”解压后超过其声明的大小（疑为压缩炸弹）")
        return block

    def close(self) -> None:
        self.stream.close()


@contextlib.contextmanager
def open_package(path: Path, max_total: int) -> Iterator[list[Entry]]:
    """The package's files (junk such as __MACOSX and ~$ lock files left out); a package that
    cannot be read safely is refused whole (PackageRefused) with every reason found."""
    if path.is_dir():
        yield _folder_entries(path, max_total)
        return
    if not path.is_file():
        raise PackageRefused(str(path), ["文件或文件夹不存在"])
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise PackageRefused(path.name, [f"不是有效的 zip 压缩包（{exc}）"]) from None
    with archive:
        yield _zip_entries(archive, path.name, max_total)


def _zip_entries(archive: zipfile.ZipFile, where: str, max_total: int) -> list[Entry]:
    infos = archive.infolist()
    problems: list[str] = []
    if len(infos) > MAX_ENTRIES:
        raise PackageRefused(where, [f"包内有 {len(infos)} 个文件，超过上限 {MAX_ENTRIES}"])
    entries: list[Entry] = []
    total = 0
    for info in infos:
        name = decode_zip_name(info)
        parts, problem = _parts(name)
        if problem:
            problems.append(f"文件名不安全：{problem}")
            continue
        if info.is_dir() or not parts or _junk(parts):
            continue
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            problems.append(f"“{name}”是链接，不是文件")
            continue
        if info.flag_bits & 0x1:
            problems.append(f"“{name}”已加密，无法检查其内容")
            continue
        total += info.file_size
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            problems.append(
                f"“{name}”压缩比异常（{info.compress_size} 字节解压为 {info.file_size} 字节），"
                "疑为压缩炸弹"
            )
            continue

        def opener(info: zipfile.ZipInfo = info, name: str = name) -> BinaryIO:
            return _Limited(archive.open(info), info.file_size, name)  # type: ignore[return-value]

        entries.append(Entry(parts, info.file_size, opener))
    if total > max_total:
        problems.append(
            f"解压后共 {total / 1024 / 1024:.1f} MB，超过每个材料包的上限 "
            f"{max_total / 1024 / 1024:.0f} MB"
        )
    if problems:
        raise PackageRefused(where, problems)
    return entries


def _folder_entries(root: Path, max_total: int) -> list[Entry]:
    problems: list[str] = []
    entries: list[Entry] = []
    total = 0
    for folder, directories, files in os.walk(root, followlinks=False):
        here = Path(folder)
        for directory in list(directories):
            if (here / directory).is_symlink():
                problems.append(f"“{(here / directory).relative_to(root)}”是链接，不是文件夹")
                directories.remove(directory)
        for file in files:
            full = here / file
            parts = full.relative_to(root).parts
            if _junk(parts):
                continue
            if full.is_symlink() or not full.is_file():
                problems.append(f"“{'/'.join(parts)}”是链接或特殊文件，不是普通文件")
                continue
            size = full.stat().st_size
            total += size
            entries.append(Entry(parts, size, lambda full=full: full.open("rb")))
            if len(entries) > MAX_ENTRIES:
                raise PackageRefused(str(root), [f"文件夹内超过 {MAX_ENTRIES} 个文件"])
    if total > max_total:
        problems.append(
            f"共 {total / 1024 / 1024:.1f} MB，"
            f"超过每个材料包的上限 {max_total / 1024 / 1024:.0f} MB"
        )
    if problems:
        raise PackageRefused(str(root), problems)
    return sorted(entries, key=lambda e: e.parts)


def strip_common_folder(entries: list[Entry], marker: str) -> list[Entry]:
    """A zip made by right-clicking the package's folder holds everything under that folder:
    when ``marker`` (the workbook) is not at the top but under one folder, that folder goes."""
    if any(e.parts == (marker,) for e in entries):
        return entries
    tops = {e.parts[0] for e in entries if len(e.parts) > 1}
    inside = [e for e in entries if len(e.parts) == 2 and e.parts[1] == marker]
    if len(tops) == 1 and inside and all(len(e.parts) > 1 for e in entries):
        return [Entry(e.parts[1:], e.size, e.opener) for e in entries]
    return entries


@dataclass(frozen=True)
class Staged:
    """An entry copied out to a private file while hashed: nothing is trusted before this."""

    path: Path
    sha256: str
    size: int
    head: bytes


def stage_entry(entry: Entry, folder: Path, max_size: int) -> Staged:
    """Copy the entry to a new file in ``folder``, hashing it; EntryTooLarge past ``max_size``
    (the file is removed). Memory holds one block at a time."""
    digest = hashlib.sha256()
    head = b""
    size = 0
    fd, name = _temporary(folder)
    target = Path(name)
    try:
        with os.fdopen(fd, "wb") as out, contextlib.closing(entry.opener()) as stream:
            while block := stream.read(READ):
                size += len(block)
                if size > max_size:
                    raise EntryTooLarge(
                        f"“{entry.path}”超过单个文件的上限 {max_size / 1024 / 1024:.0f} MB"
                    )
                if len(head) < 4096:
                    head += block[: 4096 - len(head)]
                digest.update(block)
                out.write(block)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return Staged(target, digest.hexdigest(), size, head)


def _temporary(folder: Path) -> tuple[int, str]:
    import tempfile

    return tempfile.mkstemp(prefix=".staged-", suffix=".part", dir=folder)
