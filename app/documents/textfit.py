"""Breaking Chinese text into lines the way a clerk's Word document does: any character may end
a line, numbers and Latin words stay whole, and the 标点禁则 hold (no 。，、 at a line start, no
（《 at a line end)."""

from __future__ import annotations

import re
from collections.abc import Callable

NO_LINE_START = set("，。、；：？！）》」』】”’%‰·…—,.;:?!)]}")
NO_LINE_END = set("（《「『【“‘([{")
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.%/:\-]*|.", re.DOTALL)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def break_lines(
    text: str, width: float, measure: Callable[[str], float], first_indent: float = 0.0
) -> list[str]:
    """Greedy lines no wider than ``width`` (the first one ``first_indent`` narrower).
    A closing punctuation mark that would begin a line hangs at the end of the previous one.
    Widths add up token by token (each measured once), so long paragraphs stay fast."""
    lines: list[str] = []
    current: list[str] = []
    current_width = 0.0
    available = width - first_indent
    sizes: dict[str, float] = {}

    def size(token: str) -> float:
        known = sizes.get(token)
        if known is None:
            known = sizes[token] = measure(token)
        return known

    for token in tokens(text):
        token_width = size(token)
        if current and current_width + token_width > available:
            if token in NO_LINE_START:
                overflowing = current_width > available
                if not overflowing:
                    current.append(token)  # one mark may hang past the edge
                    current_width += token_width
                    continue
                # A second mark would hang too: the last word moves down with its marks.
                moved = [token]
                while len(current) > 1 and current[-1] in NO_LINE_START:
                    moved.insert(0, current.pop())
                if len(current) > 1:
                    moved.insert(0, current.pop())
                lines.append("".join(current))
                current = moved
                current_width = sum(size(t) for t in current)
                available = width
                continue
            carried: list[str] = []
            while current and current[-1] in NO_LINE_END:
                carried.insert(0, current.pop())
            if current:
                lines.append("".join(current))
            current = [*carried, token]
            current_width = sum(size(t) for t in current)
            available = width
            if current_width > available and len("".join(current)) > 1:
                lines.extend(_cut("".join(current), available, measure)[:-1])
                current = [_cut("".join(current), available, measure)[-1]]
                current_width = measure(current[0])
        else:
            current.append(token)
            current_width += token_width
    if current or not lines:
        lines.append("".join(current))
    return lines


def _cut(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """A token wider than a line (a long number or Latin word) cut where it must be."""
    pieces = []
    while len(text) > 1 and measure(text) > width:
        cut = len(text) - 1
        while cut > 1 and measure(text[:cut]) > width:
            cut -= 1
        pieces.append(text[:cut])
        text = text[cut:]
    return [*pieces, text]


def name_words(name: str) -> tuple[str, ...]:
    """An organisation's name as title words: the place (云州市, 云州) may end a title line,
    the rest stays whole. "中共云州市委" is not cut (市委 is one word)."""
    for mark in "市县区州":
        index = name.find(mark, 1, 6)
        if index > 0 and name[index + 1 : index + 2] not in ("", "市", "委", "县", "区"):
            return name[: index + 1], name[index + 1 :]
    return (name,)


def round_words(name: str) -> tuple[str, ...]:
    """A round's name as title words: "2025年度" | "法治政府建设考核"."""
    match = re.match(r"^(\d{4}年度?)(.+)$", name)
    return (match.group(1), match.group(2)) if match else (name,)
