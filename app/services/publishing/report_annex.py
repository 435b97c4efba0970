"""The 通报's 附件2 bound apart (分册): every unit's score sheet, each from a new page under its
own title, after a contents table that gives the pages each unit takes; bookmarks by
category and unit, so one unit's sheet can be found and printed on its own."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from app.documents.official.assembly import write_tables
from app.documents.official.dry_run import table_starts
from app.documents.official.model import AttachmentTable
from app.errors import BugError
from app.io.atomic import write_atomically
from app.io.writers.report_input import UnitSheet
from app.services.publishing.sheet_tables import average_rates, sheet_table
from app.services.review.results import RoundResults

ANNEX_TITLE = "各单位得分明细"
ANNEX_LABEL = "附件2"
CONTENTS_HEADER = ("类别", "名次", "单位", "页码")
CONTENTS_NOTE = "各单位按类别、类别内名次排列，每个单位从新的一页起印，可按所列页码单独打印。"


def annex_label(reliability: bool = False) -> str:
    """附件2, or 附件3 when the 通报 carries the 结果可靠性与评分一致性说明 as its 附件2."""
    return "附件3" if reliability else ANNEX_LABEL


def default_annex_path(report: Path, reliability: bool = False) -> Path:
    """Where the 附件 goes when only the 通报's file is named: beside it."""
    return report.with_name(f"{report.stem}-{annex_label(reliability)}-{ANNEX_TITLE}.pdf")


def annex_order(results: RoundResults, sheets: list[UnitSheet]) -> list[UnitSheet]:
    """The sheets in the order of the 通报's ranking tables: by category, then rank."""
    place = {u.unit: index for index, u in enumerate(results.result.units)}
    categories = list(dict.fromkeys(u.category for u in results.result.units))
    return sorted(
        sheets, key=lambda s: (categories.index(s.category), s.category_rank, place[s.unit])
    )


def _contents(sheets: list[UnitSheet], pages: list[str]) -> AttachmentTable:
    rows = [
        (s.category, str(s.category_rank), s.unit, page)
        for s, page in zip(sheets, pages, strict=True)
    ]
    return AttachmentTable(ANNEX_TITLE, CONTENTS_HEADER, (40, 16, 72, 28), rows, note=CONTENTS_NOTE)


def _volume(
    results: RoundResults, sheets: list[UnitSheet], label: str = ANNEX_LABEL
) -> tuple[list[UnitSheet], list[AttachmentTable], list[int]]:
    """The sheets in order, the volume's tables (contents first) and where each starts: the
    contents is laid out with room for the page numbers, then filled in."""
    ordered = annex_order(results, sheets)
    average = average_rates(sheets, results.area_names)
    tables = [sheet_table(s, results.area_names, average) for s in ordered]
    room = "9999—9999"  # as wide as any page range the contents will give
    contents = _contents(ordered, [room] * len(ordered))
    starts = table_starts([contents, *tables], ANNEX_TITLE, label)
    ranges = [
        f"{first}—{next_one - 1}" if next_one - 1 > first else str(first)
        for first, next_one in zip(starts[1:-1], [*starts[2:-1], starts[-1] + 1], strict=True)
    ]
    contents = replace(contents, rows=_contents(ordered, ranges).rows)
    return ordered, [contents, *tables], starts


def annex_pages(results: RoundResults, sheets: list[UnitSheet]) -> int:
    """How many pages the 附件 will have (0: no unit, no 附件)."""
    return _volume(results, sheets)[2][-1] if sheets else 0


WORD_CONTENTS_NOTE = (
    "各单位按类别、类别内名次排列，每个单位从新的一页起。Word 文件按本机字体重新分页，"
    "页码以打印时为准：可在 Word/WPS 的导航窗格中按单位名称查找。"
)


def write_annex_docx(
    path: Path, results: RoundResults, sheets: list[UnitSheet], code: str, label: str = ANNEX_LABEL
) -> Path:
    """The 附件 as an editable .docx: the same sheets in the same order, each from a new page
    with its title in the navigation pane (the PDF's bookmarks); its contents leave out the
    pages, which Word and WPS set by the faces on the PC (the PDF's are not theirs)."""
    from app.documents.word.writer import write_tables_docx

    ordered = annex_order(results, sheets)
    average = average_rates(sheets, results.area_names)
    contents = AttachmentTable(
        ANNEX_TITLE,
        CONTENTS_HEADER[:3],
        (48, 20, 88),
        [(s.category, str(s.category_rank), s.unit) for s in ordered],
        note=WORD_CONTENTS_NOTE,
    )
    tables = [contents, *(sheet_table(s, results.area_names, average) for s in ordered)]
    title = f"{results.round_name}{ANNEX_TITLE}"
    return write_atomically(
        path, lambda target: write_tables_docx(target, tables, title, code, label)
    )


def write_annex(
    path: Path, results: RoundResults, sheets: list[UnitSheet], code: str, label: str = ANNEX_LABEL
) -> int:
    """The 附件 as one PDF, a bookmark per unit under its category; returns its page count."""
    ordered, tables, starts = _volume(results, sheets, label)
    outline = [("目录",), *((s.category, s.unit) for s in ordered)]

    def write(target: Path) -> None:
        title = f"{results.round_name}{ANNEX_TITLE}"
        written = write_tables(target, tables, title, code, label, outline)
        if written != starts:  # the contents would name the wrong pages: not kept
            raise BugError(f"附件的页码与目录不符：{written[:5]}… ≠ {starts[:5]}…")

    write_atomically(path, write)
    return starts[-1]
