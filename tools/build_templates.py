"""Build the indicator-system templates shipped in resources/templates/ from their sources in
tools/data/ (run from the source tree: `python -m tools.build_templates`; the built .xlsx files
are committed, and tests/test_templates_rebuild.py fails while they differ from the sources).

Each template is written in the program's own 考核细则 layout, so it loads through the normal
reader exactly like an office's workbook. Points are placeholders that add up; the note row and
the 说明 sheet tell the office to set its own.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from app.io.rule_text import recognise
from app.io.writers.framework_writer import write_framework

ROOT = Path(__file__).resolve().parent.parent
SOURCES = Path(__file__).resolve().parent / "data"
OUT = ROOT / "resources" / "templates"
HALF = Decimal("0.5")
NOTE = (
    "注：本模板的指标名称和评分标准依据公开的法治建设文件结构拟定，分值仅为示例，"
    "须由考核办根据本地实际设定；导入后可在“指标体系”页修改。"
)
FIXED_TIME = dt.datetime(2025, 1, 1)  # the same bytes each build (no "now" in docProps)


@dataclass(frozen=True)
class Template:
    key: str
    title: str
    file: str
    outline: str
    description: str


def load_templates(sources: Path = SOURCES) -> tuple[Template, ...]:
    """The templates listed in templates.toml, each with its outline from templates/<key>.txt."""
    with (sources / "templates.toml").open("rb") as handle:
        listed = tomllib.load(handle)["template"]
    return tuple(
        Template(
            entry["key"],
            entry["title"],
            entry["file"],
            (sources / "templates" / f"{entry['key']}.txt").read_text(encoding="utf-8"),
            entry["description"],
        )
        for entry in listed
    )


TEMPLATES = load_templates()


@dataclass
class Node:
    """What write_framework needs of a node."""

    code: str
    name: str
    points: Decimal = Decimal(0)
    method: str = "扣分"
    parameters: str = ""
    standard: str = ""
    content: str = ""
    assessment_method: str = ""
    lead_department: str = ""
    categories: tuple[str, ...] = ()
    children: list[Node] = field(default_factory=list)


def parse_outline(text: str) -> list[Node]:
    """ "# 名称 | 分值 | 牵头单位", "## 二级", "- 末级" into areas (points on the areas only)."""
    areas: list[Node] = []
    group: Node | None = None
    for line in (raw.strip() for raw in text.strip().splitlines()):
        if line.startswith("# "):
            name, points, lead = (part.strip() for part in line[2:].split("|"))
            areas.append(Node(str(len(areas) + 1), name, Decimal(points), lead_department=lead))
            group = None
        elif line.startswith("## "):
            area = areas[-1]
            group = Node(f"{area.code}.{len(area.children) + 1}", line[3:].strip())
            area.children.append(group)
        elif line.startswith("- "):
            parent = group or areas[-1]
            leaf = Node(f"{parent.code}.{len(parent.children) + 1}", line[2:].strip())
            parent.children.append(leaf)
    return areas


def leaves_of(node: Node) -> list[Node]:
    if not node.children:
        return [node]
    return [leaf for child in node.children for leaf in leaves_of(child)]


def share_points(area: Node) -> None:
    """Half points to every leaf so the area's figure is met exactly."""
    leaves = leaves_of(area)
    base = max(
        HALF, (area.points / len(leaves) / HALF).to_integral_value(rounding="ROUND_FLOOR") * HALF
    )
    if base * len(leaves) > area.points:
        raise SystemExit(f"{area.name}: {len(leaves)} 项分不下 {area.points} 分")
    for leaf in leaves:
        leaf.points = base
    spare = area.points - base * len(leaves)
    index = 0
    while spare > 0:
        leaves[index % len(leaves)].points += HALF
        spare -= HALF
        index += 1


INSTITUTION = re.compile(r"制度|机制|清单|规划|计划|方案|目录|报告|体系|成立|制定|编制|建立|配备")


def write_rule(leaf: Node, position: int, lead: str) -> None:
    """A plausible 评分标准, and the method and parameters it states (read back by the same
    recogniser an office's file goes through, so the two always agree)."""
    points = leaf.points
    if "率" in leaf.name:
        leaf.standard = (
            f"{leaf.name}达到100%的得满分；95%（含）-100%得80%；90%（含）-95%得60%；低于90%不得分"
        )
        leaf.assessment_method = "数据核验"
    elif INSTITUTION.search(leaf.name):
        leaf.standard = "未建立或未按要求落实的，本项不得分"
        leaf.assessment_method = "查阅资料"
    elif position % 2 == 0:
        each = HALF if points >= 1 else Decimal("0.25")
        leaf.standard = f"每发现一处问题扣{each.normalize():f}分，扣完为止"
        leaf.assessment_method = "实地核查、抽查案卷"
    else:
        low = HALF if points > HALF else Decimal("0.25")
        leaf.standard = (
            f"工作推进不力、落实不到位的，酌情扣{low.normalize():f}-{points.normalize():f}分"
        )
        leaf.assessment_method = "查阅资料、座谈了解"
    found = recognise(leaf.standard, points)
    if found is None:
        raise SystemExit(f"评分标准未能识别：{leaf.standard}")
    leaf.method, leaf.parameters = found.method.value, found.parameters
    leaf.lead_department = lead


def settle(node: Node) -> Decimal:
    if node.children:
        node.points = sum((settle(child) for child in node.children), Decimal(0))
    return node.points


def build(template: Template, out: Path) -> dict[str, object]:
    areas = parse_outline(template.outline)
    position = 0
    for area in areas:
        share_points(area)
        for leaf in leaves_of(area):
            write_rule(leaf, position, area.lead_department)
            position += 1
    total = sum((settle(area) for area in areas), Decimal(0))
    target = out / template.file
    with tempfile.TemporaryDirectory() as folder:
        plain = write_framework(Path(folder) / "t.xlsx", f"{template.title}（模板）", areas)
        workbook = load_workbook(plain)
    sheet = workbook["考核细则"]
    sheet.append([])
    sheet.append([NOTE])
    explain = workbook.create_sheet("说明")
    for line in (
        [template.title],
        [template.description],
        [NOTE.removeprefix("注：")],
        ["评分方式和评分参数已按评分标准填写；如修改评分标准，请同时核对这两列。"],
    ):
        explain.append(line)
    explain.column_dimensions["A"].width = 100
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    workbook.save(target)
    leaves = sum(len(leaves_of(area)) for area in areas)
    return {
        "key": template.key,
        "title": template.title,
        "file": template.file,
        "areas": len(areas),
        "leaves": leaves,
        "points": f"{total.normalize():f}",
        "description": template.description,
    }


def build_all(out: Path) -> list[dict[str, object]]:
    """Every template and the index.json that lists them, written into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    index = [build(template, out) for template in TEMPLATES]
    (out / "index.json").write_text(
        json.dumps(index, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return index


def main() -> None:
    for entry in build_all(OUT):
        print(
            f"{entry['file']}: {entry['areas']} 个一级指标，"
            f"{entry['leaves']} 项，{entry['points']} 分"
        )


if __name__ == "__main__":
    main()
