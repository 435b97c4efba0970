"""Statuses are compared by their enum members, never as bare text (issue 16): a misspelt
"公示中" would compare false without a sound; a misspelt RoundStatus.PUBLICITY fails at import."""

from __future__ import annotations

import ast
from pathlib import Path

from app.models.enums import NoticeStatus, ProblemStatus, RoundStatus

WORDS = {str(s) for enum in (RoundStatus, ProblemStatus, NoticeStatus) for s in enum}


def test_no_status_is_compared_as_bare_text() -> None:
    app = Path(__file__).resolve().parents[1] / "app"
    found = []
    for path in sorted(app.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Compare):
                continue
            for part in ast.walk(node):
                if isinstance(part, ast.Constant) and part.value in WORDS:
                    found.append(f"{path.relative_to(app)}:{node.lineno}: {part.value}")
    assert found == []


def test_the_members_are_the_words_the_database_holds() -> None:
    from app.models import ROUND_STATUSES
    from app.models.ledger import STATUSES

    assert ROUND_STATUSES == ("草稿", "评分中", "审核中", "公示中", "已发布")
    assert STATUSES == ("待整改", "整改中", "待核验", "已销号")
