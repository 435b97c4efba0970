"""A round's entries as rows of plain values, scored without an Entry object per row (issue 22).

A city's round has 60,000 entries and a stress round 3 million; building an Entry for each cost
more than the arithmetic. The caller reads them in two kinds of rows, each naming its group
(unit and leaf) by one key:

- usual rows, the bulk of every round: (key, assessor, deduction) of the entries that carry
  nothing but a deduction that is not negative (or nothing at all) and no 不适用 or 否决 mark;
- other rows: (key, assessor, deduction, score, answer, measured, not_applicable, veto).

A group of the usual kind — a 扣分 leaf with usual rows only, or a 得分/是否/分档/加分 leaf with
one valid value per assessor — is scored here with leaf_scores.py's sums in Decimal, so its
(sum, divisor) is the very value leaf_score gives. Every other group (否决 leaves, marks, a
negative deduction, several values from one assessor, a value in the wrong field or out of
range) is named in ``unusual``: the caller reads its rows again in order, as whole entries
(add_entries), and leaf_scores.py scores or refuses them as it always has.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from app.scoring.engine import EXACT, UnitEntries
from app.scoring.engine import _cyclic_gc_paused as gc_paused  # millions of objects, no cycles
from app.scoring.leaf_scores import ZERO
from app.scoring.types import Entry, Leaf, Method

__all__ = ["SCORED_HERE", "RowScores", "add_entries", "score_rows"]

# The entries of a group scored here: unit_result takes its (sum, divisor) from ``scored``.
SCORED_HERE: list[Entry] = []
_VALUED = (Method.SCORE, Method.BONUS, Method.YES_NO, Method.TIER)
Place = Callable[[Hashable], tuple[str, Leaf]]  # a group's key -> (unit name, leaf)


class _Numbers(dict[Any, Decimal]):
    """Decimal of each distinct text, converted once (a round has a handful: "0", "0.5", "1")."""

    def __missing__(self, text: Any) -> Decimal:
        value = self[text] = ZERO if text is None else Decimal(text)
        return value


@dataclass
class RowScores:
    grouped: dict[str, UnitEntries] = field(default_factory=dict)
    scored: dict[str, dict[str, tuple[Decimal, int]]] = field(default_factory=dict)
    unusual: set[Hashable] = field(default_factory=set)  # groups to read again as entries

    def unit(self, name: str) -> UnitEntries:
        found = self.grouped.get(name)
        if found is None:
            found = self.grouped[name] = UnitEntries({}, set(), set())
            self.scored[name] = {}
        return found


def score_rows(
    usual: Iterable[tuple[Hashable, Hashable, Any]],
    other: Iterable[tuple[Any, ...]],
    place: Place,
    trim_from: int,
    found: RowScores | None = None,
) -> RowScores:
    """The groups of the usual kind scored; the rest named in ``unusual``. ``place`` names a
    group's unit and leaf (and raises ScoringInputError for a key outside the round). A caller
    may read a few units at a time into the same ``found``: a group never spans two units."""
    numbers = _Numbers()
    found = RowScores() if found is None else found
    with decimal.localcontext(EXACT), gc_paused():
        deducted: dict[Hashable, dict[Hashable, Decimal]] = {}
        for key, assessor, text in usual:
            sums = deducted.get(key)
            if sums is None:
                sums = deducted[key] = {}
            sums[assessor] = sums.get(assessor, ZERO) + numbers[text]
        if any(value < ZERO for value in numbers.values()):
            raise ValueError("a negative deduction is an other row (leaf_scores refuses it)")
        valued: dict[Hashable, list[tuple[Any, ...]]] = {}
        for row in other:
            rows = valued.get(row[0])
            if rows is None:
                valued[row[0]] = [row]
            else:
                rows.append(row)
        for key, sums in deducted.items():
            unit, leaf = place(key)
            if leaf.method is not Method.DEDUCT or key in valued:
                found.unusual.add(key)
                continue
            points = leaf.points
            scores = [points - total if total < points else ZERO for total in sums.values()]
            if len(scores) >= trim_from:
                scores.sort()
                scores = scores[1:-1]
            found.unit(unit).by_leaf[leaf.code] = SCORED_HERE
            found.scored[unit][leaf.code] = (sum(scores, ZERO), len(scores))
        for key, rows in valued.items():
            if key in deducted:
                continue  # already named unusual above
            unit, leaf = place(key)
            parts = _valued(leaf, rows, numbers, trim_from)
            if parts is None:
                found.unusual.add(key)
                continue
            found.unit(unit).by_leaf[leaf.code] = SCORED_HERE
            found.scored[unit][leaf.code] = parts
    return found


def _valued(
    leaf: Leaf, rows: list[tuple[Any, ...]], numbers: _Numbers, trim_from: int
) -> tuple[Decimal, int] | None:
    """(sum, divisor) of one valid value per assessor on a leaf scored by value, else None."""
    if leaf.method not in _VALUED:
        return None
    seen: set[Hashable] = set()
    scores: list[Decimal] = []
    for _, assessor, deduction, score, answer, measured, not_applicable, veto in rows:
        if deduction is not None or not_applicable or veto or assessor in seen:
            return None
        seen.add(assessor)
        value = _value(
            leaf,
            None if score is None else numbers[score],
            answer,
            None if measured is None else numbers[measured],
        )
        if value is None:
            return None
        scores.append(value)
    if len(scores) >= trim_from:
        scores.sort()
        scores = scores[1:-1]
    return sum(scores, ZERO), len(scores)


def _value(
    leaf: Leaf, score: Decimal | None, answer: Any, measured: Decimal | None
) -> Decimal | None:
    """One assessor's valid value by the leaf's method (leaf_scores._entry_value's), else None."""
    method = leaf.method
    if method is Method.SCORE or method is Method.BONUS:
        if answer is not None or measured is not None or score is None:
            return None
        return score if ZERO <= score <= leaf.points else None
    if method is Method.YES_NO:
        if score is not None or measured is not None or answer is None:
            return None
        return leaf.points if answer else ZERO
    if score is not None or answer is not None or measured is None or measured < 0:
        return None
    for tier in leaf.tiers:  # 分档
        if measured >= tier.threshold:
            return tier.fraction * leaf.points
    return ZERO


def add_entries(
    found: RowScores,
    rows: Iterable[tuple[Any, ...]],
    place: Place,
    assessors: Callable[[Hashable], str],
) -> None:
    """The unusual groups' rows, read again in their order as other rows are, as the Entry
    objects leaf_scores.py scores and checks."""
    numbers = _Numbers()
    for key, assessor, deduction, score, answer, measured, not_applicable, veto in rows:
        unit, leaf = place(key)
        mine = found.unit(unit)
        entry = Entry(
            unit,
            leaf.code,
            assessors(assessor),
            None if deduction is None else numbers[deduction],
            None if score is None else numbers[score],
            None if answer is None else bool(answer),
            None if measured is None else numbers[measured],
            bool(not_applicable),
            bool(veto),
        )
        entries = mine.by_leaf.get(leaf.code)
        if entries is None or entries is SCORED_HERE:
            mine.by_leaf[leaf.code] = [entry]
        else:
            entries.append(entry)
        if entry.not_applicable:
            mine.not_applicable.add(leaf.code)
        if entry.veto:
            mine.vetoed.add(leaf.code)
