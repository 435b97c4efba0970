"""自检: what a support person asks an office to run first. In a temporary folder it builds a
small year from workbooks, checks the totals against figures worked out by hand, writes an
.xlsx and a PDF notice with the fonts this computer would use, draws a chart and opens the
window offscreen — one line per step, OK or FAIL with the reason; non-zero exit on any failure.
Given a server's URL it first checks the server: connection, schema, the login's rights and a
round trip that leaves nothing behind (the year itself is still built in a temporary file).
"""

from __future__ import annotations

import os
import tempfile
import traceback
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROUND = "自检批次"
UNITS = [("甲局", "政府部门"), ("乙局", "政府部门"), ("丙局", "政府部门")]
FRAMEWORK = [  # 一级, 二级, 分值, 评分方式, 评分参数
    ("依法行政", "权责清单", 25, "扣分", "每项0.5"),
    ("依法行政", "规范性文件", 25, "得分", ""),
    ("依法决策", "法律顾问", 25, "是否", ""),
    ("依法决策", "复议纠错率", 25, "分档", "≥95%:1；≥90%:0.8"),
]
SCORES = [  # unit, code, 扣分, 得分 (or 是/否), 实际值, reason
    ("甲局", "1.1", 0.5, None, None, "权责清单未及时调整"),
    ("甲局", "1.2", None, 20, None, ""),
    ("甲局", "2.1", None, "是", None, ""),
    ("甲局", "2.2", None, None, "96%", ""),
    ("乙局", "1.1", 3, None, None, "抽查发现六项问题"),
    ("乙局", "1.2", None, 25, None, ""),
    ("乙局", "2.1", None, "否", None, "未聘请法律顾问"),
    ("乙局", "2.2", None, None, "91%", ""),
    ("丙局", "1.2", None, 24.5, None, ""),
    ("丙局", "2.1", None, "是", None, ""),
    ("丙局", "2.2", None, None, "80%", ""),
]
# Worked out by hand: 甲 24.5+20+25+25, 乙 22+25+0+20, 丙 25+24.5+25+0.
EXPECTED = {
    "甲局": ("94.50", 1, "优秀"),
    "丙局": ("74.50", 2, "合格"),
    "乙局": ("67.00", 3, "合格"),
}


def _sheet(path: Path, header: list[str], rows: list[tuple]) -> Path:  # type: ignore[type-arg]
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def run_self_test(
    folder: Path | None = None, out: Callable[[str], None] = print, server: str | None = None
) -> int:
    work = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="kaoping-selftest-"))
    work.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("KAOPING_SETTINGS", str(work / "settings.json"))
    state: dict[str, object] = {}
    failures = 0
    for title, step in (
        *(_server_steps(server) if server else ()),
        ("创建数据库", _database),
        ("导入单位、指标体系和评分工作簿", _imports),
        ("计算结果并与手算结果核对", _results),
        ("导出 Excel", _excel),
        ("生成 PDF 文书（字体嵌入、无缺字）", _pdf),
        ("绘制图表", _chart),
        ("离屏打开主窗口", _window),
    ):
        try:
            detail = step(work, state)
            out(f"OK    {title}{'：' + detail if detail else ''}")
        except Exception as error:  # every step reports instead of stopping the rest
            failures += 1
            reason = str(error) or type(error).__name__
            out(f"FAIL  {title}：{reason}")
            if os.environ.get("KAOPING_SELFTEST_TRACE"):
                traceback.print_exc()
    for key in ("db", "server"):
        database = state.get(key)
        if database is not None:
            database.dispose()  # type: ignore[attr-defined]
    out(f"{'自检通过' if not failures else f'自检失败 {failures} 项'}（文件在 {work}）")
    return 0 if not failures else 1


Step = Callable[[Path, dict], str]  # type: ignore[type-arg]


def _server_steps(url: str) -> list[tuple[str, Step]]:
    from app.services.server import checks

    def connection(_work: Path, state: dict) -> str:  # type: ignore[type-arg]
        state["server"], detail = checks.connected(url)
        return detail

    def on_server(check: Callable[..., str]) -> Step:
        def step(_work: Path, state: dict) -> str:  # type: ignore[type-arg]
            if "server" not in state:
                raise AssertionError("未连上服务器，无法检查")
            return check(state["server"])

        return step

    return [
        ("连接服务器", connection),
        ("服务器数据库结构版本", on_server(checks.schema_revision)),
        ("登录账户的权限", on_server(checks.login_rights)),
        ("写入、读回并撤销", on_server(checks.round_trip)),
    ]


def _database(work: Path, state: dict) -> str:  # type: ignore[type-arg]
    from app.models.opening import open_database

    path = work / "selftest.db"
    path.unlink(missing_ok=True)
    state["db"] = open_database(path)
    return str(path)


def _imports(work: Path, state: dict) -> str:  # type: ignore[type-arg]
    from app.scoring.types import Rules
    from app.services.entry.scores import import_scores
    from app.services.rounds.definition import create_round
    from app.services.setup.frameworks import import_framework
    from app.services.setup.units import import_units

    db = state["db"]
    units = _sheet(work / "单位.xlsx", ["单位名称", "单位类别"], UNITS)
    framework = _sheet(
        work / "细则.xlsx", ["一级指标", "二级指标", "分值", "评分方式", "评分参数"], FRAMEWORK
    )
    scores = _sheet(
        work / "评分.xlsx",
        ["单位名称", "指标编码", "扣分", "得分", "实际值", "扣分理由"],
        SCORES,
    )
    import_units(db, units)  # type: ignore[arg-type]
    import_framework(db, framework, "自检指标体系")  # type: ignore[arg-type]
    create_round(db, name=ROUND, framework="自检指标体系", year=date.today().year, rules=Rules())  # type: ignore[arg-type]
    summary = import_scores(db, scores, ROUND)  # type: ignore[arg-type]
    return f"{len(UNITS)} 个单位，{len(FRAMEWORK)} 项指标，{summary.rows} 行评分"


def _results(work: Path, state: dict) -> str:  # type: ignore[type-arg]
    from app.services.review.results import compute_round_results

    results = compute_round_results(state["db"], ROUND)  # type: ignore[arg-type]
    state["results"] = results  # the chart step draws them even if they are wrong
    got = {u.unit: (f"{u.final:.2f}", u.rank, u.grade) for u in results.result.units}
    if got != EXPECTED:
        raise AssertionError(f"结果与手算不符：{got}")
    return "，".join(f"{u} {f}" for u, (f, _, _) in EXPECTED.items())


def _excel(work: Path, state: dict) -> str:  # type: ignore[type-arg]
    from openpyxl import load_workbook

    from app.services.review.results import export_results

    path = export_results(state["db"], ROUND, work / "结果.xlsx")  # type: ignore[arg-type]
    values = [r for r in load_workbook(path).active.iter_rows(values_only=True)]  # type: ignore[union-attr]
    if not any("甲局" in row for row in values):
        raise AssertionError("导出的 Excel 中没有单位")
    return str(path)


def _pdf(work: Path, state: dict) -> str:  # type: ignore[type-arg]
    from pypdf import PdfReader

    from app.documents.fonts import chosen_fonts, font_for, missing_characters
    from app.services.publishing.notices import RECTIFICATION, issue_notices

    notices = issue_notices(
        state["db"],
        ROUND,
        RECTIFICATION,
        work / "文书",
        units=["乙局"],  # type: ignore[arg-type]
    )
    path = notices[0].path
    reader = PdfReader(path)
    text = "".join(page.extract_text() or "" for page in reader.pages)
    for needed in ("乙局", "未聘请法律顾问", notices[0].number):
        if needed not in text.replace("\n", "").replace(" ", ""):
            raise AssertionError(f"PDF 中缺少“{needed}”")
    lacking = missing_characters(text, font_for("body"))
    if lacking:
        raise AssertionError(f"字体缺字：{''.join(sorted(lacking))}")
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None or "/FontFile2" not in descriptor.get_object():
                raise AssertionError(f"字体未嵌入：{font.get('/BaseFont')}")
    used = "、".join(
        sorted({f"{f.family}{'（自带）' if f.bundled else ''}" for f in chosen_fonts().values()})
    )
    return f"{path.name}；字体：{used}"


def _chart(work: Path, state: dict) -> str:  # type: ignore[type-arg]
    from app.documents.charts import figure_pdf, ranking_figure

    data = figure_pdf(ranking_figure(state["results"].result))  # type: ignore[attr-defined]
    (work / "图表.pdf").write_bytes(data)
    if not data.startswith(b"%PDF"):
        raise AssertionError("图表不是 PDF")
    return f"{len(data) // 1024} KB"


def _window(work: Path, state: dict) -> str:  # type: ignore[type-arg]
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before Qt is first imported
    from app.ui.selftest_window import open_every_page

    return open_every_page(state["db"], work / "主窗口.png")  # type: ignore[arg-type]


__all__ = ["EXPECTED", "run_self_test"]
