"""scores: a workbook of scores imported into a round."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.models.database import Database


def cmd_import(db: Database, args: argparse.Namespace) -> None:
    from app.services.entry import scores

    print("\n".join(scores.import_scores(db, args.file, args.round).lines()))


def register(sub: Any, add: Callable[..., Any]) -> None:
    group = sub.add_parser("scores", help="评分").add_subparsers(dest="action", required=True)
    p = add("import", cmd_import, group)
    p.add_argument("file")
    p.add_argument("--round", required=True)
