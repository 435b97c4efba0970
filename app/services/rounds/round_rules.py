"""Changing a round's rules after it was set up: allowed until publication, each change kept in
the change log with the rules before and after (the office may find a quota rule that leaves a
category without places only once the units are in)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app.errors import UserError
from app.models.database import Database
from app.scoring.types import Rules
from app.services.access.audit import log_change
from app.services.access.permissions import Permission, require
from app.services.changes import NOTHING, Changes, changes_of
from app.services.rounds.definition import writable_round
from app.services.rounds.rules_storage import check_rules, rules_columns, rules_of


@dataclass(frozen=True)
class RulesChange:
    round_name: str
    before: Rules
    after: Rules
    changed: tuple[str, ...]  # the rules that differ, by their Chinese names
    changes: Changes = NOTHING  # what the write changed, for the window to refresh

    @property
    def any(self) -> bool:
        return bool(self.changed)


LABELS = {
    "satisfaction_weight": "满意度权重",
    "bonus_cap": "加分上限",
    "trim_from": "去掉最高最低分的评分人数",
    "grades": "等次分数线",
    "category_grades": "分类等次",
    "top_quota": "优秀比例",
    "bottom_n": "排名靠后数",
    "quota_scope": "名额范围",
    "quota_rounding": "名额取整",
    "quota_ties": "名额线上并列",
}


def rules_record(rules: Rules) -> dict[str, Any]:
    """The rules as the change log keeps them (Chinese names, text values)."""
    return {
        LABELS[key]: (str(value) if isinstance(value, Decimal) else value)
        for key, value in rules_columns(rules).items()
    }


def update_rules(db: Database, round_name: str, rules: Rules, reason: str = "") -> RulesChange:
    """Replace the round's rules (not its exemptions, which have their own service)."""
    require(Permission.MANAGE_ROUNDS)
    check_rules(rules)
    with db.transaction() as session:
        round_ = writable_round(session, round_name)
        before = rules_of(round_)
        present = {p.category_name for p in round_.participants}
        stray = [c for c in rules.category_grades if c not in present]
        if stray:
            raise UserError(f"分类等次中的类别“{'、'.join(stray)}”没有参加本批次的单位")
        old, new = rules_columns(before), rules_columns(rules)
        changed = tuple(LABELS[key] for key in old if old[key] != new[key])
        if not changed:
            return RulesChange(round_name, before, before, ())
        for key, value in new.items():
            setattr(round_, key, value)
        log_change(
            session,
            entity="考核规则",
            key=round_name,
            action="修改",
            old=rules_record(before),
            new=rules_record(rules),
            round_id=round_.id,
            reason=reason.strip(),
        )
        session.flush()
        after = rules_of(round_)
        return RulesChange(round_name, before, after, changed, changes_of(session))
