"""四舍五入 to a number of places, from an exact value (never banker's rounding, never float)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


def round_half_up(value: Fraction | Decimal | int, places: int = 2) -> Decimal:
    """Half away from zero, as offices round by hand: 89.995 -> 90.00, -0.005 -> -0.01."""
    exact = Fraction(value)
    scale = 10**places
    scaled = abs(exact) * scale
    whole = scaled.numerator // scaled.denominator
    if scaled - whole >= Fraction(1, 2):
        whole += 1
    if exact < 0:
        whole = -whole
    return (Decimal(whole) / Decimal(scale)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
