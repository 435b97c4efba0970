"""The office's own Word template (its 红头 designed in Word or WPS) filled for one document
with docxtpl: Jinja placeholders such as {{ 文号 }}, {{ 主送单位 }}, {{ 正文 }}, and a table row
repeated for each finding ({%tr for 问题 in 问题列表 %}) or, in a 通报, for each unit ranked
({%tr for 行 in 排名列表 %}; per category: {%p for 类别 in 类别列表 %}). The values come from the
same document model as the PDF, so a template cannot say other than what the PDF says."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from app.documents.official.model import AttachmentTable, OfficialDocument, chinese_date

FINDING_FIELDS = ("序号", "指标", "扣分", "理由", "评分人")
# Every name a template may use, and what it holds.
PLACEHOLDERS: dict[str, str] = {
    "文号": "发文字号，如 云法办〔2026〕3号",
    "标题": "文书标题",
    "主送单位": "主送机关（不含冒号）",
    "正文": "正文各段（每段一行）",
    "问题列表": "扣分问题（表格行重复：{%tr for 问题 in 问题列表 %}，字段 "
    + "、".join(f"问题.{f}" for f in FINDING_FIELDS)
    + "）",
    "附件说明": "附件名称",
    "发文机关": "发文机关署名",
    "成文日期": "成文日期，如 2026年1月31日",
    "抄送": "抄送机关",
    "印发机关": "印发机关",
    "校验码": "变更记录校验码（与 PDF 相同）",
    "可编辑说明": "“可编辑副本，以印发的 PDF 文件为准”",
}


RANK_FIELDS = ("类别", "名次", "单位", "得分", "等次", "备注")
# A 通报's names: the same frame, its ranking tables instead of the findings. Its charts
# (附件1) stay in Kaoping's own layout: a template has no place to say how large they print.
REPORT_PLACEHOLDERS: dict[str, str] = {
    **{k: v for k, v in PLACEHOLDERS.items() if k != "问题列表"},
    "正文": "正文各段（不含排名表）",
    "排名列表": "全部单位的排名（表格行重复：{%tr for 行 in 排名列表 %}，字段 "
    + "、".join(f"行.{f}" for f in RANK_FIELDS)
    + "）",
    "类别列表": "按类别的排名表（{%p for 类别 in 类别列表 %}，类别.名称，类别.排名 为该类别的行）",
}


def placeholders_in(template: bytes) -> set[str]:
    """The names the template uses (loop variables excepted)."""
    from docxtpl import DocxTemplate

    return set(DocxTemplate(io.BytesIO(template)).get_undeclared_template_variables())


def unknown_placeholders(template: bytes) -> list[str]:
    return sorted(placeholders_in(template) - PLACEHOLDERS.keys())


def document_values(document: OfficialDocument) -> dict[str, Any]:
    """The template's values from the document the PDF prints."""
    from docxtpl import Listing

    from app.documents.word.page_setup import EDITABLE_NOTE

    findings: list[dict[str, str]] = []
    tables = [a for a in document.attachments if isinstance(a, AttachmentTable)]
    if tables:
        for row in tables[0].rows:
            cells = dict(zip(FINDING_FIELDS, row, strict=False))
            findings.append({f: cells.get(f, "") for f in FINDING_FIELDS})
    return {
        "文号": document.number,
        "标题": document.title,
        "主送单位": document.addressee,
        "正文": Listing("\n".join(b.text for b in document.blocks if b.text)),
        "问题列表": findings,
        "附件说明": "；".join(document.attachment_names()),
        "发文机关": document.signature,
        "成文日期": chinese_date(document.issued_on),
        "抄送": document.cc,
        "印发机关": document.printer,
        "校验码": document.check_code[:12].upper(),
        "可编辑说明": EDITABLE_NOTE,
    }


def report_values(document: OfficialDocument) -> dict[str, Any]:
    """A 通报 template's values: the frame as for a notice, the text without its tables, and
    the ranking tables as rows (each table in the body is one category's)."""
    from docxtpl import Listing

    values = document_values(document)
    del values["问题列表"]
    categories = []
    for block in document.blocks:
        if block.table is None:
            continue
        rows = [
            dict(zip(RANK_FIELDS, (block.table.title, *row), strict=False))
            for row in block.table.rows
        ]
        categories.append({"名称": block.table.title, "排名": rows})
    values["正文"] = Listing("\n".join(b.text for b in document.blocks if b.text))
    values["排名列表"] = [row for category in categories for row in category["排名"]]
    values["类别列表"] = categories
    return values


def fill_template(template: bytes, values: Mapping[str, Any]) -> bytes:
    """The template with its placeholders filled, as .docx bytes."""
    from docxtpl import DocxTemplate

    filled = DocxTemplate(io.BytesIO(template))
    filled.render(dict(values), autoescape=True)
    buffer = io.BytesIO()
    filled.save(buffer)
    return buffer.getvalue()
