"""Each analysis as an .xlsx the office can send on: the sentences, then the tables."""

from __future__ import annotations

from pathlib import Path

from app.io.writers.analysis_writer import Table, write_analysis
from app.scoring.analysis.compare import Comparison
from app.scoring.analysis.robustness import RobustnessResult
from app.services.analysis.assessors import AssessorAnalysis, assessors_json
from app.services.analysis.compare import comparison_json
from app.services.analysis.robustness import robustness_json
from app.services.analysis.round_inputs import RoundInputs


def _number(text: str | None) -> float | None:
    return None if text is None else float(text)


def export_robustness(inputs: RoundInputs, result: RobustnessResult, path: str | Path) -> Path:
    data = robustness_json(inputs, result)
    units = Table(
        "各单位",
        f"{inputs.name}结果稳健性（{data['runs']} 次模拟，种子 {data['seed']}）",
        ["单位", "类别", "名次", "中位名次", "5% 名次", "95% 名次", "等次", "保持等次(%)",
         "排名靠后", "保持标记(%)", "平均名次变动", "名次敏感"],
        [[u["unit"], u["category"], u["rank"], u["median_rank"], *u["interval"], u["grade"],
          float(u["grade_kept"]), "是" if u["bottom"] else "", float(u["bottom_kept"]),
          float(u["mean_shift"]), "是" if u["sensitive"] else ""] for u in data["units"]],
    )  # fmt: skip
    areas = list(data["left_out"].items())
    left_out = Table(
        "逐项去掉一级指标",
        "去掉某一一级指标后的名次变化（正数为上升）",
        ["单位", *(f"去掉{code} {a['name']}" for code, a in areas)],
        [[u["unit"], *(a["rank_changes"][u["unit"]] for _, a in areas)] for u in data["units"]],
    )
    return write_analysis(
        Path(path), f"{inputs.name}结果稳健性", data["sentences"], [units, left_out]
    )


def export_assessors(inputs: RoundInputs, analysis: AssessorAnalysis, path: str | Path) -> Path:
    data = assessors_json(inputs, analysis)
    alpha = data["alpha"]
    assessors = Table(
        "各考核组",
        f"{inputs.name}各考核组宽严（阈值：指标分值的 {data['threshold']}%）",
        ["考核组", "共同评分格数", "平均偏差(分)", "偏差占分值(%)", "区间下限", "区间上限",
         "判断", "不计其评分名次变化单位数"],
        [[a["assessor"], a["cells"], float(a["leniency"]), float(a["leniency_rate"]),
          *(float(v) for v in a["interval"]), a["flag"], a["ranks_changed_without"]]
         for a in data["assessors"]],
    )  # fmt: skip
    areas = Table(
        "一致性系数",
        "评分一致性系数 α（区间尺度）",
        ["范围", "评分格数", "α", "95% 区间下限", "95% 区间上限"],
        [["全部", alpha["cells"], _number(alpha["overall"]),
          *(_number(v) for v in alpha["interval"] or [None, None])]]
        + [[f"一级指标{code} {inputs.data.area_names.get(code, '')}", a["cells"],
            _number(a["alpha"]), *(_number(v) for v in a["interval"] or [None, None])]
           for code, a in alpha["areas"].items()]
        + [[f"指标{code} {inputs.leaf_names.get(code, '')}", a["cells"], _number(a["alpha"]),
            *(_number(v) for v in a["interval"] or [None, None])]
           for code, a in alpha["leaves"].items()],
    )  # fmt: skip
    cells = Table(
        "分歧最大的评分格",
        "各考核组分歧最大的评分格",
        ["单位", "指标", "指标名称", "最高最低相差", "各考核组得分"],
        [[d["unit"], d["leaf"], d["name"], float(d["spread"]),
          "；".join(f"{k} {v}" for k, v in d["scores"].items())] for d in data["disagreements"]],
    )  # fmt: skip
    title = f"{inputs.name}评分一致性"
    return write_analysis(Path(path), title, data["sentences"], [assessors, areas, cells])


def export_comparison(c: Comparison, path: str | Path) -> Path:
    data = comparison_json(c)
    rounds = data["rounds"]
    units = Table(
        "各单位",
        f"{rounds[-1]}与{'、'.join(rounds[:-1])}比较",
        ["单位", "类别", *(f"{r} 得分" for r in rounds), *(f"{r} 名次" for r in rounds),
         *(f"{r} 类别名次" for r in rounds), "得分变化", "名次变化", "类别名次变化", "对应"],
        [[u["unit"], u["category"], *(_number(f) for f in u["final"]), *u["rank"],
          *u["category_rank"], _number(u["change"]["final"]), u["change"]["rank"],
          u["change"]["category_rank"],
          "；".join(f"{m['how']}：{'、'.join(m['from'])}" if m["from"] else m["how"]
                   for m in u["match"])] for u in data["units"]],
    )  # fmt: skip
    codes = list(c.areas)
    areas = Table(
        "各一级指标得分率",
        "各一级指标得分率（%）及变化",
        ["单位", *(f"{code} {c.areas[code]} {r}" for code in codes for r in rounds),
         *(f"{code} 变化" for code in codes)],
        [[u["unit"], *(_number(v) for code in codes for v in u["areas"][code]["rate"]),
          *(_number(u["areas"][code]["change"]) for code in codes)] for u in data["units"]],
    )  # fmt: skip
    unmatched = Table(
        "未能对应",
        "未能对应的单位和指标（可在对应表中补充）",
        ["以前的批次", "种类", "本批次新增", "以前有、本批次没有"],
        [[name, kind, "、".join(m[f"{key}_new"]), "、".join(m[f"{key}_gone"])]
         for name, m in data["unmatched"].items()
         for kind, key in (("单位", "units"), ("一级指标", "areas"), ("末级指标", "leaves"))],
    )  # fmt: skip
    return write_analysis(Path(path), units.title, data["sentences"], [units, areas, unmatched])
