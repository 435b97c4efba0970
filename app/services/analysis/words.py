"""The analyses said in sentences a leader reads (Chinese), built from the figures only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.scoring.analysis.robustness import WEIGHTS, RobustnessResult

if TYPE_CHECKING:
    from app.scoring.analysis.compare import Comparison
    from app.services.analysis.assessors import AssessorAnalysis
    from app.services.analysis.round_inputs import RoundInputs

NAMED = 6  # units named in one sentence before "等"


def _names(units: list[str]) -> str:
    shown = "、".join(units[:NAMED])
    return f"{shown}等 {len(units)} 个单位" if len(units) > NAMED else shown


def _fig(value: float) -> str:
    from app.services.analysis.round_inputs import figure

    return figure(value)


def robustness_sentences(inputs: RoundInputs, r: RobustnessResult) -> list[str]:
    from app.services.analysis.robustness import FACTOR_WORDS

    if not r.runs_done:
        return ["模拟未完成（已取消）。"]
    o = r.options
    assumed = []
    for factor in r.varied:
        if factor == WEIGHTS:
            assumed.append(
                f"各一级指标权重上下浮动 {_fig(o.weight_spread * 100).rstrip('0').rstrip('.')}%"
            )
        elif factor == "satisfaction":
            assumed.append(f"满意度权重上下浮动 {_fig(o.satisfaction_spread)}")
        else:
            assumed.append(FACTOR_WORDS[factor])
    said = [
        f"在 {r.runs_done} 次模拟中（{'、'.join(assumed) or '未改变任何假设'}），"
        f"各单位名次平均变动 {_fig(r.mean_shift)} 位。"
    ]
    sensitive = r.sensitive
    share = f"{_fig(o.sensitive_share * 100).rstrip('0').rstrip('.')}%"
    if sensitive:
        cause = ""
        if r.main_factor is not None:
            cause = f"，主要受{FACTOR_WORDS[r.main_factor]}影响"
            if r.main_factor == WEIGHTS and r.main_area is not None:
                cause = f"，主要受{inputs.area_label(r.main_area)}权重影响"
        said.append(
            f"有 {len(sensitive)} 个单位的等次或“排名靠后”标记在 {share} 以上的模拟中发生变化"
            f"（名次敏感）：{_names([u.unit for u in sensitive])}{cause}，建议审定时重点关注。"
        )
    else:
        said.append(f"所有单位的等次和“排名靠后”标记在 {share} 以上的模拟中均未改变，结果稳健。")
    firsts = [u for u in r.units if u.nominal_rank == 1 and u.high_rank == 1]
    if firsts:
        said.append(f"{_names([u.unit for u in firsts])}在 95% 以上的模拟中保持第一名。")
    if r.left_out:
        most = max(r.left_out, key=lambda a: a.mean_shift)
        said.append(
            f"逐项去掉一个一级指标时，去掉{inputs.area_label(most.area)}对名次影响最大，"
            f"名次平均变动 {_fig(most.mean_shift)} 位，{len(most.grades_changed)} 个单位等次改变。"
        )
    if not r.model_agrees:
        said.append("注意：模拟模型在原设定下的名次与正式结果不完全一致，以上数字仅供参考。")
    return said


def _alpha_level(alpha: float) -> str:
    if alpha >= 0.8:
        return "评分一致性良好"
    if alpha >= 0.667:
        return "评分一致性尚可"
    return "评分一致性偏低，建议复核各考核组对评分标准的理解"


def assessor_sentences(inputs: RoundInputs, x: AssessorAnalysis) -> list[str]:
    g = x.agreement
    if g.overall.value is None:
        return ["本批次没有多个考核组共同评分且分数有差异的评分格，无法计算评分一致性。"]
    said = []
    interval = ""
    if g.overall.interval is not None:
        low, high = g.overall.interval
        interval = f"（95% 区间 {_fig(low)}～{_fig(high)}）"
    said.append(
        f"多个考核组共同评分的 {g.overall.cells} 个评分格中，一致性系数 α 为 "
        f"{_fig(g.overall.value)}{interval}，{_alpha_level(g.overall.value)}。"
    )
    rated = {code: a.value for code, a in g.areas.items() if a.value is not None}
    if len(rated) > 1:
        lowest = min(rated, key=lambda code: rated[code])
        said.append(
            f"各一级指标中一致性最低的是{inputs.area_label(lowest)}（α 为 {_fig(rated[lowest])}）。"
        )
    flagged = [a for a in g.assessors if a.flag]
    for a in flagged:
        direction = "高" if a.points > 0 else "低"
        changed = x.ranks_changed.get(a.assessor)
        effect = (
            "（不计其评分时的名次变化未算完，已取消）"
            if changed is None
            else f"如不计其评分，有 {changed} 个单位名次发生变化"
            if changed
            else "不计其评分不改变任何名次"
        )
        share = _fig(abs(a.rate) * 100)
        said.append(
            f"{a.assessor}评分{a.flag}：在与其他考核组共同评分的 {a.cells} 个评分格中，平均比其他"
            f"考核组{direction} {_fig(abs(a.points))} 分（约为指标分值的 {share}%），{effect}。"
        )
    if not flagged:
        limit = _fig(x.threshold * 100).rstrip("0").rstrip(".")
        said.append(f"各考核组的宽严程度均未超过设定的阈值（指标分值的 {limit}%）。")
    return said


def comparison_sentences(c: Comparison) -> list[str]:
    if len(c.rounds) < 2:
        return []
    current, previous = c.rounds[-1], c.rounds[-2]
    up = [u for u in c.units if (u.rank_change or 0) > 0]
    down = [u for u in c.units if (u.rank_change or 0) < 0]
    said = [f"与{previous}相比，{current}有 {len(up)} 个单位总名次上升、{len(down)} 个下降。"]
    best = [(u.category_rank_change or 0, u) for u in c.units if u.category_rank_change]
    if best:
        gain, unit = max(best, key=lambda item: item[0])
        if gain > 0:
            said.append(f"进步最大的是{unit.unit}，在{unit.category}中上升 {gain} 位。")
        loss, unit = min(best, key=lambda item: item[0])
        if loss < 0:
            said.append(f"退步最大的是{unit.unit}，在{unit.category}中下降 {-loss} 位。")
    for names, text in (
        (c.newly_top, "新进入优秀等次"),
        (c.no_longer_top, "不再为优秀等次"),
        (c.newly_bottom, "新列为排名靠后"),
        (c.no_longer_bottom, "不再排名靠后"),
    ):
        if names:
            said.append(f"{text}的有：{_names(names)}。")
    missing = c.unmatched.get(previous)
    if missing is not None and (missing.units_new or missing.units_gone):
        parts = []
        if missing.units_new:
            parts.append(f"本批次新增 {_names(missing.units_new)}")
        if missing.units_gone:
            parts.append(f"{previous}有而本批次没有 {_names(missing.units_gone)}")
        said.append(f"未能对应的单位：{'；'.join(parts)}（可在对应表中补充更名、合并或分设）。")
    return said
