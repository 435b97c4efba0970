"""demo: the demo year written into the database."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.models.database import Database


def cmd_demo(db: Database, args: argparse.Namespace) -> None:
    from app.demo.build import build_demo

    summary = build_demo(db)
    print(summary)


def register(sub: Any, add: Callable[..., Any]) -> None:
    add("demo", cmd_demo, sub, help="生成完整的演示数据")
