"""How an earlier round's units, areas and leaves find their counterparts in a later one: the
office's own links first (机构改革: renamed, merged, split units; a renumbered tree), then the
same name (units) or the same code, then the same name (areas and leaves). What finds no
counterpart is listed, never dropped."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

UNIT, AREA, LEAF = "unit", "area", "leaf"

SAME = "同名"
RENAMED = "更名"
MERGED = "合并"
SPLIT = "分设"
NEW = "新增"


@dataclass(frozen=True, slots=True)
class Link:
    """The office's word that ``earlier`` (a unit's name, an area's or leaf's code, in
    ``earlier_round``) is ``later`` in the round being compared."""

    kind: str  # UNIT / AREA / LEAF
    earlier_round: str
    earlier: str
    later: str


@dataclass(frozen=True, slots=True)
class UnitMatch:
    sources: tuple[str, ...]  # the earlier round's units this unit continues (none: new)
    how: str  # SAME / RENAMED / MERGED / SPLIT / NEW


@dataclass
class CodeMatches:
    """Later code -> earlier code, and how each was found (for the listing)."""

    found: dict[str, str] = field(default_factory=dict)
    how: dict[str, str] = field(default_factory=dict)  # later code -> 对应表/编码与名称/名称/编码
    new: list[str] = field(default_factory=list)  # later codes with no counterpart
    gone: list[str] = field(default_factory=list)  # earlier codes nobody continues


def match_units(
    later: Sequence[str], earlier: Sequence[str], links: Sequence[Link]
) -> tuple[dict[str, UnitMatch], list[str]]:
    """Each later unit's match, and the earlier units nobody continues."""
    linked: dict[str, list[str]] = {}
    for link in links:
        if link.kind == UNIT and link.earlier in earlier:
            linked.setdefault(link.later, []).append(link.earlier)
    existing = set(earlier)
    sources = {name: tuple(linked.get(name, [name] if name in existing else [])) for name in later}
    continued: dict[str, int] = {}
    for found in sources.values():
        for name in found:
            continued[name] = continued.get(name, 0) + 1
    matches = {}
    for name, found in sources.items():
        if not found:
            how = NEW
        elif len(found) > 1:
            how = MERGED
        elif continued[found[0]] > 1:
            how = SPLIT
        else:
            how = SAME if found[0] == name else RENAMED
        matches[name] = UnitMatch(found, how)
    gone = [name for name in earlier if name not in continued]
    return matches, gone


def match_codes(
    kind: str,
    later: Mapping[str, str],
    earlier: Mapping[str, str],
    links: Sequence[Link],
) -> CodeMatches:
    """Codes (-> names) of areas or leaves: links, then code and name, name, code alone."""
    result = CodeMatches()
    taken: set[str] = set()

    def take(code: str, source: str, how: str) -> None:
        result.found[code] = source
        result.how[code] = how
        taken.add(source)

    for link in links:
        if link.kind == kind and link.later in later and link.earlier in earlier:
            take(link.later, link.earlier, "对应表")
    by_name: dict[str, str] = {}
    for code, name in earlier.items():
        by_name.setdefault(name, code)
    steps = (
        ("编码与名称", lambda c, n: c if earlier.get(c) == n else None),
        ("名称", lambda c, n: by_name.get(n)),
        ("编码", lambda c, n: c if c in earlier else None),
    )
    for how, find in steps:
        for code, name in later.items():
            if code in result.found:
                continue
            source = find(code, name)
            if source is not None and source not in taken:
                take(code, source, how)
    result.new = [code for code in later if code not in result.found]
    result.gone = [code for code in earlier if code not in taken]
    return result
