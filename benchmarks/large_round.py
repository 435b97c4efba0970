"""A generated round the size the issue names: 80 units x 155 leaves, 5 assessors on every leaf
(62,000 score entries at most), for the grid and workbook benchmarks."""

from __future__ import annotations

import random
from decimal import Decimal

from sqlalchemy import insert, select

from app.io.records import FrameworkSheet, NodeRecord, RowSource, UnitRecord
from app.models import Assessor, RoundNode, RoundUnit, SatisfactionResult, ScoreEntry
from app.models.database import Database
from app.scoring.types import Method, Rules, Tier
from app.services.entry.assignments import assign
from app.services.rounds.definition import create_round
from app.services.setup.frameworks import save_framework
from app.services.setup.units import save_units

LARGE_ROUND = "大批次考核"
CATEGORIES = ("党群部门", "政府部门", "县区")
METHODS = (
    (Method.DEDUCT,) * 9 + (Method.SCORE, Method.YES_NO, Method.TIER)  # most leaves deduct
)


def _framework(leaves: int) -> FrameworkSheet:
    """Areas of two levels below them, ``leaves`` leaves worth 100 points, two bonus leaves
    and a veto."""
    areas = 6
    roots: list[NodeRecord] = []
    made = 0
    scored = leaves - 3
    for a in range(1, areas + 1):
        area = NodeRecord(str(a), f"一级指标{a}", 1, None)
        for b in range(1, 6):
            middle = NodeRecord(f"{a}.{b}", f"二级指标{a}.{b}", 2, None)
            area.children.append(middle)
            for c in range(1, 7):
                if made >= scored or (c > 5 and a < areas):
                    break
                method = METHODS[made % len(METHODS)]
                tiers = (
                    (Tier(Decimal("0.95"), Decimal(1)), Tier(Decimal("0.9"), Decimal("0.5")))
                    if method is Method.TIER
                    else ()
                )
                middle.children.append(
                    NodeRecord(
                        f"{a}.{b}.{c}",
                        f"三级指标{a}.{b}.{c}：按规定落实相关工作",
                        3,
                        Decimal("0.5") if made % 2 else Decimal(1),
                        method,
                        tiers=tiers,
                        standard="未落实的，每项扣0.5分，扣完为止"
                        if method is Method.DEDUCT
                        else "",
                    )
                )
                made += 1
        roots.append(area)
    extra = NodeRecord("9", "加分与否决", 1, None)
    extra.children = [
        NodeRecord("9.1", "创新加分", 2, Decimal(2), Method.BONUS),
        NodeRecord("9.2", "示范加分", 2, Decimal(1), Method.BONUS),
        NodeRecord("9.3", "一票否决", 2, Decimal(0), Method.VETO),
    ]
    roots.append(extra)
    return FrameworkSheet(roots, None)


def build_large_round(
    db: Database,
    *,
    units: int = 80,
    leaves: int = 155,
    assessors: int = 5,
    seed: int = 7,
    spread: bool = False,
) -> str:
    """An empty database filled with one round of that size, every cell scored by every
    assessor (bonus and veto leaves only now and then). ``spread``: each assessor gets its
    own share of the leaves instead, and nothing is scored yet (for workbook round trips)."""
    rng = random.Random(seed)
    with db.transaction() as session:
        save_units(
            session,
            [
                UnitRecord(
                    f"测试单位{n:03d}",
                    CATEGORIES[n % len(CATEGORIES)],
                    f"单位{n:03d}",
                    n,
                    RowSource("生成", "单位", n),
                )
                for n in range(1, units + 1)
            ],
            source="生成",
        )
        save_framework(session, "大指标体系", _framework(leaves), source="生成")
        for n in range(1, assessors + 1):
            session.add(Assessor(name=f"考核组{n}", department=f"考核组{n}"))
    create_round(
        db, name=LARGE_ROUND, framework="大指标体系", year=2025, rules=Rules(Decimal("0.2"))
    )
    if spread:
        with db.reading() as session:
            nodes = list(session.scalars(select(RoundNode)))
        parents = {n.parent_id for n in nodes}
        codes = [n.code for n in nodes if n.id not in parents and n.method not in ("加分", "否决")]
        for n in range(assessors):
            assign(db, LARGE_ROUND, f"考核组{n + 1}", codes[n::assessors])
        return LARGE_ROUND
    for n in range(1, assessors + 1):
        assign(db, LARGE_ROUND, f"考核组{n}", ["1", "2", "3", "4", "5", "6", "9"])
    with db.transaction() as session:
        nodes = list(session.scalars(select(RoundNode)))
        parents = {n.parent_id for n in nodes}
        leaf_nodes = [n for n in nodes if n.id not in parents]
        round_id = nodes[0].round_id
        unit_ids = list(session.scalars(select(RoundUnit.unit_id)))
        assessor_ids = list(session.scalars(select(Assessor.id)))
        rows = []
        for unit_id in unit_ids:
            for node in leaf_nodes:
                for assessor_id in assessor_ids:
                    value = _value(rng, node)
                    if value is not None:
                        rows.append(
                            {
                                "round_id": round_id,
                                "unit_id": unit_id,
                                "node_id": node.id,
                                "assessor_id": assessor_id,
                                **value,
                            }
                        )
        session.execute(insert(ScoreEntry), rows)
        for unit_id in unit_ids:
            score = Decimal(rng.randint(7000, 9900)) / 100
            session.add(SatisfactionResult(round_id=round_id, unit_id=unit_id, score=score))
    return LARGE_ROUND


def _value(rng: random.Random, node: RoundNode) -> dict[str, object] | None:
    method = node.method
    if method == "扣分":
        if rng.random() < 0.2:
            return {"deduction": Decimal(rng.randint(1, 2)) / 2, "reason": "抽查发现问题"}
        return {"deduction": Decimal(0)}
    if method == "得分":
        return {"score": Decimal(rng.randint(int(node.points * 2), int(node.points * 4))) / 4}
    if method == "是否":
        return {"answer": rng.random() < 0.9}
    if method == "分档":
        return {"measured": Decimal(rng.randint(850, 1000)) / 1000}
    if method == "加分" and rng.random() < 0.05:
        return {"score": Decimal(1), "reason": "经验被推广"}
    return None
