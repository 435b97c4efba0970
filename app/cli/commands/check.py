"""check: the database's integrity, the indicator trees and the data against the change log."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from app.cli.common import EXIT_USAGE_OR_INPUT

if TYPE_CHECKING:
    from app.models.database import Database


def cmd_check(db: Database, args: argparse.Namespace) -> None:
    from app.services.maintenance.check import check_database

    problems = check_database(db)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        raise SystemExit(EXIT_USAGE_OR_INPUT)
    print("检查通过：数据库完整，指标树一致，数据与变更记录一致")


READ_ONLY = frozenset({cmd_check})


def register(sub: Any, add: Callable[..., Any]) -> None:
    add("check", cmd_check, sub, help="检查数据库完整性与指标树一致性")
