"""What the command modules share: dates as typed, JSON as printed."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from app.services.errors import UserError


def parse_day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError(f"日期“{text}”无效，应为 YYYY-MM-DD") from None


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))
