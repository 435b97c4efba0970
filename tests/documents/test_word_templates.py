"""The office's own Word template: registered in 文书设置 with the placeholders it uses,
an unknown placeholder refused by name, a row repeated for each finding, a sample filled with
the demo round's data, and the notices' editable copies filled from it."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from docx import Document

from app.demo.build import DEMO_ROUND
from app.errors import UserError
from app.models.database import Database
from app.models.opening import open_database
from app.services.publishing.notice_findings import open_findings
from app.services.publishing.notices import RECTIFICATION, issue_notices
from app.services.publishing.template_samples import sample
from app.services.publishing.word_templates import list_templates, register_template
from app.services.review.findings import round_findings


def office_template(path: Path, extra: str = "") -> Path:
    """A 红头 as a clerk would make it in Word: fields, body, a table with a repeated row."""
    document = Document()
    document.add_paragraph("云州市全面依法治市委员会办公室文件")
    document.add_paragraph("{{ 文号 }}")
    document.add_paragraph("{{ 标题 }}")
    document.add_paragraph("{{ 主送单位 }}：")
    document.add_paragraph("{{ 正文 }}")
    if extra:
        document.add_paragraph(extra)
    table = document.add_table(rows=4, cols=3)
    for cell, text in zip(table.rows[0].cells, ("指标", "扣分", "理由"), strict=True):
        cell.text = text
    table.rows[1].cells[0].text = "{%tr for 问题 in 问题列表 %}"
    for cell, text in zip(
        table.rows[2].cells, ("{{ 问题.指标 }}", "{{ 问题.扣分 }}", "{{ 问题.理由 }}"), strict=True
    ):
        cell.text = text
    table.rows[3].cells[0].text = "{%tr endfor %}"
    document.add_paragraph("{{ 发文机关 }}　{{ 成文日期 }}　校验码 {{ 校验码 }}")
    document.save(str(path))
    return path


@pytest.fixture
def demo(demo_db_file: Path, tmp_path: Path) -> Database:
    shutil.copy(demo_db_file, tmp_path / "demo.db")
    return open_database(tmp_path / "demo.db")


def test_a_template_lists_its_placeholders_and_fills_a_row_per_finding(
    demo: Database, tmp_path: Path
) -> None:
    register_template(demo, RECTIFICATION, office_template(tmp_path / "红头.docx"))
    (stored,) = list_templates(demo)
    assert set(stored.placeholders) == {
        "文号",
        "标题",
        "主送单位",
        "正文",
        "问题列表",
        "发文机关",
        "成文日期",
        "校验码",
    }
    filled = Document(str(sample(demo, RECTIFICATION, DEMO_ROUND, tmp_path / "样例.docx").path))
    text = "\n".join(p.text for p in filled.paragraphs)
    assert "（样例）号" in text and "{{" not in text and "{%" not in text
    _results, findings = round_findings(demo, DEMO_ROUND)
    first = next(f for f in open_findings(demo, DEMO_ROUND, findings).units if f.findings)
    assert f"{first.unit}：" in text
    rows = filled.tables[0].rows
    assert len(rows) == 1 + len(first.findings)  # the header, then one row per finding
    assert [r.cells[2].text for r in rows[1:]] == [f.reason for f in first.findings]


def test_an_unknown_placeholder_is_refused_by_name(demo: Database, tmp_path: Path) -> None:
    wrong = office_template(tmp_path / "错.docx", "联系人：{{ 联系人 }}，{{ 单位名称 }}")
    with pytest.raises(UserError, match=r"未知的占位符.*\{\{ 单位名称 \}\}、\{\{ 联系人 \}\}"):
        register_template(demo, RECTIFICATION, wrong)
    assert list_templates(demo) == []


def test_issued_notices_get_their_editable_copy_from_the_template(
    demo: Database, tmp_path: Path
) -> None:
    register_template(demo, RECTIFICATION, office_template(tmp_path / "红头.docx"))
    _results, findings = round_findings(demo, DEMO_ROUND)
    unit = next(f.unit for f in open_findings(demo, DEMO_ROUND, findings).units if f.findings)
    (notice,) = issue_notices(
        demo,
        DEMO_ROUND,
        RECTIFICATION,
        tmp_path / "out",
        units=[unit],
        issued_on=date(2026, 1, 31),
        docx=True,
    )
    assert notice.docx == notice.path.with_suffix(".docx")
    text = "\n".join(p.text for p in Document(str(notice.docx)).paragraphs)
    assert notice.number in text and f"{notice.unit}：" in text


def test_an_issued_notice_gets_its_word_copy_again_from_its_record(
    demo: Database, tmp_path: Path
) -> None:
    """The record keeps the whole document: the copy made later says what the one made at
    issue said, though the office's wording has changed since."""
    from dataclasses import replace

    from app.services.publishing.notice_copies import issued_word_copy
    from app.services.publishing.office_settings import (
        load_document_settings,
        save_document_settings,
    )

    _results, findings = round_findings(demo, DEMO_ROUND)
    unit = next(f.unit for f in open_findings(demo, DEMO_ROUND, findings).units if f.findings)
    (notice,) = issue_notices(
        demo, DEMO_ROUND, RECTIFICATION, tmp_path / "out", units=[unit], docx=True
    )
    settings = load_document_settings(demo)
    save_document_settings(demo, replace(settings, rectification_intro="措辞已经改了。"))
    again = issued_word_copy(demo, notice.number, tmp_path / "再次.docx")
    at_issue, later = Document(str(notice.docx)), Document(str(again))
    assert [p.text for p in later.paragraphs] == [p.text for p in at_issue.paragraphs]
    assert [[c.text for c in r.cells] for r in later.tables[0].rows] == [
        [c.text for c in r.cells] for r in at_issue.tables[0].rows
    ]
    assert "措辞已经改了" not in "\n".join(p.text for p in later.paragraphs)
    assert later.core_properties.comments == at_issue.core_properties.comments  # check code


def test_a_notice_recorded_without_its_document_is_refused_with_the_reason(
    demo: Database, tmp_path: Path
) -> None:
    from sqlalchemy import text

    from app.services.publishing.notice_copies import issued_word_copy

    _results, findings = round_findings(demo, DEMO_ROUND)
    unit = next(f.unit for f in open_findings(demo, DEMO_ROUND, findings).units if f.findings)
    (notice,) = issue_notices(demo, DEMO_ROUND, RECTIFICATION, tmp_path / "out", units=[unit])
    with demo.transaction() as session:  # as a notice issued by an earlier version was kept
        session.execute(text("DROP TRIGGER IF EXISTS notices_content_frozen"))
        session.execute(
            text("UPDATE notices SET content = '[]' WHERE number = :n"), {"n": notice.number}
        )
    with pytest.raises(UserError, match=r"没有保存全文.*校验码"):
        issued_word_copy(demo, notice.number, tmp_path / "旧.docx")
    assert not (tmp_path / "旧.docx").exists()


def report_template(path: Path) -> Path:
    """A 通报 红头: the frame, one table per category, and one table of every unit."""
    document = Document()
    document.add_paragraph("{{ 文号 }}")
    document.add_paragraph("{{ 标题 }}")
    document.add_paragraph("{{ 正文 }}")
    document.add_paragraph("{%p for 类别 in 类别列表 %}")
    document.add_paragraph("{{ 类别.名称 }}")
    table = document.add_table(rows=3, cols=3)
    table.rows[0].cells[0].text = "{%tr for 行 in 类别.排名 %}"
    for cell, text in zip(
        table.rows[1].cells, ("{{ 行.名次 }}", "{{ 行.单位 }}", "{{ 行.得分 }}"), strict=True
    ):
        cell.text = text
    table.rows[2].cells[0].text = "{%tr endfor %}"
    document.add_paragraph("{%p endfor %}")
    whole = document.add_table(rows=3, cols=2)
    whole.rows[0].cells[0].text = "{%tr for 行 in 排名列表 %}"
    whole.rows[1].cells[0].text = "{{ 行.类别 }}"
    whole.rows[1].cells[1].text = "{{ 行.单位 }}"
    whole.rows[2].cells[0].text = "{%tr endfor %}"
    document.add_paragraph("{{ 附件说明 }}　{{ 校验码 }}")
    document.save(str(path))
    return path


def test_the_report_fills_the_offices_template_with_its_ranking(
    demo: Database, tmp_path: Path
) -> None:
    from app.services.publishing.report_word import write_report_docx
    from app.services.publishing.word_templates import REPORT_KIND

    template = report_template(tmp_path / "通报红头.docx")
    with pytest.raises(UserError, match=r"未知的占位符.*排名列表"):
        register_template(demo, RECTIFICATION, template)  # a notice has no ranking
    register_template(demo, REPORT_KIND, template)
    made = write_report_docx(demo, DEMO_ROUND, tmp_path / "通报", number="云法办〔2026〕9号")
    filled = Document(str(made))
    text = "\n".join(p.text for p in filled.paragraphs)
    assert "云法办〔2026〕9号" in text and "一、考核结果" in text and "{%" not in text
    assert "考核结果图表" in text  # named in 附件说明, as the PDF names it
    *per_category, whole = filled.tables
    assert len(whole.rows) == 80 and len(per_category) == 4
    assert sum(len(t.rows) for t in per_category) == 80
    assert [r.cells[0].text for r in per_category[0].rows[:3]] == ["1", "2", "3"]
    shown = sample(demo, REPORT_KIND, DEMO_ROUND, tmp_path / "样例.docx")
    assert any("（样例）号" in line for line in shown.lines)
