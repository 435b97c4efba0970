"""The office's seal (印章): a PNG kept with the document settings, placed over the signature of
every notice issued after it was set, refused when it is not a PNG, and logged by fingerprint."""

from __future__ import annotations

import io
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image

from app.demo.build import DEMO_ROUND
from app.errors import UserError
from app.models.opening import open_database
from app.services.access.audit import list_changes
from app.services.publishing.notices import RECTIFICATION, issue_notices
from app.services.publishing.office_settings import (
    load_document_settings,
    save_document_settings,
    seal_from_file,
)
from app.services.review.findings import round_findings


def red_seal(path: Path) -> Path:
    image = Image.new("RGBA", (200, 200), (0, 0, 0, 0))
    for x in range(200):
        for y in range(200):
            if 80**2 <= (x - 100) ** 2 + (y - 100) ** 2 <= 95**2:
                image.putpixel((x, y), (220, 0, 0, 255))
    image.save(path, "PNG")
    return path


@pytest.fixture
def demo(demo_db_file: Path, tmp_path: Path):
    shutil.copy(demo_db_file, tmp_path / "demo.db")
    db = open_database(tmp_path / "demo.db")
    yield db
    db.dispose()


def test_a_seal_is_kept_and_placed_on_notices(demo, tmp_path: Path) -> None:
    _, findings = round_findings(demo, DEMO_ROUND)
    unit = next(f.unit for f in findings if f.findings)
    (before,) = issue_notices(
        demo, DEMO_ROUND, RECTIFICATION, tmp_path / "a", units=[unit], issued_on=date(2026, 2, 1)
    )
    settings = replace(
        load_document_settings(demo), seal_png=seal_from_file(red_seal(tmp_path / "印章.png"))
    )
    save_document_settings(demo, settings)
    assert load_document_settings(demo).seal_bytes() == (tmp_path / "印章.png").read_bytes()
    (after,) = issue_notices(
        demo, DEMO_ROUND, RECTIFICATION, tmp_path / "b", units=[unit], issued_on=date(2026, 2, 1)
    )
    with pdfplumber.open(before.path) as pdf:
        assert sum(len(p.images) for p in pdf.pages) == 0
    with pdfplumber.open(after.path) as pdf:
        images = [(p.page_number, i) for p in pdf.pages for i in p.images]
        assert len(images) == 1
        _, image = images[0]
        assert image["x1"] - image["x0"] == pytest.approx(42 / 25.4 * 72, abs=1)  # 42 mm
    logged = [c for c in list_changes(demo) if c.entity == "文书设置"][-1]
    assert "sha256:" in logged.new["seal_png"]
    assert len(str(logged.new)) < 4000  # the image itself is not copied into the log


def test_only_a_png_is_accepted(tmp_path: Path) -> None:
    jpeg = tmp_path / "印章.jpg"
    Image.new("RGB", (10, 10)).save(jpeg, "JPEG")
    with pytest.raises(UserError, match="PNG"):
        seal_from_file(jpeg)
    with pytest.raises(UserError, match="无法读取"):
        seal_from_file(tmp_path / "没有.png")
    buffer = io.BytesIO()
    Image.new("RGBA", (4, 4)).save(buffer, "PNG")
    (tmp_path / "ok.png").write_bytes(buffer.getvalue())
    assert seal_from_file(tmp_path / "ok.png")
