"""The GB/T 9704 grid in Word's units (twentieths of a point, half points, eighths of a point)
and the Windows names of the faces each role uses. Derived from official.grid, so the .docx
and the PDF share one set of measures."""

from __future__ import annotations

import math

from app.documents.fonts import BODY, HEADING1, HEADING2, SONG, TITLE
from app.documents.official import grid

PT = 20  # twips per point
MM_TWIPS = 1440 / 25.4


def twips(points: float) -> int:
    return round(points * PT)


def mm_twips(mm: float) -> int:
    return round(mm * MM_TWIPS)


PAGE_WIDTH, PAGE_HEIGHT = 11906, 16838  # A4
TOP, LEFT = mm_twips(37), mm_twips(28)  # 天头 37 mm, 订口 28 mm
RIGHT = PAGE_WIDTH - LEFT - mm_twips(156)  # the 版心 156 mm wide
BOTTOM = PAGE_HEIGHT - TOP - mm_twips(225)  # and 225 mm high
TEXT_WIDTH = PAGE_WIDTH - LEFT - RIGHT
# 22 lines in 225 mm: 579.8 twips, kept at 579 so the 22nd line still fits (Word's own choice)
LINE_PITCH = int(mm_twips(225) / grid.LINES)
# 28 characters of 三号 in 156 mm: Word stores the pitch as its difference from the default
# font size in 1/4096 pt, rounded down so the 28th character still fits
CHAR_SPACE = math.floor((TEXT_WIDTH / PT / grid.CHARS - grid.BODY_SIZE) * 4096)
CELL = TEXT_WIDTH // grid.CHARS  # one character's cell, in twips
# Body text is set 0.25 pt tighter (twentieths of a point) than its 16 pt: 15.75 pt fits the
# 15.79 pt cell, where Word squeezes a character into the cell and LibreOffice gives a wider
# one two cells (16 characters to the line). Word still shows 28 a line (29 would not fit).
FIT_SPACING = -6

BODY_HALF_POINTS = grid.BODY_SIZE * 2
RED = "FF0000"

# The faces a clerk's PC has, by their Windows names; where one is missing, Word and WPS
# substitute as they always do (official.fonts draws the PDF with what is installed).
WINDOWS_FACES = {
    TITLE: "方正小标宋简体",
    BODY: "仿宋_GB2312",
    HEADING1: "黑体",
    HEADING2: "楷体_GB2312",
    SONG: "宋体",
}
