"""`demo`: a complete, scored example year, so the program can be tried (and tested) at once."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal

from sqlalchemy import select

from app.demo import content as demo_content
from app.errors import UserError
from app.io.records import RowSource, UnitRecord
from app.models import Assessor, RoundNode, RoundUnit, Unit
from app.models.database import Database
from app.scoring.types import GradeBand, Rules
from app.services.access.audit import current_user
from app.services.access.permissions import Permission, require
from app.services.entry.assignments import assign
from app.services.entry.cells import CellValue
from app.services.entry.checks import deduction_step
from app.services.entry.grid import CellChange, write_changes
from app.services.entry.scores import write_satisfaction
from app.services.publishing.office_settings import DocumentSettings, save_document_settings
from app.services.rounds.deadlines import add_months
from app.services.rounds.definition import Deadlines, create_round, find_round
from app.services.setup.frameworks import save_framework
from app.services.setup.units import save_units

LAW_GOVERNMENT = "法治政府建设指标体系"
DEMONSTRATION = "法治云州示范创建指标体系"
DEMO_ROUND = "2025年度法治政府建设考核"
PANEL_AREA = "3"  # the area every assessor scores: shows the trimmed mean
REASONS = (
    "抽查案卷发现执法文书不规范",
    "未按时报送年度法治政府建设报告",
    "重大行政决策未履行合法性审查程序",
    "行政规范性文件未按规定备案",
    "行政复议决定未按期履行",
    "政务公开栏目信息更新不及时",
    "行政执法人员未全部持证上岗",
    "普法责任清单未公开",
)
DEMO_RULES = Rules(
    satisfaction_weight=Decimal("0.2"),
    bonus_cap=Decimal(3),
    trim_from=5,
    top_quota=Decimal("0.3"),
    bottom_n=3,
    category_grades={
        "党群部门": (
            GradeBand("优秀", Decimal(92)),
            GradeBand("良好", Decimal(80)),
            GradeBand("合格", Decimal(60)),
            GradeBand("不合格", Decimal(0)),
        )
    },
)


DEMO_DOCUMENT_SETTINGS = DocumentSettings(
    office_name="中共云州市委全面依法治市委员会办公室",
    file_mark="中共云州市委全面依法治市委员会办公室文件",
    letter_mark="中共云州市委全面依法治市委员会办公室",
    rectification_prefix="云法办",
    supervision_prefix="云法办督",
    contact="联系人：李晓梅；联系电话：0851-28123456。",
    cc="市委办公室，市人大常委会办公室，市政府办公室，市政协办公室",
)


def build_demo(db: Database, *, seed: int = 2025) -> str:
    """Fill an empty database; refuses one that already holds units or frameworks."""
    require(Permission.MANAGE_SETUP)
    with db.transaction() as session:
        if session.scalar(select(Unit.id).limit(1)) is not None:
            raise UserError(
                "数据库中已有数据；演示数据只能生成到空数据库中（另建一个数据文件）",
                command="--db 新文件.db demo",
            )
        records = [
            UnitRecord(name, category, short, order, RowSource("演示数据", "单位", order))
            for order, (name, short, category) in enumerate(demo_content.DEMO_UNITS, start=1)
        ]
        save_units(session, records, source="演示数据")
        save_framework(
            session, LAW_GOVERNMENT, demo_content.law_government_framework(), source="演示数据"
        )
        save_framework(
            session, DEMONSTRATION, demo_content.demonstration_framework(), source="演示数据"
        )
        unit_ids = {u.name: u.id for u in session.scalars(select(Unit))}
        for name, department in demo_content.DEMO_ASSESSORS:
            session.add(
                Assessor(name=name, department=department, unit_id=unit_ids.get(department))
            )
    today = date.today()  # deadlines ahead of today, so the home page shows the stage's date
    create_round(
        db,
        name=DEMO_ROUND,
        framework=LAW_GOVERNMENT,
        year=2025,
        rules=DEMO_RULES,
        deadlines=Deadlines(
            today + timedelta(days=10), today + timedelta(days=24), today + timedelta(days=38)
        ),
    )
    for name, _ in demo_content.DEMO_ASSESSORS:  # area 3 is scored by a panel of all groups
        assign(db, DEMO_ROUND, name, [PANEL_AREA])
    entries = _score_round(db, random.Random(seed))
    save_document_settings(db, DEMO_DOCUMENT_SETTINGS)
    problems = _demo_ledger(db, today)
    return (
        f"演示数据已生成：{len(demo_content.DEMO_UNITS)} 个单位、2 套指标体系、"
        f"{len(demo_content.DEMO_ASSESSORS)} 个考核组，考核批次“{DEMO_ROUND}”共 {entries} 条评分，"
        f"整改台账 {problems} 个问题"
    )


def _demo_ledger(db: Database, today: date) -> int:
    """A ledger in every state: the round's deductions (found three months ago), a few from a
    法治督察 and a 人大审议意见, some progressed, verified, returned, overdue or due soon."""
    from app.services.ledger import problem_registration, problem_status
    from app.services.ledger import problems as ledger

    found = add_months(today, -3)
    created = problem_registration.create_from_round(db, DEMO_ROUND, found).value
    extra = [
        ("云州市民政局", "法治督察", "行政复议决定履行不及时", -2, 1),
        ("云州市自然资源和规划局", "人大审议意见", "行政执法案卷评查发现程序瑕疵", -4, -1),
        ("云州市市场监督管理局", "执法监督", "行政处罚裁量基准未及时修订", -1, 2),
        ("云州市交通运输局", "投诉举报", "执法人员未出示执法证件", 0, 3),
    ]
    numbers = []
    for unit, source, text, plan_shift, result_shift in extra:
        numbers.append(
            problem_registration.add_problem(
                db,
                unit,
                source,
                text,
                source_ref="2025年法治督察" if source == "法治督察" else "",
                found_on=found,
                plan_due=add_months(today, plan_shift) + timedelta(days=5),
                result_due=add_months(today, result_shift) - timedelta(days=3),
            ).value
        )
    rows = ledger.list_problems(db)
    for index, problem in enumerate(rows[:40]):
        problem_status.report_progress(
            db, problem.number, "已制定整改方案并落实责任人", "整改方案.pdf", done=index % 2 == 0
        )
        if index % 4 == 0:
            problem_status.verify(db, problem.number, True, "整改到位，佐证材料齐全")
        elif index % 4 == 2:
            problem_status.verify(db, problem.number, False, "佐证材料不足，请补充")
    problem_status.report_progress(db, numbers[0], "已启动履行程序")
    return created + len(extra)


def _score_round(db: Database, rng: random.Random) -> int:
    """Every score and survey value through the paths the office uses, one change-log record
    per cell (issue 15 §1: the state can then be checked against the log)."""
    with db.reading() as session:
        round_ = find_round(session, DEMO_ROUND)
        nodes = list(session.scalars(select(RoundNode).where(RoundNode.round_id == round_.id)))
        parents = {n.parent_id for n in nodes}
        leaves = [n for n in nodes if n.id not in parents]
        by_id = {n.id: n for n in nodes}
        participants = list(
            session.execute(
                select(RoundUnit.unit_id, RoundUnit.category_name, Unit.name)
                .join(Unit, Unit.id == RoundUnit.unit_id)
                .where(RoundUnit.round_id == round_.id)
                .order_by(RoundUnit.sort_order)
            )
        )
        assessors = list(session.scalars(select(Assessor).order_by(Assessor.id)))
    stand_ins: list[tuple[int, int, int]] = []
    rows = list(_demo_entries(rng, leaves, by_id, participants, assessors, stand_ins))
    unit_name = {unit_id: name for unit_id, _, name in participants}
    assessor_name = {a.id: a.name for a in assessors}
    standing_in: dict[tuple[int, int], list[str]] = defaultdict(list)
    for assessor_id, node_id, unit_id in sorted(set(stand_ins)):
        standing_in[(assessor_id, unit_id)].append(by_id[node_id].code)
    for (assessor_id, unit_id), codes in standing_in.items():
        assign(db, DEMO_ROUND, assessor_name[assessor_id], codes, [unit_name[unit_id]])
    changes = [
        CellChange(row.pop("unit_id"), row.pop("node_id"), row.pop("assessor_id"), CellValue(**row))
        for row in rows
    ]
    user = current_user()
    with db.transaction() as session:
        round_ = find_round(session, DEMO_ROUND)
        write_changes(session, round_, changes, user=user, source="演示数据")
        for unit_id, _, name in participants:
            score = Decimal(rng.randint(7400, 9850)) / 100
            write_satisfaction(
                session, round_.id, name, unit_id, score, None, None, user=user, source="演示数据"
            )
    return len(rows)


def _area_code(node: RoundNode, by_id: dict[int, RoundNode]) -> str:
    while node.parent_id is not None:
        node = by_id[node.parent_id]
    return node.code


def _demo_entries(
    rng: random.Random,
    leaves: list[RoundNode],
    by_id: dict[int, RoundNode],
    participants: list[tuple[int, str, str]],
    assessors: list[Assessor],
    stand_ins: list[tuple[int, int, int]],
) -> Iterator[dict[str, object]]:
    """Mostly small deductions; every method, N/A, bonus, a 5-assessor panel and one veto."""
    lead = {a.department.removeprefix("云州"): a for a in assessors}
    vetoed_unit = participants[len(participants) // 2][0]
    for position, (unit_id, category, _) in enumerate(participants):
        strength = rng.uniform(0.0, 1.0)  # weaker units lose more points
        for leaf in leaves:
            if leaf.categories and category not in leaf.categories:
                continue
            area = _area_code(leaf, by_id)
            if area == PANEL_AREA:
                panel = [a for a in assessors if a.unit_id != unit_id]  # 回避
            else:
                chosen = lead.get(leaf.lead_department, assessors[position % len(assessors)])
                if chosen.unit_id == unit_id:  # 回避: another group scores its own department
                    chosen = next(a for a in assessors if a.unit_id != unit_id)
                    stand_ins.append((chosen.id, leaf.id, unit_id))
                panel = [chosen]
            base = {"unit_id": unit_id, "node_id": leaf.id}
            if leaf.method == "否决":
                if unit_id == vetoed_unit:
                    yield {
                        **base,
                        "assessor_id": panel[0].id,
                        "veto": True,
                        "reason": "年内发生重大违法行政案件，被上级通报",
                    }
                continue
            if leaf.method == "加分":
                if rng.random() < 0.15:
                    yield {
                        **base,
                        "assessor_id": panel[0].id,
                        "score": Decimal(rng.choice((1, 2, 3))),
                        "reason": "经验做法被省级推广",
                    }
                continue
            if leaf.method == "扣分" and rng.random() < 0.01:
                yield {
                    **base,
                    "assessor_id": panel[0].id,
                    "not_applicable": True,
                    "reason": "本单位无此项职责",
                }
                continue
            for assessor in panel:
                yield {**base, "assessor_id": assessor.id, **_value(rng, leaf, strength)}


def _value(rng: random.Random, leaf: RoundNode, strength: float) -> dict[str, object]:
    points = leaf.points
    if leaf.method == "扣分":
        if rng.random() < 0.12 + 0.25 * (1 - strength):
            steps = rng.randint(1, max(1, int(points * 2)))
            deduction = Decimal(steps) / 2
            step = deduction_step(leaf)
            if step is not None and not step.allows(deduction, points):
                # a whole number of the leaf's items ("每起1": 0.5 becomes one item, 1)
                deduction = (deduction / step.step).to_integral_value(ROUND_CEILING) * step.step
            return {"deduction": deduction, "reason": rng.choice(REASONS)}
        return {"deduction": Decimal(0)}
    if leaf.method == "得分":
        quarters = int(points * 4)
        low = int(quarters * (0.55 + 0.4 * strength))
        return {"score": Decimal(rng.randint(low, quarters)) / 4}
    if leaf.method == "是否":
        return {"answer": rng.random() < 0.8 + 0.18 * strength}
    rate = Decimal(rng.randint(int(850 + 140 * strength), 1000)) / 1000
    return {"measured": rate}
