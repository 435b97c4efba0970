"""notices / notice commands on the demo round."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from app.demo.build import DEMO_ROUND


def test_issue_list_withdraw_from_the_command_line(
    run_cli, demo_db_file: Path, db_path: Path, tmp_path: Path
) -> None:
    shutil.copy(demo_db_file, db_path)
    out = tmp_path / "文书"
    code, stdout, err = run_cli(
        "notices",
        "--round",
        DEMO_ROUND,
        "--out",
        str(out),
        "--select",
        "bottom",
        "--type",
        "督办函",
        "--date",
        "2026-08-31",
        "--combined",
        str(tmp_path / "合订.pdf"),
    )
    assert code == 0, err
    issued = sorted(out.glob("*.pdf"))
    assert issued and (tmp_path / "合订.pdf").stat().st_size > 0
    assert f"共印发 {len(issued)} 份督办函" in stdout
    code, stdout, _ = run_cli("notice", "list", "--json")
    listed = json.loads(stdout)
    assert len(listed) == len(issued)
    assert {n["result_due"] for n in listed} == {"2027-02-28"}  # 6 months after 31 August
    number = listed[0]["number"]
    code, stdout, err = run_cli(
        "notice", "docx", listed[1]["number"], "--out", str(tmp_path / "副本")
    )
    assert code == 0 and (tmp_path / "副本.docx").stat().st_size > 0, err
    assert run_cli("notice", "withdraw", number, "--reason", "重复印发")[0] == 0
    code, _, err = run_cli("notice", "docx", number, "--out", str(tmp_path / "撤回.docx"))
    assert code != 0 and "已撤回" in err
    code, _, err = run_cli("notice", "withdraw", "云法办督〔2026〕999号", "--reason", "x")
    assert code == 2 and "没有文号" in err
    code, _, err = run_cli("notices", "--round", DEMO_ROUND, "--out", str(out), "--date", "31/8")
    assert code == 2 and "日期" in err
    preview = tmp_path / "预览.pdf"
    code, _, err = run_cli(
        "notice",
        "preview",
        "--round",
        DEMO_ROUND,
        "--unit",
        listed[0]["unit"],
        "--out",
        str(preview),
    )
    assert code == 0 and preview.stat().st_size > 0
    assert len(json.loads(run_cli("notice", "list", "--json")[1])) == len(issued)  # not stored


@pytest.mark.usefixtures("small_copy")  # a small round of three units, copied
def test_report_with_its_annex_apart_and_one_pdf_per_unit(run_cli, tmp_path: Path) -> None:
    """report --pages tells both counts and writes nothing; --pdf writes the 通报 and its 附件
    beside it (the pages it told), --per-unit one PDF per unit. A small round: the counts of
    the demo's 80 units are checked against its print in tests/documents/test_report_print."""
    from pypdf import PdfReader

    from tests.small_round import ROUND

    code, told, err = run_cli("report", "--round", ROUND, "--pages")
    assert code == 0, err
    assert not list(tmp_path.glob("*.pdf"))
    pdf, units = tmp_path / "通报.pdf", tmp_path / "各单位"
    code, printed, err = run_cli(
        "report", "--round", ROUND, "--pdf", str(pdf), "--per-unit", str(units)
    )
    assert code == 0, err
    annex = tmp_path / "通报-附件2-各单位得分明细.pdf"
    assert f"已生成 {pdf}" in printed and f"已生成 {annex}" in printed
    report_pages, annex_pages = len(PdfReader(pdf).pages), len(PdfReader(annex).pages)
    assert report_pages != annex_pages  # so that neither count can pass for the other
    assert f"通报 {report_pages} 页" in told and f"附件 {annex_pages} 页" in told
    written = sorted(units.glob("*.pdf"))
    assert len(written) == 3 and f"已生成 3 份单位得分明细 PDF 到 {units}" in printed
    assert all(p.name.endswith("-得分明细.pdf") for p in written)
    code, _, err = run_cli("report", "--round", ROUND, "--pdf", str(pdf), "--no-annex",
                           "--annex", str(tmp_path / "x.pdf"))  # fmt: skip
    assert code == 0 and (tmp_path / "x.pdf").exists()  # a named 附件 is written all the same


def test_templates_from_the_command_line(run_cli, demo_copy: Path, tmp_path: Path) -> None:
    from tests.documents.test_word_templates import report_template

    template = str(report_template(tmp_path / "通报红头.docx"))
    code, _, err = run_cli("notice", "template-register", template)
    assert code != 0 and "{{ 排名列表 }}" in err  # checked as a 整改通知书's
    code, stdout, err = run_cli("notice", "template-register", template, "--type", "考核结果通报")
    assert code == 0 and "排名列表" in stdout, err
    code, stdout, _ = run_cli("notice", "templates")
    assert "考核结果通报  通报红头.docx" in stdout and "{{ 类别列表 }}" in stdout
