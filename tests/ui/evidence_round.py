"""A small round whose units return packages with files the panel can draw: a real PDF (made
with reportlab, two pages), a real PNG, an Excel workbook (which only the system's viewer
opens)."""

from __future__ import annotations

import io
from pathlib import Path

from app.models.database import Database
from app.services.evidence.package_export import export_packages
from app.services.evidence.package_import import import_package
from tests import evidence_packages as unit
from tests.small_round import ROUND, build_small_round

UNITS = ["市民政局", "市教育局", "市财政局"]


def real_pdf(title: str, pages: int = 2) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    drawing = canvas.Canvas(out, pagesize=A4)
    for page in range(1, pages + 1):
        drawing.setFont("Helvetica-Bold", 28)
        drawing.drawString(72, 760, f"{title} - page {page}")
        drawing.rect(72, 300, 450, 400)
        drawing.showPage()
    drawing.save()
    return out.getvalue()


def real_png(width: int = 320, height: int = 200) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 200)).save(out, "PNG")
    return out.getvalue()


def excel_workbook() -> bytes:
    from openpyxl import Workbook

    out = io.BytesIO()
    book = Workbook()
    book.active.append(["会议", "日期"])
    book.save(out)
    return out.getvalue()


def returned_package(
    db: Database,
    folder: Path,
    name: str,
    scores: dict[str, tuple[object, str]],
    files: dict[str, dict[str, bytes]],
) -> Path:
    """The unit's package as it comes back: self-scores filled in, files in leaf folders."""
    (package,) = export_packages(db, ROUND, folder / f"out-{name}", [name])
    top = unit.unpack(package.path, folder / f"unpacked-{name}")
    unit.fill(top, scores)
    for code, named in files.items():
        for file_name, content in named.items():
            unit.put(top, code, file_name, content)
    return unit.zip_folder(top, folder / f"{name}.zip")


def evidence_year(db: Database, folder: Path) -> Database:
    """市民政局 has sent its package: 1.1.1 a PDF and a photo (self-score 8), 2.1.1 an Excel
    workbook; the other units nothing yet."""
    build_small_round(db, folder, UNITS)
    package = returned_package(
        db,
        folder,
        "市民政局",
        {"1.1.1": (8, "已建立制度并公开"), "2.1.1": (5, "")},
        {
            "1.1.1": {"权责清单.pdf": real_pdf("Quanze qingdan"), "公示照片.png": real_png()},
            "2.1.1": {"会议台账.xlsx": excel_workbook()},
        },
    )
    import_package(db, ROUND, package)
    return db
