"""四舍五入 to a number of places, from an exact value (never banker's rounding, never float)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction


def round_half_up(value: Fraction | Decimal | int, places: int = 2) -> Decimal:
    """Half away from zero, as offices round by hand: 89.995 -> 90.00, -0.005 -> -0.01.
    In integers (every printed figure goes through here: 55,000 of a 5,000-unit round)."""
    exact = value if isinstance(value, Fraction) else Fraction(value)
    numerator, denominator = exact.numerator, exact.denominator
    whole, rest = divmod(abs(numerator) * 10**places, denominator)
    if 2 * rest >= denominator:
        whole += 1
    return Decimal(-whole if numerator < 0 else whole).scaleb(-places)
