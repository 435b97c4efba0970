"""Which files may be evidence, told by their first bytes as well as their name: a program
renamed to 通知.pdf, an archive inside the package, or a document whose content is not what its
name says is refused with the reason. Allowed: PDF, OFD, images, Word/Excel/WPS, plain text."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePath

PDF, OFD, IMAGE, WORD, EXCEL, WPS, TEXT = "PDF", "OFD", "图片", "Word", "Excel", "WPS", "文本"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc / .xls / .wps / .et (compound file)
ZIP = (b"PK\x03\x04", b"PK\x05\x06")  # .docx / .xlsx / .ofd, and any zip
# What each extension may be: its kind and which contents fit it.
EXTENSIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    ".pdf": (PDF, ("pdf",)),
    ".ofd": (OFD, ("ofd",)),
    ".jpg": (IMAGE, ("jpeg",)),
    ".jpeg": (IMAGE, ("jpeg",)),
    ".png": (IMAGE, ("png",)),
    ".gif": (IMAGE, ("gif",)),
    ".bmp": (IMAGE, ("bmp",)),
    ".tif": (IMAGE, ("tiff",)),
    ".tiff": (IMAGE, ("tiff",)),
    ".webp": (IMAGE, ("webp",)),
    ".doc": (WORD, ("ole",)),
    ".docx": (WORD, ("word",)),
    ".xls": (EXCEL, ("ole",)),
    ".xlsx": (EXCEL, ("excel",)),
    ".wps": (WPS, ("ole", "word")),
    ".et": (WPS, ("ole", "excel")),
    ".dps": (WPS, ("ole", "slides")),
    ".txt": (TEXT, ("text",)),
}
EXECUTABLE_EXTENSIONS = frozenset(
    [
        ".exe",
        ".com",
        ".bat",
        ".cmd",
        ".msi",
        ".scr",
        ".pif",
        ".dll",
        ".sys",
        ".js",
        ".jse",
        ".vbs",
        ".vbe",
        ".wsf",
        ".wsh",
        ".ps1",
        ".psm1",
        ".lnk",
        ".hta",
        ".cpl",
        ".jar",
        ".sh",
        ".py",
        ".reg",
        ".inf",
        ".apk",
        ".elf",
        ".bin",
        ".run",
        ".app",
        ".docm",
        ".xlsm",
        ".pptm",
        ".dotm",
    ]
)
ARCHIVE_EXTENSIONS = frozenset(
    [".zip", ".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".cab", ".iso", ".arj", ".lzh"]
)
ALLOWED_TEXT = "PDF、OFD、图片（jpg/png/gif/bmp/tif/webp）、Word、Excel、WPS、纯文本（txt）"


@dataclass(frozen=True)
class FileCheck:
    """A file's kind when it may be evidence, else the reason it may not."""

    kind: str = ""
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


def _sniff(head: bytes) -> str:
    """What the first bytes say the content is."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith(b"BM"):
        return "bmp"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(OLE):
        return "ole"
    if head.startswith(ZIP):
        return "zip"
    if head.startswith((b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"#!")):
        return "program"
    if head.startswith((b"Rar!", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b", b"BZh", b"\xfd7zXZ")):
        return "archive"
    if head.startswith((b"MSCF", b"ustar")) or head[257:262] == b"ustar":
        return "archive"
    return "other"


def _zip_kind(content: bytes | Path) -> str:
    """A zip container's kind by what it holds: an OOXML document, an OFD, or an archive."""
    source = io.BytesIO(content) if isinstance(content, bytes) else content
    try:
        with zipfile.ZipFile(source) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return "damaged"
    if "OFD.xml" in names:
        return "ofd"
    if "[Content_Types].xml" in names:
        if any(n.startswith("word/") for n in names):
            return "word"
        if any(n.startswith("xl/") for n in names):
            return "excel"
        if any(n.startswith("ppt/") for n in names):
            return "slides"
    return "archive"


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return head.startswith((b"\xff\xfe", b"\xfe\xff"))  # UTF-16 with its mark
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            if encoding == "utf-8" and exc.start >= len(head) - 3:
                return True  # a character cut by the sample's end
    return False


def check_file(name: str, head: bytes, whole: bytes | Path | None = None) -> FileCheck:
    """Whether ``name`` with content starting ``head`` (the first 4 KiB) may be evidence.
    ``whole``: the content (or the file holding it), needed only for a zip container, whose
    entries say whether it is a document or an archive."""
    suffix = PurePath(name).suffix.lower()
    found = _sniff(head)
    if found == "program" or suffix in EXECUTABLE_EXTENSIONS:
        return FileCheck(problem="可执行程序或脚本，不能作为佐证材料")
    if found == "archive" or suffix in ARCHIVE_EXTENSIONS:
        return FileCheck(problem="压缩包不能放在材料包内，请解压后按指标放入文件夹")
    if suffix not in EXTENSIONS:
        return FileCheck(
            problem=f"文件类型 {suffix or '（无扩展名）'} 不允许；允许：{ALLOWED_TEXT}"
        )
    kind, fits = EXTENSIONS[suffix]
    if found == "zip":
        found = _zip_kind(whole) if whole is not None else "archive"
        if found == "archive":
            return FileCheck(problem="实为压缩包（改了扩展名），不能放在材料包内")
        if found == "damaged":
            return FileCheck(problem="文件已损坏，无法识别其内容")
    if found == "other" and "text" in fits and _looks_like_text(head):
        found = "text"
    if found not in fits:
        return FileCheck(
            problem=f"内容与扩展名 {suffix} 不符（文件头不是{kind}文件），可能被改了扩展名"
        )
    return FileCheck(kind=kind)


def needs_whole(head: bytes) -> bool:
    """Whether check_file must see the whole content (a zip container: .docx, .xlsx, .ofd)."""
    return head.startswith(ZIP)
