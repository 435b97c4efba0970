"""分档 rules as written: "≥100%:1；≥95%:0.8；≥90%:0.5" (first tier met applies)."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from app.scoring.types import Tier

TIER_PART = re.compile(
    r"^(?:≥|>=|>|＞＝)?\s*(\d+(?:\.\d+)?)\s*(%?)\s*[:：=]\s*(\d+(?:\.\d+)?)\s*(%?)$"
)


class TierError(ValueError):
    pass


def parse_tiers(text: str) -> tuple[Tier, ...]:
    cleaned = unicodedata.normalize("NFKC", text).replace(" ", "")
    parts = [p for p in re.split(r"[;；,，\n]", cleaned) if p]
    if not parts:
        raise TierError("为空；应写成“≥100%:1；≥95%:0.8；≥90%:0.5”")
    tiers = []
    for part in parts:
        match = TIER_PART.match(part)
        if not match:
            raise TierError(f"“{part}”无法识别；应写成“≥95%:0.8”")
        try:
            threshold = Decimal(match.group(1)) / (100 if match.group(2) else 1)
            fraction = Decimal(match.group(3)) / (100 if match.group(4) else 1)
        except InvalidOperation:
            raise TierError(f"“{part}”中的数字无效") from None
        if not Decimal(0) <= fraction <= Decimal(1):
            raise TierError(f"“{part}”的得分比例应在 0 到 1 之间")
        tiers.append(Tier(threshold, fraction))
    thresholds = [t.threshold for t in tiers]
    if thresholds != sorted(thresholds, reverse=True):
        raise TierError("各档应按门槛从高到低排列")
    return tuple(tiers)
