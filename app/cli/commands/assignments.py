"""assessor / assign: who scores (评分人, with the unit they never score) and what (分工)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from app.cli.common import print_json

if TYPE_CHECKING:
    from app.models.database import Database


def _codes(text: str | None) -> list[str] | None:
    if text is None:
        return None
    return [c.strip() for c in text.replace("、", ",").replace("，", ",").split(",") if c.strip()]


def cmd_assessor_add(db: Database, args: argparse.Namespace) -> None:
    from app.services.entry.assignment_admin import add_assessor

    info = add_assessor(db, args.name, department=args.department or "", own_unit=args.unit).value
    print(f"已添加评分人“{info.name}”" + (f"（回避：{info.own_unit}）" if info.own_unit else ""))


def cmd_assessor_list(db: Database, args: argparse.Namespace) -> None:
    from app.services.entry.assignment_admin import list_assessors

    rows = list_assessors(db)
    if args.json:
        print_json([{"name": a.name, "department": a.department, "unit": a.own_unit} for a in rows])
        return
    for a in rows:
        print(f"{a.name}  {a.department}" + (f"  回避：{a.own_unit}" if a.own_unit else ""))


def cmd_assign_add(db: Database, args: argparse.Namespace) -> None:
    from app.services.entry.assignments import assign

    added = assign(
        db, args.round, args.assessor, _codes(args.leaves) or [], _codes(args.units)
    ).value
    print(f"已为“{args.assessor}”增加 {added} 条分工")


def cmd_assign_remove(db: Database, args: argparse.Namespace) -> None:
    from app.services.entry.assignment_admin import unassign

    removed = unassign(db, args.round, args.assessor, _codes(args.leaves)).value
    print(f"已取消“{args.assessor}”的 {removed} 条分工（已给的评分保留）")


def cmd_assign_list(db: Database, args: argparse.Namespace) -> None:
    from app.services.entry.assignment_admin import round_work

    work = round_work(db, args.round)
    if args.json:
        print_json(
            [
                {
                    "assessor": w.assessor,
                    "own_unit": w.own_unit,
                    "leaves": w.leaves,
                    "units": w.units,
                    "cells": w.cells,
                }
                for w in work
            ]
        )
        return
    for w in work:
        units = "全部单位" if w.units is None else f"{len(w.units)} 个单位"
        print(f"{w.assessor}：{len(w.leaves)} 项指标 × {units}，共 {w.cells} 格")


def register(sub: Any, add: Callable[..., Any]) -> None:
    group = sub.add_parser("assessor", help="评分人").add_subparsers(dest="action", required=True)
    p = add("add", cmd_assessor_add, group, help="添加评分人")
    p.add_argument("name")
    p.add_argument("--department", help="所属部门或考核组")
    p.add_argument("--unit", help="评分人所在的考核对象（回避：不给本单位评分）")
    add("list", cmd_assessor_list, group).add_argument("--json", action="store_true")

    group = sub.add_parser("assign", help="分工：谁评哪些指标、哪些单位").add_subparsers(
        dest="action", required=True
    )
    p = add("add", cmd_assign_add, group, help="分配指标（编码含其下级）给评分人")
    p.add_argument("--round", required=True)
    p.add_argument("--assessor", required=True)
    p.add_argument("--leaves", required=True, help="指标编码，逗号分隔；一级编码含其全部下级")
    p.add_argument("--units", help="只评这些单位（逗号分隔；默认全部）")
    p = add("remove", cmd_assign_remove, group, help="取消分工（已给的评分保留）")
    p.add_argument("--round", required=True)
    p.add_argument("--assessor", required=True)
    p.add_argument("--leaves", help="只取消这些指标（默认全部）")
    p = add("list", cmd_assign_list, group, help="各评分人的分工")
    p.add_argument("--round", required=True)
    p.add_argument("--json", action="store_true")
