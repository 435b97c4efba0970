"""The ledger's numbers for the annual report ("发现问题112个，已整改98个，整改率87.5%"): found,
closed, rate and overdue — in all, by status, by unit, by source, by area (for problems from a
round's deductions: the indicator's first-level area) and by month — with the .xlsx and the
PDF. Every count comes from one pass over the problems (ledger_report); the short tally
(LedgerStats) is read off it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select

from app.documents.ledger_summary import LedgerReport, Tally
from app.models import RoundNode, Unit
from app.models.database import Database
from app.models.ledger import CLOSED, STATUSES, Problem, ProblemEvent
from app.services.ledger.problems import is_overdue

NO_AREA = "非考核扣分"


def _area_names(db: Database) -> dict[tuple[int, str], str]:
    """(round, first-level code) -> area name, for the rounds that problems came from."""
    with db.reading() as session:
        rows = session.execute(
            select(RoundNode.round_id, RoundNode.code, RoundNode.name).where(
                RoundNode.parent_id.is_(None)
            )
        ).all()
    return {(round_id, code): name for round_id, code, name in rows}


def _area_of(problem: Problem, areas: dict[tuple[int, str], str]) -> str:
    key = problem.source_key or ""
    if problem.round_id is None or not key.startswith("round:"):
        return NO_AREA
    code = key.split(":")[-1].split(".")[0]
    return areas.get((problem.round_id, code), f"{code}（已删除的批次）")


@dataclass(frozen=True)
class LedgerStats:
    found: int
    closed: int
    overdue: int
    by_status: dict[str, int]
    by_source: dict[str, int]
    by_unit: dict[str, tuple[int, int]]  # unit -> (found, closed)

    @property
    def rate(self) -> float:
        return self.closed / self.found if self.found else 0.0

    @classmethod
    def of(cls, report: LedgerReport) -> LedgerStats:
        """The tally by status, source and unit, from the report's counts (never counted again)."""
        total = report.total
        return cls(
            total.found,
            total.closed,
            total.overdue,
            dict(report.by_status),
            {source: t.found for source, t in report.by_source.items()},
            {unit: (t.found, t.closed) for unit, t in report.by_unit.items()},
        )


def statistics(db: Database, today: date | None = None) -> LedgerStats:
    return LedgerStats.of(ledger_report(db, today))


def ledger_report(db: Database, today: date | None = None) -> LedgerReport:
    day = today or date.today()
    report = LedgerReport(day)
    report.by_status = dict.fromkeys(STATUSES, 0)
    areas = _area_names(db)
    with db.reading() as session:
        problems = session.execute(
            select(Problem, Unit.name).join(Unit, Unit.id == Problem.unit_id).order_by(Problem.id)
        ).all()
        closed_on = dict(
            session.execute(
                select(ProblemEvent.problem_id, ProblemEvent.at)
                .where(ProblemEvent.to_status == CLOSED, ProblemEvent.from_status != CLOSED)
                .order_by(ProblemEvent.id)
            ).all()
        )
        tables = (report.by_unit, report.by_source, report.by_area)
        for problem, unit in problems:
            overdue = is_overdue(problem.status, problem.plan_due, problem.result_due, day)
            closed = problem.status == CLOSED
            for table, key in zip(
                tables, (unit, problem.source, _area_of(problem, areas)), strict=True
            ):
                tally = table.setdefault(key, Tally())
                tally.found += 1
                tally.closed += closed
                tally.overdue += overdue
            report.by_status[problem.status] += 1
            report.total.found += 1
            report.total.closed += closed
            report.total.overdue += overdue
            month = report.by_month.setdefault(f"{problem.found_on:%Y-%m}", Tally())
            month.found += 1
            if closed:
                when = closed_on.get(problem.id)
                closing = f"{when:%Y-%m}" if when else f"{problem.found_on:%Y-%m}"
                report.by_month.setdefault(closing, Tally()).closed += 1
    report.by_month = dict(sorted(report.by_month.items()))
    report.by_unit = dict(sorted(report.by_unit.items(), key=lambda kv: (-kv[1].found, kv[0])))
    return report


def _rows(table: dict[str, Tally]) -> list[tuple[str, int, int, str, int]]:
    return [(k, t.found, t.closed, t.rate_text, t.overdue) for k, t in table.items()]


def export_ledger_report(
    db: Database, path: str | Path, today: date | None = None, report: LedgerReport | None = None
) -> Path:
    """The report as a workbook (``report``: one already counted, e.g. just printed)."""
    from app.io.writers.ledger_stats_writer import write_ledger_report

    report = report if report is not None else ledger_report(db, today)
    sections = {
        "按单位": _rows(report.by_unit),
        "按来源": _rows(report.by_source),
        "按领域": _rows(report.by_area),
        "按月份": [(k, t.found, t.closed, "", 0) for k, t in report.by_month.items()],
    }
    return write_ledger_report(Path(path), report.sentence(), sections)


def ledger_report_pdf(
    db: Database, path: str | Path, today: date | None = None, report: LedgerReport | None = None
) -> Path:
    """The report as a PDF (``report``: one already counted, e.g. just printed)."""
    from app.documents.ledger_summary import write_summary_pdf

    return write_summary_pdf(Path(path), report if report is not None else ledger_report(db, today))


def ledger_report_docx(
    db: Database, path: str | Path, today: date | None = None, report: LedgerReport | None = None
) -> Path:
    """The report as an editable .docx: the PDF's tables and charts on the official grid."""
    from app.documents.ledger_summary import write_summary_docx

    return write_summary_docx(
        Path(path), report if report is not None else ledger_report(db, today)
    )
