"""The 考核结果通报 as an editable Word file on its own (另存为 Word): the same document the
PDF prints — the same 文号 (claimed as the PDF claims it), the same check code, verified first
— made again whenever asked, never stored. The PDF stays the document of record."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.models.database import Database
from app.services.access.audit import chain_head
from app.services.access.permissions import Permission, require
from app.services.access.state_verify import require_verified
from app.services.publishing.document_numbers import claim_report_number
from app.services.publishing.office_settings import load_document_settings
from app.services.rounds.definition import find_round


def write_report_docx(
    db: Database,
    round_name: str,
    out: Path,
    *,
    number: str = "",
    issued_on: date | None = None,
) -> Path:
    """The 通报 (ranking tables and charts) as .docx at ``out``."""
    from app.services.publishing.reports import build_report, score_sheets
    from app.services.publishing.word_copies import editable_copy, office_template
    from app.services.publishing.word_templates import REPORT_KIND

    require(Permission.DOCUMENTS)
    template = office_template(db, REPORT_KIND)  # the office's own 红头, when registered
    settings = load_document_settings(db)
    results, sheets = score_sheets(db, round_name)
    with db.reading() as session:
        round_id = find_round(session, round_name).id
    require_verified(db, "印发带校验码的通报", round_id)
    claim_report_number(db, round_name, number, issued_on)
    with db.reading() as session:
        code = chain_head(session)
    document = build_report(
        results,
        sheets,
        settings.office_name,
        settings.file_mark,
        number,
        issued_on or date.today(),
        code,
        drawn=template is None,  # a template has no place for the charts (named all the same)
    )
    pdf = Path(out).with_suffix(".pdf")  # the copy is named as the PDF beside it would be
    return editable_copy(pdf, [document], document.title, template, report=True)
