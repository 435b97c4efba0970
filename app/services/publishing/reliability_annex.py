"""The 通报's optional 附件 "结果可靠性与评分一致性说明" (issue 20), chosen by the office when
it prints: what the robustness and assessor analyses say, in their sentences, the units whose
grade is sensitive, each assessor's leniency, and the charts (rank intervals, leniency, α) at
their printed size. The default assumptions and seed, so a reprint says the same."""

from __future__ import annotations

from app.documents.analysis_charts import (
    draw_alpha,
    draw_leniency,
    draw_rank_intervals,
    interval_panels,
)
from app.documents.chart_panels import page_height, pages_of
from app.documents.charts import figure_pdf
from app.documents.official.model import Attachment, AttachmentTable, Block, ChartAttachment
from app.models.database import Database
from app.scoring.analysis.robustness import RobustnessOptions
from app.services.analysis.assessors import assessors_json, round_assessors
from app.services.analysis.robustness import robustness_json, round_robustness

RELIABILITY_TITLE = "结果可靠性与评分一致性说明"
SENSITIVE_HEADER = ("单位", "类别", "公布名次", "中位名次", "5%—95%名次", "保持等次")
SENSITIVE_WIDTHS = (50.0, 30.0, 18.0, 18.0, 22.0, 18.0)
ASSESSOR_HEADER = ("考核组", "共同评分格数", "平均偏差（分）", "95%区间", "判断", "名次变化单位数")
ASSESSOR_WIDTHS = (42.0, 22.0, 24.0, 30.0, 14.0, 24.0)
INCH = 72.0  # points


def reliability_attachments(db: Database, round_name: str, drawn: bool = True) -> list[Attachment]:
    """The 附件: its text and tables, then the charts, each chart page a continuation (not
    ``drawn``: the same pages without their figures, to count them)."""
    options = RobustnessOptions()
    inputs, robustness = round_robustness(db, round_name, options)
    _, assessors = round_assessors(db, round_name)
    r = robustness_json(inputs, robustness)
    a = assessors_json(inputs, assessors)
    sensitive = [u for u in r["units"] if u["sensitive"]]
    rows = [
        (u["unit"], u["category"], str(u["rank"]), str(u["median_rank"]),
         "—".join(str(v) for v in u["interval"]), f"{u['grade_kept']}%")
        for u in sensitive
    ] or [("（没有名次敏感的单位）", "", "", "", "", "")]  # fmt: skip
    after: list[Block] = [Block("para", sentence) for sentence in r["sentences"]]
    after += [Block("para", sentence) for sentence in a["sentences"]]
    if a["assessors"]:
        after.append(Block("para", "各考核组与其他考核组共同评分时的平均偏差见下表。"))
        after.append(Block("table", "", table=AttachmentTable(
            "各考核组评分宽严", ASSESSOR_HEADER, ASSESSOR_WIDTHS,
            [(x["assessor"], str(x["cells"]), x["leniency"], "～".join(x["interval"]),
              x["flag"] or "—", "—" if x["ranks_changed_without"] is None
              else str(x["ranks_changed_without"])) for x in a["assessors"]],
        )))  # fmt: skip
    basis = (
        f"本说明依据 {r['runs']} 次模拟（随机种子 {r['seed']}）和多个考核组共同评分的 "
        f"{a['alpha']['cells']} 个评分格计算，只说明考核结果在不同设定下是否稳定、各考核组评分"
        "是否宽严一致，不改变考核结果。名次敏感的单位如下。"
    )
    found: list[Attachment] = [
        AttachmentTable(
            RELIABILITY_TITLE,
            SENSITIVE_HEADER,
            SENSITIVE_WIDTHS,
            rows,
            note=basis,
            after=tuple(after),
        )
    ]
    total = len(robustness.units)
    for index, panels in enumerate(pages_of(interval_panels(robustness.units))):
        figure = figure_pdf(draw_rank_intervals(panels, total)) if drawn else b""
        title = "各单位名次区间" + ("（续）" if index else "")
        found.append(ChartAttachment(title, figure, True, page_height(panels) * INCH))
    if assessors.agreement.assessors:
        leniency = draw_leniency(assessors.agreement.assessors)
        leaf_areas = {leaf.code: leaf.area_code for leaf in inputs.data.leaves}
        alpha = draw_alpha(assessors.agreement, inputs.data.area_names, leaf_areas)
        for title, figure in (("各考核组评分宽严", leniency), ("评分一致性系数 α", alpha)):
            height = figure.get_figheight() * INCH
            found.append(ChartAttachment(title, _pdf(figure, drawn), True, height))
    return found


def _pdf(figure: object, drawn: bool) -> bytes:
    """The figure as PDF, or nothing (only its size was needed); closed either way."""
    if drawn:
        return figure_pdf(figure)
    from app.documents.charts import pyplot

    pyplot().close(figure)
    return b""
