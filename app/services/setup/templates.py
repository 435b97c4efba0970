"""The indicator-system templates shipped in resources/templates/: what there is, and loading
one as a new framework through the same reader and checks as an office's own workbook."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from app.errors import NotFound
from app.models.database import Database
from app.paths import resources_dir
from app.services.changes import Done
from app.services.setup.framework_import import (
    FrameworkPreview,
    commit_framework,
    preview_framework,
)
from app.services.setup.frameworks import FrameworkInfo


@dataclass(frozen=True)
class TemplateInfo:
    key: str
    title: str
    path: Path
    areas: int
    leaves: int
    points: Decimal
    description: str


def templates_dir() -> Path:
    return resources_dir() / "templates"


def list_templates() -> list[TemplateInfo]:
    folder = templates_dir()
    index = folder / "index.json"
    if not index.exists():
        return []
    entries = json.loads(index.read_text(encoding="utf-8"))
    return [
        TemplateInfo(
            e["key"],
            e["title"],
            folder / e["file"],
            int(e["areas"]),
            int(e["leaves"]),
            Decimal(e["points"]),
            e["description"],
        )
        for e in entries
    ]


def find_template(key: str) -> TemplateInfo:
    for template in list_templates():
        if key in (template.key, template.title):
            return template
    known = "、".join(t.key for t in list_templates()) or "无"
    raise NotFound(f"没有模板“{key}”（可用：{known}）")


def preview_template(db: Database, key: str) -> FrameworkPreview:
    preview = preview_framework(db, find_template(key).path)
    preview.sheets = []  # a template's other sheet is its 说明, never an indicator tree
    return preview


def import_template(
    db: Database, key: str, name: str, *, replace: bool = False
) -> Done[FrameworkInfo]:
    """A new framework from a template (its points are placeholders the office then sets)."""
    return commit_framework(db, preview_template(db, key), name, replace=replace)
