"""The templates shipped in resources/templates/ are what their sources in tools/data/ build: a
changed source that was not rebuilt (`python -m tools.build_templates`) fails here. Workbooks
are compared by sheet names, merged ranges and cell values (their zip timestamps differ)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from tools.build_templates import OUT, build_all

Shape = list[tuple[str, list[str], list[tuple[object, ...]]]]


def _shape(path: Path) -> Shape:
    workbook = load_workbook(path)
    return [
        (
            sheet.title,
            sorted(str(merged) for merged in sheet.merged_cells.ranges),
            list(sheet.iter_rows(values_only=True)),
        )
        for sheet in workbook.worksheets
    ]


def test_the_shipped_templates_are_rebuilt_from_their_sources(tmp_path: Path) -> None:
    index = build_all(tmp_path)
    built = sorted(path.name for path in tmp_path.iterdir())
    assert built == sorted(path.name for path in OUT.iterdir())
    assert built == sorted([str(entry["file"]) for entry in index] + ["index.json"])
    assert (tmp_path / "index.json").read_text("utf-8") == (OUT / "index.json").read_text("utf-8")
    for entry in index:
        name = str(entry["file"])
        assert _shape(tmp_path / name) == _shape(OUT / name), name
