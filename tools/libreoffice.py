"""LibreOffice for the tests of the Word documents: a real office suite, headless, standing in
for WPS and Word. Installs it from the distribution when missing (Debian's
libreoffice-writer-nogui, about 20 s), gives it the bundled faces under the Windows names the
documents ask for (the substitution a PC without 仿宋_GB2312 makes), and converts several
.docx files to PDF in one start, since the start is the slow part.

    python -m tools.libreoffice install     # what scripts/bootstrap.sh runs
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

PACKAGES = ("libreoffice-writer-nogui",)
REPOSITORY = Path(__file__).resolve().parents[1]
# The Windows face each role names (app/documents/word/measures.py) and the bundled face that
# stands in for it, as app/documents/fonts.py chooses for the PDF.
STAND_INS = {
    "方正小标宋简体": "AR PL UMing CN",
    "仿宋_GB2312": "AR PL UMing CN",
    "黑体": "WenQuanYi Micro Hei",
    "楷体_GB2312": "AR PL UKai CN",
    "宋体": "AR PL UMing CN",
}


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def install() -> str:
    """soffice's path, installed with apt-get when missing (as root); a clear error else."""
    found = soffice()
    if found:
        return found
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        raise RuntimeError("LibreOffice is not installed: apt-get install libreoffice-writer-nogui")
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=environment)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *PACKAGES],
        check=True,
        env=environment,
        stdout=subprocess.DEVNULL,
    )
    found = soffice()
    if found is None:
        raise RuntimeError("apt-get installed LibreOffice, but soffice is not on PATH")
    return found


def fontconfig_file(folder: Path) -> Path:
    """A fontconfig file: the system's, the bundled faces, and each Windows name mapped to
    its stand-in."""
    rules = "".join(
        f"<match target='pattern'><test name='family'><string>{name}</string></test>"
        f"<edit name='family' mode='assign' binding='strong'><string>{face}</string></edit>"
        "</match>"
        for name, face in STAND_INS.items()
    )
    path = folder / "fonts.conf"
    path.write_text(
        "<?xml version='1.0'?><!DOCTYPE fontconfig SYSTEM 'fonts.dtd'><fontconfig>"
        "<include ignore_missing='yes'>/etc/fonts/fonts.conf</include>"
        f"<dir>{REPOSITORY / 'resources' / 'fonts'}</dir>"
        f"<cachedir>{folder / 'cache'}</cachedir>{rules}</fontconfig>",
        encoding="utf-8",
    )
    return path


def convert(files: Sequence[Path], out_dir: Path, work: Path) -> list[Path]:
    """Each .docx converted to PDF into ``out_dir`` by one headless LibreOffice."""
    program = install()
    work.mkdir(parents=True, exist_ok=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    environment = {
        **os.environ,
        "FONTCONFIG_FILE": str(fontconfig_file(work)),
        "HOME": str(work),
    }
    subprocess.run(
        [
            program,
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{work / 'profile'}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            *map(str, files),
        ],
        check=True,
        env=environment,
        capture_output=True,
        timeout=600,
    )
    converted = [out_dir / f"{Path(f).stem}.pdf" for f in files]
    missing = [p.name for p in converted if not p.is_file()]
    if missing:
        raise RuntimeError(f"LibreOffice did not convert: {', '.join(missing)}")
    return converted


if __name__ == "__main__":
    if sys.argv[1:] == ["install"]:
        print(install())
    else:
        print(__doc__)
        sys.exit(2)
