"""四舍五入 as offices round by hand, against a plain reference: half away from zero, the figure
with exactly ``places`` decimals (so "90.00" prints as 90.00), never float, never banker's."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from app.scoring.rounding import round_half_up


def reference(value: Fraction, places: int) -> Fraction:
    scaled = abs(value) * 10**places
    whole = math.floor(scaled + Fraction(1, 2))
    return Fraction(-whole if value < 0 else whole, 10**places)


@given(
    st.fractions(max_denominator=10**6, min_value=-(10**6), max_value=10**6),
    st.integers(0, 4),
)
def test_half_away_from_zero_with_exactly_the_places(value: Fraction, places: int) -> None:
    rounded = round_half_up(value, places)
    assert Fraction(rounded) == reference(value, places)
    assert rounded.as_tuple().exponent == -places


def test_the_office_examples() -> None:
    assert str(round_half_up(Decimal("89.995"))) == "90.00"
    assert str(round_half_up(Decimal("-0.005"))) == "-0.01"
    assert str(round_half_up(Decimal("-0.001"))) == "0.00"
    assert str(round_half_up(Fraction(1, 8), 2)) == "0.13"
    assert str(round_half_up(Decimal("0.125"), 2)) == "0.13"  # not banker's 0.12
