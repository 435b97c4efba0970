"""The publication gate (issue 14 §3): what must be settled before a round's results go out,
and what the office should look at first. One check, used by `round check`, by the step to
公示, by publication and by the results page's panel."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Assessor, Assignment, Round, RoundNode, Unit
from app.models.database import Database
from app.models.review import OBJECTION_PENDING, Objection
from app.scoring.types import MISSING_SURVEY, NOTHING_APPLIES, UNSCORED, Method
from app.services.access.state_verify import verify_database
from app.services.entry.missing_reasons import missing_reasons
from app.services.review.quota import quota_warnings_for
from app.services.review.results import RoundResults, compute_round_results, money, results_of
from app.services.rounds.definition import PUBLISHED, find_round
from app.services.rounds.round_data import RoundData, load_round_data
from app.services.rounds.rules_storage import rules_of

# Kinds of items, as the JSON and the panel name them.
INCOMPLETE_SURVEY = "满意度缺失"
INCOMPLETE_UNSCORED = "未评"
INCOMPLETE_NOTHING = "无适用指标"
NO_ASSESSOR = "无人可评"
NEVER_SCORED = "无评分记录"
PENDING_OBJECTION = "申辩待复核"
PUBLICATION_RUNNING = "公示未结束"
UNTOUCHED = "未录入"
OVER_POINTS = "扣分超分值"
BIG_CHANGE = "与上次差异大"
TIER_OVER = "分档超100%"
NO_PLACES = "优秀名额"
NO_REASON = "缺扣分理由"  # issue 17: a 酌情 deduction kept while its reason is still to come
TAMPERED = "数据被改动"  # issue 15 §1: nothing goes out over data the change log does not describe

SCORED_METHODS = frozenset({Method.DEDUCT, Method.SCORE, Method.YES_NO, Method.TIER})
VALUED_METHODS = frozenset({Method.SCORE, Method.YES_NO, Method.TIER})
BIG_CHANGE_POINTS = Decimal(20)


@dataclass(frozen=True)
class GateItem:
    kind: str
    message: str
    unit: str | None = None
    leaf: str | None = None
    assessor: str | None = None

    def as_json(self) -> dict[str, Any]:
        found = asdict(self)
        return {key: found[key] for key in ("kind", "unit", "leaf", "assessor", "message")}


@dataclass(frozen=True)
class GateReport:
    round_name: str
    status: str
    blocking: list[GateItem] = field(default_factory=list)
    warnings: list[GateItem] = field(default_factory=list)

    @property
    def clear(self) -> bool:
        return not self.blocking

    def as_json(self) -> dict[str, Any]:
        return {
            "round": self.round_name,
            "status": self.status,
            "blocking": [item.as_json() for item in self.blocking],
            "warnings": [item.as_json() for item in self.warnings],
        }

    def summary(self, limit: int = 12) -> list[str]:
        """Lines a person reads: counts per kind, then the first items of each."""
        lines = []
        for title, items in (("须先解决", self.blocking), ("请注意", self.warnings)):
            if not items:
                continue
            counts = Counter(item.kind for item in items)
            lines.append(f"{title}：" + "，".join(f"{k} {n} 项" for k, n in counts.items()))
            lines.extend(f"  · {item.message}" for item in items[:limit])
            if len(items) > limit:
                lines.append(f"  … 另有 {len(items) - limit} 项")
        return lines


def check_round(db: Database, round_name: str, today: date | None = None) -> GateReport:
    today = today or date.today()
    with db.reading() as session:
        round_ = find_round(session, round_name)
        data = load_round_data(session, round_)
        results = results_of(round_name, round_.status, data, rules_of(round_))
        report = GateReport(round_name, round_.status)
        cells = _Cells(session, round_, data)
        report.blocking.extend(_incomplete(results, data, cells))
        report.blocking.extend(cells.never_scored())
        report.blocking.extend(cells.without_assessor())
        report.blocking.extend(_pending_objections(session, round_))
        report.blocking.extend(  # a deduction that needs its reason cannot be explained
            GateItem(NO_REASON, m.message, unit=m.unit, leaf=m.leaf, assessor=m.assessor)
            for m in missing_reasons(session, round_)
        )
        report.blocking.extend(_publication_running(round_, today))
        report.warnings.extend(cells.untouched())
        report.warnings.extend(_over_points(data))
        report.warnings.extend(_tiers_over(data))
        categories = Counter(unit.category for unit in data.units)
        rules = results.rules
        previous = _previous_round(session, round_)
        round_id = round_.id
    report.blocking[:0] = _tampered(db, round_id)
    report.warnings.extend(
        GateItem(NO_PLACES, message) for message in quota_warnings_for(rules, categories)
    )
    if previous is not None:
        report.warnings.extend(_big_changes(results, compute_round_results(db, previous)))
    return report


class _Cells:
    """Which (unit, leaf) cells apply, who may score them and who did."""

    def __init__(self, session: Session, round_: Round, data: RoundData) -> None:
        self.data = data
        self.marked_na = {(e.unit, e.leaf) for e in data.entries if e.not_applicable}
        self.entered = {(e.unit, e.leaf) for e in data.entries}
        self.entered_by = {(e.unit, e.leaf, e.assessor) for e in data.entries}
        self.units_with_entries = {e.unit for e in data.entries}
        code_of = {n.id: n.code for n in round_.nodes}
        unit_name = {uid: name for name, uid in data.unit_ids.items()}
        own_unit: dict[int, int | None] = dict(
            session.execute(select(Assessor.id, Assessor.unit_id)).all()
        )
        assessor_name = dict(session.execute(select(Assessor.id, Assessor.name)).all())
        # leaf -> [(assessor, their own unit, the unit assigned or None for all)]
        self.assigned: dict[str, list[tuple[str, str | None, str | None]]] = defaultdict(list)
        for a in session.scalars(select(Assignment).where(Assignment.round_id == round_.id)):
            own = own_unit.get(a.assessor_id)
            self.assigned[code_of[a.node_id]].append(
                (
                    assessor_name[a.assessor_id],
                    unit_name.get(own) if own is not None else None,
                    unit_name.get(a.unit_id) if a.unit_id is not None else None,
                )
            )

    def applicable(self, methods: frozenset[Method] = SCORED_METHODS):
        for unit in self.data.units:
            for leaf in self.data.leaves:
                if leaf.method not in methods:
                    continue
                if leaf.categories is not None and unit.category not in leaf.categories:
                    continue
                if (unit.name, leaf.code) in self.marked_na:
                    continue
                yield unit, leaf

    def may_score(self, unit: str, leaf: str) -> list[str]:
        return [
            assessor
            for assessor, own, assigned_unit in self.assigned.get(leaf, [])
            if own != unit and assigned_unit in (None, unit)
        ]

    def never_scored(self) -> list[GateItem]:
        return [
            GateItem(
                NEVER_SCORED,
                f"“{unit.name}”没有任何评分记录：所有指标都未录入，发布后将按满分或零分计",
                unit=unit.name,
            )
            for unit in self.data.units
            if unit.name not in self.units_with_entries
        ]

    def without_assessor(self) -> list[GateItem]:
        found = []
        for unit, leaf in self.applicable():
            if (unit.name, leaf.code) in self.entered or self.may_score(unit.name, leaf.code):
                continue
            why = "（分工内的评分人须回避）" if self.assigned.get(leaf.code) else "（没有分工）"
            found.append(
                GateItem(
                    NO_ASSESSOR,
                    f"“{unit.name}”的指标 {leaf.code} 没有可以评分的评分人{why}，也没有录入",
                    unit=unit.name,
                    leaf=leaf.code,
                )
            )
        return found

    def untouched(self) -> list[GateItem]:
        """Per assessor: assigned 扣分 cells with nothing entered (checked-and-clean and
        never-checked look the same, so the office asks)."""
        counts: Counter[str] = Counter()
        totals: Counter[str] = Counter()
        for unit, leaf in self.applicable(frozenset({Method.DEDUCT})):
            for assessor in self.may_score(unit.name, leaf.code):
                totals[assessor] += 1
                if (unit.name, leaf.code, assessor) not in self.entered_by:
                    counts[assessor] += 1
        return [
            GateItem(
                UNTOUCHED,
                f"评分人“{assessor}”分工内 {totals[assessor]} 个扣分格中有 {count} 个什么也没录入"
                "（“已检查、无扣分”与“未检查”看起来一样，请向评分人确认）",
                assessor=assessor,
            )
            for assessor, count in sorted(counts.items(), key=lambda kv: -kv[1])
        ]


def _incomplete(results: RoundResults, data: RoundData, cells: _Cells) -> list[GateItem]:
    valued = {(unit.name, leaf.code) for unit, leaf in cells.applicable(VALUED_METHODS)}
    found = []
    for unit in results.result.units:
        for reason in unit.incomplete:
            if reason == UNSCORED:
                leaves = [
                    leaf.code
                    for leaf in data.leaves
                    if (unit.unit, leaf.code) in valued
                    and (unit.unit, leaf.code) not in cells.entered
                ]
                found.extend(
                    GateItem(
                        INCOMPLETE_UNSCORED,
                        f"“{unit.unit}”的指标 {code} 未评分（得分、是否、分档类指标必须评分）",
                        unit=unit.unit,
                        leaf=code,
                    )
                    for code in leaves
                )
            elif reason == MISSING_SURVEY:
                found.append(
                    GateItem(
                        INCOMPLETE_SURVEY,
                        f"“{unit.unit}”没有满意度测评结果（可导入，或登记为不参加测评）",
                        unit=unit.unit,
                    )
                )
            elif reason == NOTHING_APPLIES:
                found.append(
                    GateItem(
                        INCOMPLETE_NOTHING,
                        f"“{unit.unit}”没有适用的指标（全部不适用或不属其类别），不能计分",
                        unit=unit.unit,
                    )
                )
    return found


def _tampered(db: Database, round_id: int) -> list[GateItem]:
    """One item per difference between the round's data (and the accounts) and what the change
    log describes, named like the CLI names it; and the chain's or the seals' own problems."""
    verification = verify_database(db, round_id)
    items = []
    if verification.chain.first_broken is not None:
        items.append(GateItem(TAMPERED, f"变更记录链校验失败：{verification.chain.problem}"))
    state = verification.state
    if state is not None:
        items += [GateItem(TAMPERED, problem) for problem in state.problems]
        items += [
            GateItem(TAMPERED, d.message, unit=d.unit, leaf=d.leaf, assessor=d.assessor)
            for d in state.differences
        ]
    return items


def _pending_objections(session: Session, round_: Round) -> list[GateItem]:
    rows = session.execute(
        select(Unit.name, RoundNode.code)
        .join(Objection, Objection.unit_id == Unit.id)
        .join(RoundNode, RoundNode.id == Objection.node_id)
        .where(Objection.round_id == round_.id, Objection.status == OBJECTION_PENDING)
        .order_by(Objection.id)
    ).all()
    return [
        GateItem(
            PENDING_OBJECTION,
            f"“{unit}”对指标 {code} 的申辩尚未复核",
            unit=unit,
            leaf=code,
        )
        for unit, code in rows
    ]


def _publication_running(round_: Round, today: date) -> list[GateItem]:
    due = round_.publication_due
    if due is None or today > due:
        return []
    return [
        GateItem(
            PUBLICATION_RUNNING,
            f"公示期至 {due:%Y年%m月%d日} 止，尚未结束（今天 {today:%Y年%m月%d日}）",
        )
    ]


def _over_points(data: RoundData) -> list[GateItem]:
    points = {leaf.code: leaf.points for leaf in data.leaves}
    return [
        GateItem(
            OVER_POINTS,
            f"评分人“{e.assessor}”对“{e.unit}”指标 {e.leaf} 扣 {e.deduction.normalize():f} 分，"
            f"超过该项分值 {points[e.leaf].normalize():f} 分（按扣完为止计）",
            unit=e.unit,
            leaf=e.leaf,
            assessor=e.assessor,
        )
        for e in data.entries
        if e.deduction is not None and e.leaf in points and e.deduction > points[e.leaf]
    ]


def _tiers_over(data: RoundData) -> list[GateItem]:
    return [
        GateItem(
            TIER_OVER,
            f"评分人“{e.assessor}”对“{e.unit}”指标 {e.leaf} 的分档实际值为 "
            f"{e.measured * 100:.4g}%，超过 100%",
            unit=e.unit,
            leaf=e.leaf,
            assessor=e.assessor,
        )
        for e in data.entries
        if e.measured is not None and e.measured > 1
    ]


def _previous_round(session: Session, round_: Round) -> str | None:
    """The latest published round before this one (by year, then by creation)."""
    earlier = [
        r
        for r in session.scalars(
            select(Round).where(Round.status == PUBLISHED, Round.id != round_.id)
        )
        if (r.year, r.created_at) < (round_.year, round_.created_at)
    ]
    return max(earlier, key=lambda r: (r.year, r.created_at)).name if earlier else None


def _big_changes(now: RoundResults, before: RoundResults) -> list[GateItem]:
    earlier = {u.unit: u.final for u in before.result.units}
    found = []
    for unit in now.result.units:
        if unit.unit in earlier and abs(unit.final - earlier[unit.unit]) > BIG_CHANGE_POINTS:
            found.append(
                GateItem(
                    BIG_CHANGE,
                    f"“{unit.unit}”本次 {money(unit.final)} 分，上次（{before.round_name}）"
                    f"{money(earlier[unit.unit])} 分，相差超过 {BIG_CHANGE_POINTS} 分",
                    unit=unit.unit,
                )
            )
    return found
