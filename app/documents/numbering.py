"""The documents number their headings and items themselves (一、（一） 1.), or print a code
beside a name; a name or a line that brings its own number ("一、依法履职", "7.依法决策",
"（1）…", "①…") loses that number first, so that a notice never prints "（一）一、依法履职" or
"1.7.依法决策". Only what is printed loses it: the stored name keeps its number as written."""

from __future__ import annotations

import re

CHINESE_NUMBERS = "一二三四五六七八九十"
_CHINESE = "一二三四五六七八九十百零〇两"
# One enumeration at the start of a text, and the spaces after it. A number is one only with
# its mark: "1.5倍" and "12345热线" keep theirs, "2025年度" too.
_ENUMERATION = re.compile(
    r"^\s*(?:"
    rf"[{_CHINESE}]+\s*[、.．]"  # 一、 十二．
    rf"|[(（]\s*(?:[{_CHINESE}]+|\d{{1,2}})\s*[)）]\s*[、.．]?"  # （一） (1) （１）、
    r"|\d{1,3}(?:[.．]\d{1,3})*(?:\s*、|[.．](?!\d))"  # 1. 1、 1.7. 7．
    r"|\d{1,3}(?:[.．]\d{1,3})+(?=\s)"  # 1.7 依法 (a code, then a space)
    r"|\d{1,2}\s*[)）]"  # 1) 1）
    r"|[\u2460-\u249b]"  # ① … ⑳, ⑴ … ⒇, ⒈ … ⒛
    r"|[\u2160-\u217f]\s*[、.．]"  # Ⅰ、 ⅱ.
    r")\s*"
)


def chinese_ordinal(n: int) -> str:
    """一 … 九十九, as headings are numbered."""
    if n <= 10:
        return CHINESE_NUMBERS[n - 1]
    if n < 20:
        return "十" + CHINESE_NUMBERS[n - 11]
    tens, ones = divmod(n, 10)
    return CHINESE_NUMBERS[tens - 1] + "十" + (CHINESE_NUMBERS[ones - 1] if ones else "")


def without_enumeration(text: str) -> str:
    """``text`` without the numbers it starts with ("一、（一）1.依法" -> "依法"); a text that
    is nothing but a number stays as it is."""
    rest = text
    while (match := _ENUMERATION.match(rest)) is not None and match.end() < len(rest):
        rest = rest[match.end() :]
    return rest if rest.strip() else text


def heading(n: int, text: str) -> str:
    """A second-level heading: "（一）依法履职"."""
    return f"（{chinese_ordinal(n)}）{without_enumeration(text)}"


def item(n: int, text: str) -> str:
    """A numbered item: "1.依法决策"."""
    return f"{n}.{without_enumeration(text)}"
