"""Build the office's workbooks in tests, the way a clerk would lay them out."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook


def write_sheet(
    path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]], title: str | None = None
) -> Path:
    """One sheet; an optional merged title row above the header, as offices do."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Sheet1"
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


UNITS_HEADER = ("序号", "单位名称", "单位类别", "简称")
FRAMEWORK_HEADER = (
    "一级指标",
    "二级指标",
    "三级指标",
    "分值",
    "评分方式",
    "评分参数",
    "评分标准",
    "适用类别",
)
SCORES_HEADER = (
    "单位名称",
    "指标编码",
    "评分人",
    "扣分",
    "得分",
    "实际值",
    "不适用",
    "否决",
    "扣分理由",
)


def small_units(path: Path) -> Path:
    return write_sheet(
        path,
        UNITS_HEADER,
        [
            (1, "市司法局", "执法部门", "司法局"),
            (2, "市公安局", "执法部门", "公安局"),
            (3, "市财政局", "综合部门", "财政局"),
            (4, "市档案馆", "综合部门", "档案馆"),
        ],
        title="2025年度考核对象名单",
    )


def small_framework(path: Path) -> Path:
    """Two areas, 10 points each, every method, a bonus and a veto leaf."""
    return write_sheet(
        path,
        FRAMEWORK_HEADER,
        [
            (
                "依法履职",
                "制度建设",
                "制度文件",
                4,
                "扣分",
                "每项0.5",
                "每发现一例扣0.5分，扣完为止",
                None,
            ),
            (None, None, "法律顾问", 2, "是否", None, "未建立不得分", None),
            (None, "执法监督", "执法案卷", 4, "得分", None, "按质量评分", "执法部门"),
            (
                "依法决策",
                "决策程序",
                "合法性审查率",
                6,
                "分档",
                "≥100%:1；≥95%:0.8；≥90%:0.5",
                None,
                None,
            ),
            (None, None, "公众参与", 4, "扣分", None, "扣5-10分", None),
            ("附加", "加分项", "经验推广", 2, "加分", None, None, None),
            (None, "否决项", "重大违法", 0, "否决", None, None, None),
        ],
    )


def small_scores(path: Path, rows: Sequence[Sequence[Any]]) -> Path:
    return write_sheet(path, SCORES_HEADER, rows)


def many_rows(path: Path, header: Sequence[str], row: Sequence[Any], count: int) -> Path:
    """A real .xlsx of ``count`` copies of ``row`` under ``header``, its sheet XML streamed
    straight into the zip: a million rows in about a second, where openpyxl takes minutes."""
    import zipfile
    from xml.sax.saxutils import escape

    def cells(values: Sequence[Any]) -> str:
        return "".join(
            "<c/>"
            if v is None
            else f"<c><v>{v}</v></c>"
            if isinstance(v, (int, float))
            else f'<c t="inlineStr"><is><t>{escape(str(v))}</t></is></c>'
            for v in values
        )

    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    types = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{types}.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            f'ContentType="{types}.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{package}"><Relationship Id="rId1" '
            f'Type="{relationships}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{main}" xmlns:r="{relationships}"><sheets>'
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{package}"><Relationship Id="rId1" '
            f'Type="{relationships}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(f'<worksheet xmlns="{main}"><sheetData>'.encode())
            sheet.write(f"<row>{cells(header)}</row>".encode())
            block = f"<row>{cells(row)}</row>" * 1000
            for _ in range(count // 1000):
                sheet.write(block.encode())
            sheet.write((f"<row>{cells(row)}</row>" * (count % 1000)).encode())
            sheet.write(b"</sheetData></worksheet>")
    return path


def write_area_one_deductions(db_file: Path, path: Path) -> Path:
    """A long scores import for kill tests: every unit x every area-1 扣分 leaf of the demo
    gets a new deduction from one assessor (14,880 rows)."""
    import sqlite3

    connection = sqlite3.connect(db_file)
    try:
        units = [r[0] for r in connection.execute("SELECT name FROM units ORDER BY id")]
        leaves = [
            r[0]
            for r in connection.execute(
                "SELECT code FROM round_nodes WHERE method = '扣分' AND code LIKE '1.%.%'"
            )
        ]
    finally:
        connection.close()
    rows = [
        (u, code, "人大法工委考核组", 0.5, None, None, None, None, "抽查发现问题")
        for u in units
        for code in leaves
    ]
    return write_sheet(path, SCORES_HEADER, rows)
