"""A sample of an office's Word template (registered, or being looked at before it is):
filled for the first unit with findings in a round, as that unit's notice would be (not
numbered, not stored), or with Kaoping's own example when there is no round with findings
yet, so a template can be tried on the first day. Returns the filled text for the window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from app.errors import NotFound, UserError
from app.io.atomic import write_atomically
from app.models.database import Database
from app.services.access.audit import chain_head
from app.services.publishing.notice_wording import RECTIFICATION, build_document
from app.services.publishing.office_settings import load_document_settings
from app.services.review.findings import Finding, UnitFindings

EXAMPLE_UNIT = UnitFindings(
    unit="云州市示例局",
    category="行政执法部门",
    final=Decimal("86.50"),
    grade="良好",
    rank=12,
    category_rank=5,
    bottom=False,
    findings=[
        Finding(
            "1",
            "一、依法全面履行政府职能",
            "1.1.2",
            "行政规范性文件合法性审核",
            Decimal(2),
            Decimal("0.5"),
            "2件规范性文件未按规定报备",
            "市司法局",
        ),
        Finding(
            "3",
            "三、严格规范公正文明执法",
            "3.1.4",
            "行政执法“三项制度”",
            Decimal(3),
            Decimal(1),
            "执法公示栏目信息更新不及时",
            "市司法局",
        ),
    ],
)
EXAMPLE_SOURCE = "示例数据"


@dataclass(frozen=True)
class TemplateSample:
    path: Path
    source: str  # whose data filled it: "批次 · 单位", or 示例数据
    lines: list[str]  # the filled document's text, as a reader sees it


def _unit_for_sample(db: Database, round_name: str) -> tuple[UnitFindings, str, int]:
    """The round's first unit with open findings, else the example (a new database, a round
    without deductions)."""
    from app.services.publishing.notice_findings import open_findings
    from app.services.review.findings import round_findings
    from app.services.rounds.definition import find_round

    if round_name:
        try:
            _results, findings = round_findings(db, round_name)
            units = [f for f in open_findings(db, round_name, findings).units if f.findings]
            with db.reading() as session:
                year = find_round(session, round_name).year
        except UserError:  # not computable yet (no tree, no units): the example will do
            units = []
        if units:
            return units[0], f"{round_name} · {units[0].unit}", year
    return EXAMPLE_UNIT, EXAMPLE_SOURCE, date.today().year - 1


def _report_values(db: Database, round_name: str) -> dict[str, object]:
    """The round's 通报 as its template's values (its charts are not a template's)."""
    from app.documents.word.office_template import report_values
    from app.services.publishing.reports import build_report, score_sheets

    if not round_name:
        raise UserError("通报模板的样例用考核批次的结果填写：请先选择考核批次")
    settings = load_document_settings(db)
    results, sheets = score_sheets(db, round_name)
    with db.reading() as session:
        code = chain_head(session)
    number = f"{settings.rectification_prefix}〔{date.today().year}〕（样例）号"
    document = build_report(
        results,
        sheets,
        settings.office_name,
        settings.file_mark,
        number,
        date.today(),
        code,
        drawn=False,  # the charts are named in 附件说明, not placed by a template
    )
    return report_values(document)


def sample(
    db: Database, kind: str, round_name: str, out: Path, template: bytes | None = None
) -> TemplateSample:
    """``template`` (else the one registered for ``kind``) filled as a notice (or the round's
    通报) would fill it."""
    from app.documents.word.office_template import document_values, fill_template
    from app.documents.word.read_back import docx_lines
    from app.services.publishing.word_templates import REPORT_KIND, template_for

    if template is None:
        registered = template_for(db, kind)
        if registered is None:
            raise NotFound(f"尚未登记“{kind}”的 Word 模板")
        template = registered.data
    if kind == REPORT_KIND:
        data = fill_template(template, _report_values(db, round_name))
        path = write_atomically(out, lambda temporary: temporary.write_bytes(data))
        return TemplateSample(path, round_name, docx_lines(data))
    found, source, year = _unit_for_sample(db, round_name)
    settings = load_document_settings(db)
    with db.reading() as session:
        code = chain_head(session)
    prefix = settings.rectification_prefix if kind == RECTIFICATION else settings.supervision_prefix
    number = f"{prefix}〔{date.today().year}〕（样例）号"
    shown = round_name or "年度法治建设考核"
    document = build_document(kind, found, shown, year, settings, number, date.today(), code)
    data = fill_template(template, document_values(document))
    path = write_atomically(out, lambda temporary: temporary.write_bytes(data))
    return TemplateSample(path, source, docx_lines(data))
