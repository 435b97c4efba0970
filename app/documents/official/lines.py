"""Measuring and breaking text for the grid: the width of a run of text in the faces that have
its characters, and titles broken into balanced lines (a trapezoid or a diamond, never a word
split). Apart from the drawing so that a line's shape can be tested without a canvas."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.pdfbase.pdfmetrics import stringWidth

from app.documents.fonts import font_runs
from app.documents.textfit import break_lines

_WIDTHS: dict[tuple[str, str, float], float] = {}  # (text, font, size) -> width in points


def text_width(text: str, font: str, size: float, space: float) -> float:
    """The width of ``text`` in points, each character in a face that has it, with ``space``
    added after every character."""
    key = (text, font, size)
    known = _WIDTHS.get(key)
    if known is None:
        known = sum(stringWidth(run, f, size) for run, f in font_runs(text, font))
        if len(text) <= 4:  # characters and short words recur; whole lines do not
            _WIDTHS[key] = known
    return known + space * len(text)


def balanced_lines(
    text: str, width: float, font: str, size: float, parts: Sequence[str] = ()
) -> list[str]:
    """The fewest lines, made about equally long: an official title is a trapezoid or a
    diamond, never a long line over a stray word. With ``parts`` (the title's words) lines
    break only between words; a word longer than a line is broken where it must be."""

    def measure(s: str) -> float:
        return sum(stringWidth(run, f, size) for run, f in font_runs(s, font))

    if parts and "".join(parts) == text:
        words: list[str] = []
        for part in (p for p in parts if p):
            words += break_lines(part, width, measure) if measure(part) > width else [part]
        return _balanced_words(words, [measure(w) for w in words], width)
    lines = break_lines(text, width, measure)
    if len(lines) < 2:
        return lines
    target = measure(text) / len(lines)
    step = size / 2
    narrower = target
    while narrower <= width:
        attempt = break_lines(text, narrower, measure)
        if len(attempt) == len(lines):
            return attempt
        narrower += step
    return lines


MAX_BALANCED_WORDS = 40


def _filled_words(words: list[str], widths: list[float], width: float) -> list[str]:
    lines: list[str] = []
    line, used = "", 0.0
    for word, size in zip(words, widths, strict=True):
        if line and used + size > width + 0.01:
            lines.append(line)
            line, used = "", 0.0
        line, used = line + word, used + size
    return [*lines, line] if line else lines


def _balanced_words(words: list[str], widths: list[float], width: float) -> list[str]:
    """Words grouped into the fewest lines no wider than ``width``, the longest line as short
    as it can be; among equal groupings the one with the earliest breaks. A dynamic
    programme over where each line starts: trying every grouping took minutes for a title
    made long by a long name (issue 15 §2)."""
    from functools import cache

    count = len(words)
    if count > MAX_BALANCED_WORDS:  # not a title but a text: fill each line in turn
        return _filled_words(words, widths, width)

    def span(a: int, b: int) -> float:
        return sum(widths[a:b])

    @cache
    def longest(start: int, lines: int) -> float:
        """The shortest possible longest line for words[start:] in exactly ``lines`` lines."""
        if lines == 1:
            return span(start, count)
        return min(
            (
                max(span(start, cut), longest(cut, lines - 1))
                for cut in range(start + 1, count - lines + 2)
            ),
            default=float("inf"),
        )

    for lines in range(1, count + 1):
        best = longest(0, lines)
        if best > width + 0.01:
            continue
        result, start = [], 0
        for left in range(lines, 1, -1):
            cut = next(
                c
                for c in range(start + 1, count - left + 2)
                if max(span(start, c), longest(c, left - 1)) <= best
            )
            result.append("".join(words[start:cut]))
            start = cut
        result.append("".join(words[start:]))
        return result
    return words
