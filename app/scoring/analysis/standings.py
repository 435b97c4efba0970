"""Ranks, grade positions and the 排名靠后 flag of many runs at once (R × U arrays), by the
rules of app/scoring/ranking.py: ties share a rank, vetoed units stand last, per-category
bands, the top-grade quota (scope, rounding, ties) and the last N of each category.

Finals are compared as whole cents rounded half up, as the engine compares its rounded finals.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from app.scoring.ranking import quota_places
from app.scoring.types import QuotaScope, QuotaTies, Rules, Unit

if TYPE_CHECKING:
    import numpy as np

# A float final a hair below a half cent (89.99499999… for 89.995) still rounds up.
HALF_CENT_SLACK = 1e-6


@dataclass
class Standings:
    rank: np.ndarray  # R × U
    category_rank: np.ndarray
    grade: np.ndarray  # position in the unit's category bands (0 = top grade)
    bottom: np.ndarray  # bool


def cents(finals: np.ndarray) -> np.ndarray:
    import numpy as np

    return np.floor(finals * 100 + 0.5 + HALF_CENT_SLACK).astype(np.int64)


def standings(
    finals: np.ndarray, units: Sequence[Unit], veto: np.ndarray, rules: Rules
) -> Standings:
    """The standings of R runs' finals (R × U floats)."""
    import numpy as np

    score = cents(finals)
    big = int(score.max(initial=0)) - int(score.min(initial=0)) + 1
    key = np.where(veto, big, 0) - score  # lower stands higher
    better = key[:, None, :] < key[:, :, None]  # [r, i, j]: j stands above i
    equal = key[:, None, :] == key[:, :, None]
    categories = [u.category for u in units]
    same = np.array([[a == b for b in categories] for a in categories])
    rank = 1 + better.sum(axis=2)
    category_rank = 1 + (better & same).sum(axis=2)
    tied = (equal & same).sum(axis=2)
    size = same.sum(axis=1)
    if rules.bottom_n > 0:
        bottom = (category_rank > 1) & (category_rank + tied - 1 > size - rules.bottom_n)
    else:
        bottom = np.zeros_like(rank, dtype=bool)
    grade = _threshold_grades(score, units, veto, rules)
    if rules.top_quota is not None:
        _apply_quota(score, grade, units, veto, same, rules)
    return Standings(rank, category_rank, grade, bottom)


def _threshold_grades(
    score: np.ndarray, units: Sequence[Unit], veto: np.ndarray, rules: Rules
) -> np.ndarray:
    import numpy as np

    grade = np.zeros(score.shape, dtype=np.int64)
    for i, unit in enumerate(units):
        bands = rules.bands_for(unit.category)
        if veto[i]:
            grade[:, i] = len(bands) - 1
            continue
        column = np.full(score.shape[0], len(bands) - 1)
        for position in reversed(range(len(bands))):
            minimum = math.ceil(bands[position].minimum * 100)
            column = np.where(score[:, i] >= minimum, position, column)
        grade[:, i] = column
    return grade


def _apply_quota(
    score: np.ndarray,
    grade: np.ndarray,
    units: Sequence[Unit],
    veto: np.ndarray,
    same_category: np.ndarray,
    rules: Rules,
) -> None:
    """Candidates beyond the places of their scope move to the next grade (in place)."""
    import numpy as np

    assert rules.top_quota is not None
    n = len(units)
    scope = same_category if rules.quota_scope is QuotaScope.CATEGORY else np.ones((n, n), bool)
    places = np.array(
        [quota_places(Fraction(rules.top_quota), int(scope[i].sum()), rules.quota_rounding)
         for i in range(n)]
    )  # fmt: skip
    candidate = (grade == 0) & ~veto  # R × U
    pair = candidate[:, None, :] & scope[None, :, :]  # [r, i, j]: j a candidate of i's scope
    above = (pair & (score[:, None, :] > score[:, :, None])).sum(axis=2)
    tied = (pair & (score[:, None, :] == score[:, :, None])).sum(axis=2)
    last = 1 + above + (tied - 1 if rules.quota_ties is QuotaTies.EXCLUDE else 0)
    demoted = candidate & (last > places)
    lower = np.array([min(1, len(rules.bands_for(u.category)) - 1) for u in units])
    grade[demoted] = np.broadcast_to(lower, grade.shape)[demoted]
