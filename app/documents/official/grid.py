"""The GB/T 9704-2012 grid every official document is placed on: the page, the 版心 at 37 mm
from the top and 28 mm from the left, 22 lines of 28 characters of 3号 (16 pt) 仿宋. Kept apart
so the model, the line breaking and the writers share one set of measures."""

from __future__ import annotations

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

PAGE_WIDTH, PAGE_HEIGHT = A4
TOP, LEFT = 37 * mm, 28 * mm
TEXT_WIDTH, TEXT_HEIGHT = 156 * mm, 225 * mm
LINES, CHARS = 22, 28
LINE_PITCH = TEXT_HEIGHT / LINES  # 10.227 mm
BODY_SIZE, TITLE_SIZE, NOTE_SIZE = 16, 22, 14  # 三号, 二号, 四号
TABLE_SIZE, TABLE_LEADING, TABLE_PADDING = 12, 16, 4  # 小四 in attachment tables
CHAR_SPACE = TEXT_WIDTH / CHARS - BODY_SIZE  # so 28 characters fill the 版心 exactly
RED = Color(1, 0, 0)
RADAR_LINES = 8  # a unit's radar on its score sheet: about 82 mm of the 版心
SIGNATURE_LINES = 4  # two lines of room for the seal, then 署名 and 成文日期
KEEP_WITH_SIGNATURE = 2  # body lines that go to the next page with the signature


def baseline(line: int) -> float:
    """The baseline of grid line ``line`` (0 = first line of the 版心), in reportlab's y-up."""
    top_of_line = PAGE_HEIGHT - TOP - line * LINE_PITCH
    return top_of_line - LINE_PITCH + (LINE_PITCH - BODY_SIZE) / 2 + 0.2 * BODY_SIZE


def first_line_below(y: float) -> int:
    """The first grid line whose characters lie wholly below ``y`` (LINES if none does)."""
    line = 0
    while baseline(line) + BODY_SIZE > y and line < LINES:
        line += 1
    return line
