"""audit: the change log — verified, resealed after changes made outside the program, listed,
exported."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from app.cli.common import EXIT_USAGE_OR_INPUT, print_json
from app.errors import UserError

if TYPE_CHECKING:
    from app.models.database import Database
    from app.services.access.state_verify import Verification


def cmd_verify(db: Database, args: argparse.Namespace) -> None:
    """The chain of records, then the state against it (issue 15 §1); exit 2 when either fails."""
    from app.services.access.state_verify import verify_database

    verification = verify_database(db, evidence=True)
    if args.json:
        print_json(verification.as_json())
    else:
        for line, failed in verification_lines(verification):
            print(line, file=sys.stderr if failed else sys.stdout)
    if not verification.ok:
        raise SystemExit(EXIT_USAGE_OR_INPUT)


def verification_lines(verification: Verification) -> list[tuple[str, bool]]:
    """What `audit verify` prints: (line, whether it reports a failure)."""
    chain, state = verification.chain, verification.state
    lines = []
    if chain.first_broken is not None:
        lines.append((f"变更记录链校验失败：{chain.problem}（共检查 {chain.records} 条）", True))
    else:
        head = f"变更记录链完整：{chain.records} 条记录，链头校验码 {chain.short_code}"
        lines.append((head, False))
    if state is None:
        lines.append(("数据状态：此数据库来自封存数据状态之前的版本，只校验了变更记录链", False))
    elif state.ok:
        lines.append(
            (
                f"数据与变更记录一致：{state.groups} 组 {state.rows} 行，"
                f"状态摘要 {state.short_code}（{state.seconds:.2f} 秒）",
                False,
            )
        )
    else:
        lines.append(("数据与变更记录不一致：数据在程序之外被改动", True))
        lines += [(line, True) for line in state.summary(limit=200)]
    evidence = verification.evidence
    if evidence is not None and evidence.ok and evidence.files:
        lines.append(
            (
                f"佐证材料完好：{evidence.files} 个文件 {evidence.size / 1024 / 1024:.1f} MB，"
                f"内容与记录的 SHA-256 一致（{evidence.seconds:.2f} 秒）",
                False,
            )
        )
    elif evidence is not None and not evidence.ok:
        lines.append((f"佐证材料有 {len(evidence.problems)} 个文件不是存入时的内容：", True))
        lines += [(f"  · {p.message}", True) for p in evidence.problems[:200]]
    return lines


def cmd_reseal(db: Database, args: argparse.Namespace) -> None:
    from app.services.access.state_verify import reseal_state

    found = reseal_state(db, args.reason)
    if not found.differences and not found.problems:
        print("数据与变更记录一致，无需重新封存")
        return
    print(
        f"已重新封存：确认了 {len(found.differences)} 处程序外的改动"
        f"{'和封存记录的问题' if found.problems else ''}，已记入变更记录（理由：{args.reason}）"
    )


def cmd_export(db: Database, args: argparse.Namespace) -> None:
    from app.services.access import audit

    round_id = _round_id(db, args.round) if args.round else None
    print(f"已导出到 {audit.export_changes(db, args.out, round_id)}")


def _round_id(db: Database, name: str) -> int:
    from app.services.rounds import definition as rounds

    found = next((r.id for r in rounds.list_rounds(db) if r.name == name), None)
    if found is None:
        raise UserError(f"没有名为“{name}”的考核批次")
    return found


def cmd_list(db: Database, args: argparse.Namespace) -> None:
    from app.services.access import audit

    round_id = _round_id(db, args.round) if args.round else None
    lines = audit.list_changes(db, round_id)
    if args.json:
        print_json(
            [
                {
                    "id": x.id,
                    "at": x.at.isoformat(timespec="seconds"),
                    "user": x.user,
                    "entity": x.entity,
                    "key": x.key,
                    "action": x.action,
                    "old": x.old,
                    "new": x.new,
                    "reason": x.reason,
                    "source": x.source,
                }
                for x in lines
            ]
        )
        return
    for x in lines:
        print(f"{x.id:>6} {x.at:%Y-%m-%d %H:%M} {x.user} {x.action}{x.entity} {x.key}")


READ_ONLY = frozenset({cmd_verify, cmd_list, cmd_export})


def register(sub: Any, add: Callable[..., Any]) -> None:
    group = sub.add_parser("audit", help="变更记录").add_subparsers(dest="action", required=True)
    p = add("verify", cmd_verify, group, help="校验变更记录链，并校验数据与变更记录一致")
    p.add_argument("--json", action="store_true")
    p = add(
        "reseal",
        cmd_reseal,
        group,
        help="确认程序外的改动并重新封存（仅管理员；须说明理由，记入变更记录）",
    )
    p.add_argument("--reason", required=True)
    p = add("list", cmd_list, group)
    p.add_argument("--json", action="store_true")
    p.add_argument("--round")
    p = add("export", cmd_export, group, help="导出变更记录（.xlsx，带校验码）")
    p.add_argument("--out", required=True)
    p.add_argument("--round")
