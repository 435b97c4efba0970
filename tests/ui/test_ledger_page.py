"""整改台账 and 首页: filters, overdue marking, the follow-up steps from the page."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog

from app.models.opening import open_database
from app.services.ledger import problem_registration
from app.services.ledger import problems as ledger
from app.ui.pages.home_page import HomePage
from app.ui.pages.ledger.page import LedgerPage


@pytest.fixture
def demo(demo_db_file: Path, tmp_path: Path):
    shutil.copy(demo_db_file, tmp_path / "demo.db")
    db = open_database(tmp_path / "demo.db")
    yield db
    db.dispose()


def test_filters_and_overdue_rows(qtbot, qtmodeltester, demo) -> None:
    page = LedgerPage(demo)
    qtbot.addWidget(page)
    qtmodeltester.check(page.model)
    everything = page.model.rowCount()
    assert everything == len(ledger.list_problems(demo)) > 0
    page.overdue_box.setChecked(True)
    overdue = page.model.rowCount()
    assert 0 < overdue < everything
    for row in range(overdue):
        index = page.model.index(row, 8)
        assert index.data() == "逾期"
        assert index.data(Qt.ItemDataRole.ForegroundRole) is not None  # marked red
    page.overdue_box.setChecked(False)
    page.source_box.setCurrentText("法治督察")
    assert page.model.rowCount() == 1
    page.source_box.setCurrentText("全部")
    page.status_box.setCurrentText("已销号")
    assert all(page.model.index(r, 1).data() == "已销号" for r in range(page.model.rowCount()))


def test_follow_up_from_the_page(
    qtbot, demo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from app.services.ledger.rectification_files import set_evidence_required

    number = problem_registration.add_problem(demo, "云州市民政局", "其他", "测试问题").value
    page = LedgerPage(demo)
    qtbot.addWidget(page)
    page._select(number)
    answers = iter([("方案已报送", True), ("已完成", True), ("到位", True), ("再核", True)])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: next(answers))
    page.report(done=False, files=[])
    set_evidence_required(demo, True)  # the office asks for 整改佐证 before 销号
    proof = tmp_path / "整改报告.pdf"
    proof.write_bytes(b"%PDF-1.4\n" + b"1 0 obj <<>> endobj\n" * 20 + b"%%EOF\n")
    page.report(done=True, files=[str(proof)])
    assert "整改佐证" in page.message.text()
    page.verify(True)
    assert "已销号" in page.message.text()
    assert [p.status for p in ledger.list_problems(demo) if p.number == number] == ["已销号"]
    assert "核验通过" in page.detail.toPlainText()
    page.verify(False)  # a closed problem cannot be verified again: said, not crashed
    assert "只有待核验" in page.message.text()


def test_home_page_shows_what_needs_attention(qtbot, demo) -> None:
    today = date.today()
    problem_registration.add_problem(
        demo, "云州市民政局", "其他", "本周到期", plan_due=today + timedelta(days=3)
    )
    page = HomePage(demo, today=today)
    qtbot.addWidget(page)
    overdue = ledger.list_problems(demo, overdue=True, today=today)
    assert page.overdue_model.rowCount() == len(overdue) > 0
    assert any(
        page.soon_model.index(r, 3).data() == "本周到期" for r in range(page.soon_model.rowCount())
    )
    qtbot.waitUntil(lambda: page.rounds_model.rowCount() == 1, timeout=20000)  # not published
    assert f"（{len(overdue)}）" in page.overdue_box.title()


def test_export_and_import_progress_from_the_page(qtbot, demo, tmp_path: Path, monkeypatch) -> None:
    from openpyxl import load_workbook

    page = LedgerPage(demo)
    qtbot.addWidget(page)
    shown = []
    monkeypatch.setattr(page, "confirm_progress", lambda changes: shown.append(changes) or True)
    page.unit_box.setCurrentText("云州市民政局")
    path = tmp_path / "民政局.xlsx"
    page.export(str(path))
    workbook = load_workbook(path)
    sheet = workbook.active
    number = sheet.cell(3, 1).value
    sheet.cell(3, 10, "已制定整改方案")
    workbook.save(path)
    page.import_progress(str(path))
    qtbot.waitUntil(lambda: "已记录 1 条" in page.message.text(), timeout=10000)
    ((change,),) = shown  # shown before it was recorded
    assert (change.number, change.text) == (number, "已制定整改方案")
    assert change.status_before == "待整改" and change.status_after == "整改中"
    assert "已制定整改方案" in [e.text for e in ledger.history(demo, number)]
    page.import_progress(str(path))  # the same workbook again records nothing
    qtbot.waitUntil(lambda: "都已记录过" in page.message.text(), timeout=10000)
    assert [e.text for e in ledger.history(demo, number)].count("已制定整改方案") == 1


def test_reminder_from_the_page(qtbot, demo, tmp_path: Path) -> None:
    page = LedgerPage(demo)
    qtbot.addWidget(page)
    page.overdue_box.setChecked(True)
    page.table.selectRow(0)
    unit = page.selected().unit
    page.remind(str(tmp_path))
    assert "已印发" in page.message.text()
    assert next(p.name for p in tmp_path.glob("*催办函.pdf")).endswith(f"{unit}-催办函.pdf")


def test_sorting_by_a_column_holds_through_a_filter(qtbot, demo) -> None:
    page = LedgerPage(demo)
    qtbot.addWidget(page)
    page.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    numbers = [page.model.index(r, 0).data() for r in range(page.model.rowCount())]
    assert numbers == sorted(numbers, reverse=True) and len(numbers) > 1
    page.status_box.setCurrentText("待整改")  # a new set of rows keeps the chosen order
    numbers = [page.model.index(r, 0).data() for r in range(page.model.rowCount())]
    assert numbers == sorted(numbers, reverse=True)
    page.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    units = [page.model.index(r, 2).data() for r in range(page.model.rowCount())]
    assert units == sorted(units)


def test_an_office_list_is_previewed_then_registered(qtbot, demo, tmp_path, monkeypatch) -> None:
    from tests.services.test_ledger_list_import import problem_list

    page = LedgerPage(demo)
    qtbot.addWidget(page)
    before = page.model.rowCount()
    shown = []

    def confirm(preview) -> bool:
        shown.append(len(preview.new))
        return len(shown) > 1  # cancelled the first time

    monkeypatch.setattr(page, "confirm_problem_list", confirm)
    path = problem_list(tmp_path / "台账.xlsx")
    page.import_file(str(path))
    qtbot.waitUntil(lambda: "已取消" in page.message.text(), timeout=20000)
    assert page.model.rowCount() == before
    page.import_file(str(path))
    qtbot.waitUntil(lambda: "已登记 4 个问题" in page.message.text(), timeout=20000)
    assert shown == [4, 4] and page.model.rowCount() == before + 4


def test_statistics_dialog_and_its_exports(qtbot, demo, tmp_path) -> None:
    page = LedgerPage(demo)
    qtbot.addWidget(page)
    dialog = page.show_statistics()
    qtbot.addWidget(dialog)
    assert "共发现问题" in dialog.sentence.text()
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())] == [
        "按单位", "按来源", "按领域", "按月份", "图表",
    ]  # fmt: skip
    dialog.export_xlsx(str(tmp_path / "统计.xlsx"))
    qtbot.waitUntil(lambda: "已保存" in dialog.message.text(), timeout=20000)
    assert (tmp_path / "统计.xlsx").stat().st_size > 0


def test_carry_over_from_the_page(qtbot, demo, monkeypatch) -> None:
    from app.demo.build import DEMO_RULES, LAW_GOVERNMENT
    from app.services.entry.grid import load_grid
    from app.services.ledger.carryover import CARRY_ASSESSOR
    from app.services.rounds.definition import create_round

    create_round(demo, name="2026年度", framework=LAW_GOVERNMENT, year=2026, rules=DEMO_RULES)
    page = LedgerPage(demo)
    qtbot.addWidget(page)
    late = ledger.list_problems(demo, overdue=True)
    assert late, "the demo ledger has overdue problems"

    def choose(dialog) -> bool:
        dialog.round_box.setCurrentText("2026年度")
        assert dialog.model.rowCount() > 0  # the plan is shown before anything is written
        return True

    monkeypatch.setattr(page, "confirm_carry_over", choose)
    page.carry_over()
    assert "已结转" in page.message.text()
    leaf = page.message.text().split(" ")[1].split("：")[0]
    grid = load_grid(demo, "2026年度")
    assert any(
        key[1] == leaf and key[2] == CARRY_ASSESSOR and value.deduction
        for key, value in grid.values.items()
    )


def test_home_page_computes_the_rounds_off_the_gui_thread(qtbot, demo, monkeypatch) -> None:
    """The window opens on the home page: a round's results took the GUI thread for a moment
    per round before it could show."""
    import threading

    from app.ui.pages import home_page

    threads = []
    real = home_page.rounds_in_progress

    def recorded(db, today):
        threads.append(threading.current_thread())
        return real(db, today)

    monkeypatch.setattr(home_page, "rounds_in_progress", recorded)
    page = HomePage(demo, today=date.today())
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.rounds_model.rowCount() == 1, timeout=20000)
    assert threads and threading.main_thread() not in threads
    assert page.rounds_model.index(0, 0).data() == "2025年度法治政府建设考核"
    assert "正在计算" not in page.rounds_box.title()


def test_notices_issued_in_the_documents_page_show_in_the_ledger(
    qtbot, demo_db_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 17: notices issued before the ledger was made from the round. The 整改台账 page
    then lists the notified units' problems with the notice's 文号 and deadlines."""
    from PySide6.QtWidgets import QMessageBox

    from app.services.publishing.notice_register import list_notices
    from app.services.publishing.office_settings import load_document_settings
    from app.services.rounds.deadlines import add_months
    from app.ui.main_window import MainWindow
    from tests.services.test_ledger import without_ledger

    path = without_ledger(demo_db_file, tmp_path / "demo.db")
    window = MainWindow(open_database(path), path.name)
    qtbot.addWidget(window)
    window.show()
    window.show_page("ledger")
    assert window.ledger_page.model.rowCount() == 0
    window.show_page("documents")
    documents = window.documents_page
    documents.selection_box.setCurrentIndex(documents.selection_box.findData("deducted"))
    for row in range(documents.units_model.rowCount()):  # the first two ticked units only
        item = documents.units_model.item(row)
        if item.checkState() == Qt.CheckState.Checked and len(documents.checked_units()) > 2:
            item.setCheckState(Qt.CheckState.Unchecked)
    units = documents.checked_units()
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    documents.issue(str(tmp_path / "印发"))
    qtbot.waitUntil(lambda: "已印发 2 份" in documents.message.text(), timeout=60000)

    window.show_page("ledger")
    page = window.ledger_page
    today = date.today()
    shown = [
        [page.model.index(row, column).data() for column in (2, 5, 6, 7)]
        for row in range(page.model.rowCount())
    ]
    assert shown and {unit for unit, *_ in shown} == set(units)
    numbers = {n.number for n in list_notices(window._db)}
    assert {number for _, number, _, _ in shown} == numbers and len(numbers) == 2
    settings = load_document_settings(window._db)
    plan, result = (
        add_months(today, settings.plan_months),
        add_months(today, settings.result_months),
    )
    assert {(p, r) for *_, p, r in shown} == {(plan.isoformat(), result.isoformat())}
    page.table.selectRow(0)
    assert f"文号：{shown[0][1]}" in page.detail.toPlainText()
