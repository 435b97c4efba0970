"""分档 rules as written: "≥100%:1；≥95%:0.8；≥90%:0.5" (first tier met applies)."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from app.scoring.types import Tier

_NUMBER = r"(\d+(?:\.\d+)?)"
TIER_PART = re.compile(
    rf"^(?:≥|≧|>=|=>|不低于|不少于|大于等于|达到)?{_NUMBER}(%?)(?:及以上|以上)?[:=]{_NUMBER}(%?)$"
)
STRICT = re.compile(r"^(?:>|大于|高于|超过)\d")
EXAMPLE = "“≥100%:1；≥95%:0.8；≥90%:0.5”"


class TierError(ValueError):
    """The tier text cannot be read; the message quotes the part that failed."""


def parse_tiers(text: str) -> tuple[Tier, ...]:
    """Tiers ordered as written; thresholds and fractions as rates (95% -> 0.95)."""
    cleaned = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    parts = [p for p in re.split(r"[;,、\n]", cleaned) if p]
    if not parts:
        raise TierError(f"为空；应写成{EXAMPLE}")
    tiers = []
    for part in parts:
        if STRICT.match(part):
            raise TierError(f"“{part}”：请用“≥”写门槛（达到门槛即得该档）")
        match = TIER_PART.match(part)
        if not match:
            raise TierError(f"“{part}”无法识别；应写成{EXAMPLE}")
        try:
            threshold = Decimal(match.group(1)) / (100 if match.group(2) else 1)
            fraction = Decimal(match.group(3)) / (100 if match.group(4) else 1)
        except InvalidOperation:
            raise TierError(f"“{part}”中的数字无效") from None
        if not Decimal(0) <= fraction <= Decimal(1):
            raise TierError(f"“{part}”的得分比例应在 0 到 1 之间")
        tiers.append(Tier(threshold, fraction))
    thresholds = [t.threshold for t in tiers]
    if thresholds != sorted(thresholds, reverse=True) or len(set(thresholds)) != len(thresholds):
        raise TierError("各档应按门槛从高到低排列，且门槛不能重复")
    return tuple(tiers)
