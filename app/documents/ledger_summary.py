"""The ledger's statistics as a short PDF for the annual report: the summary sentence, the
views as tables, and two charts (problems by unit; found and closed by month). Drawn with
matplotlib in Chinese, fonts embedded as TrueType."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from app.documents.charts import pyplot
from app.io.atomic import write_atomically

A4_INCHES = (8.27, 11.69)
ROWS_PER_PAGE = 34


@dataclass
class Tally:
    found: int = 0
    closed: int = 0
    overdue: int = 0

    @property
    def rate(self) -> float:
        return self.closed / self.found if self.found else 0.0

    @property
    def rate_text(self) -> str:
        return f"{self.rate:.1%}"


@dataclass
class LedgerReport:
    today: date
    total: Tally = field(default_factory=Tally)
    by_unit: dict[str, Tally] = field(default_factory=dict)
    by_source: dict[str, Tally] = field(default_factory=dict)
    by_area: dict[str, Tally] = field(default_factory=dict)
    by_month: dict[str, Tally] = field(default_factory=dict)  # "2026-03": found / closed then
    by_status: dict[str, int] = field(default_factory=dict)  # every status, in the flow's order

    def sentence(self) -> str:
        t = self.total
        return (
            f"截至{self.today.year}年{self.today.month}月{self.today.day}日，共发现问题{t.found}个，"
            f"已整改销号{t.closed}个，整改率{t.rate_text}，逾期未整改{t.overdue}个。"
        )


def _table_page(
    plt: Any, title: str, head: tuple[str, ...], rows: list[list[str]], lead: str = ""
) -> Any:
    figure = plt.figure(figsize=A4_INCHES)
    figure.suptitle(title, fontsize=14, y=0.96)
    if lead:
        figure.text(0.5, 0.91, lead, ha="center", fontsize=10, wrap=True)
    axes = figure.add_axes((0.08, 0.06, 0.84, 0.82 if lead else 0.86))
    axes.axis("off")
    if rows:
        table = axes.table(cellText=rows, colLabels=head, loc="upper center", cellLoc="center")
        table.auto_set_font_size(False)
        table.set_fontsize(9)
        table.scale(1, 1.35)
    else:
        axes.text(0.5, 0.9, "（无）", ha="center")
    return figure


def _tally_rows(table: dict[str, Tally]) -> list[list[str]]:
    return [[k, str(t.found), str(t.closed), t.rate_text, str(t.overdue)] for k, t in table.items()]


def charts_figure(plt: Any, report: LedgerReport) -> Any:
    """Problems by unit (the 20 with most) and found/closed by month, on one A4 page."""
    figure, (top, bottom) = plt.subplots(2, 1, figsize=A4_INCHES)
    units = list(report.by_unit.items())[:20]
    names = [u.replace("云州市", "")[:10] for u, _ in units][::-1]
    top.barh(names, [t.found for _, t in units][::-1], color="#90caf9", label="发现")
    top.barh(names, [t.closed for _, t in units][::-1], color="#1565c0", label="已销号")
    top.set_title("问题最多的单位（前 20）")
    top.tick_params(axis="y", labelsize=7)
    top.legend(loc="lower right", fontsize=8)
    months = list(report.by_month)
    bottom.plot(months, [report.by_month[m].found for m in months], marker="o", label="当月发现")
    bottom.plot(months, [report.by_month[m].closed for m in months], marker="s", label="当月销号")
    bottom.set_title("按月份")
    bottom.tick_params(axis="x", labelrotation=45, labelsize=7)
    bottom.legend(fontsize=8)
    figure.tight_layout(pad=2.0)
    return figure


@dataclass(frozen=True)
class SummarySection:
    """One table of the summary, as both the PDF and the .docx print it."""

    title: str
    header: tuple[str, ...]
    rows: list[list[str]]
    lead: str = ""


def summary_sections(report: LedgerReport) -> list[SummarySection]:
    """The summary's tables in order: the totals (under the sentence), by source, by area,
    by unit. The PDF pages and the Word tables are both made from these."""
    head = ("发现问题", "已销号", "整改率", "逾期")
    sections = [
        SummarySection(
            "整改台账统计",
            ("项目", "数量"),
            [
                ["发现问题", str(report.total.found)],
                ["已整改销号", str(report.total.closed)],
                ["整改率", report.total.rate_text],
                ["逾期未整改", str(report.total.overdue)],
            ],
            report.sentence(),
        )
    ]
    for title, table in (("按来源", report.by_source), ("按领域", report.by_area)):
        sections.append(
            SummarySection(f"整改台账统计 — {title}", (title[1:], *head), _tally_rows(table))
        )
    sections.append(
        SummarySection("整改台账统计 — 按单位", ("责任单位", *head), _tally_rows(report.by_unit))
    )
    return sections


def write_summary_pdf(path: Path, report: LedgerReport) -> Path:
    plt = pyplot()
    from matplotlib import rcParams
    from matplotlib.backends.backend_pdf import PdfPages

    rcParams["pdf.fonttype"] = 42  # TrueType, embedded (subset) — never boxes on another PC
    pages = []
    for section in summary_sections(report):
        for start in range(0, max(len(section.rows), 1), ROWS_PER_PAGE):
            rows = section.rows[start : start + ROWS_PER_PAGE]
            pages.append(_table_page(plt, section.title, section.header, rows, section.lead))
    pages.append(charts_figure(plt, report))

    def write(target: Path) -> None:
        with PdfPages(target) as pdf:
            for figure in pages:
                pdf.savefig(figure)
                plt.close(figure)

    return write_atomically(path, write)


def write_summary_docx(path: Path, report: LedgerReport) -> Path:
    """The same tables and charts as an editable .docx on the official grid."""
    from app.documents.charts import figure_pdf
    from app.documents.official.model import AttachmentTable, ChartAttachment
    from app.documents.word.writer import write_tables_docx

    items: list[AttachmentTable | ChartAttachment] = []
    for section in summary_sections(report):
        count = len(section.header)
        widths = (156 / count,) * count if count > 2 else (100.0, 56.0)
        rows = [tuple(row) for row in section.rows]
        items.append(
            AttachmentTable(section.title, section.header, widths, rows, note=section.lead)
        )
    figure = charts_figure(pyplot(), report)
    items.append(ChartAttachment("整改台账统计 — 图表", figure_pdf(figure)))
    return write_atomically(path, lambda t: write_tables_docx(t, items, "整改台账统计"))
