"""Reading the scoring rule out of a 评分标准 text, as offices write it.

Most 考核细则 have no 评分方式 column: the rule lives in sentences like
"每发现一例扣0.5分，扣完为止", "未建立的不得分", "酌情扣1-3分" or "达到95%以上得满分，90%-95%得80%".
The common patterns prefill the method and its parameters; what was recognised (and the words
it came from) is shown to the user before anything is saved, and an explicit 评分方式 column
always wins.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, replace
from decimal import Decimal

from app.scoring.types import Method

_NUM = r"(\d+(?:\.\d+)?|[一二两三四五六七八九十半])"
_CHINESE = {
    "一": "1",
    "二": "2",
    "两": "2",
    "三": "3",
    "四": "4",
    "五": "5",
    "六": "6",
    "七": "7",
    "八": "8",
    "九": "9",
    "十": "10",
    "半": "0.5",
}
VETO = re.compile(r"一票否决|实行否决|予以否决")
BONUS = re.compile(rf"(?:最高|最多|累计不超过|不超过)?加{_NUM}分|加分项|可加分")
BONUS_CAP = re.compile(rf"(?:最高|最多|累计不超过|不超过|上限)加?{_NUM}分")
_MEASURES = r"例|项|次|件|处|个|份|起|人次|家|卷|篇|条|名|宗|批|户"
PER_ITEM = re.compile(
    rf"每(?:发现|有|出现|缺|少|存在|查出|抽查发现)?(?:一|1)?(?:{_MEASURES})"
    rf"[^，。；,;]*?扣{_NUM}分"
)
# In the 评分参数 syntax: "每项0.5", "迟报每件0.25；漏报每件0.5", "每人扣0.25分".
PER_ITEM_PARAMETER = re.compile(rf"每(?:一|1)?(?:{_MEASURES}|人)扣?{_NUM}分?")
FIXED = re.compile(rf"扣除?{_NUM}分")
PARAMETER_RANGE = re.compile(r"\d\s*[-—–~～至到]\s*\d")
RANGE = re.compile(rf"(?:酌情|视情|视情况)?扣{_NUM}\s*[-—–~～至到]\s*{_NUM}分")
YES_NO = re.compile(
    r"(?:未|没有|无|不)(?:按时|按期|按规定|按要求)?"
    r"(?:建立|制定|出台|开展|落实|完成|印发|设立|配备|成立|公布|公开|报送|召开|执行)"
    r"[^。；;]{0,40}?(?:不得分|不计分|得0分|扣除?(?:本项|该项)?(?:全部)?分(?:值|数)?)"
)
FULL_AT = re.compile(r"(?:达到|达)?(\d+(?:\.\d+)?)%(?:及以上|以上)?(?:的)?得满分")
BAND = re.compile(
    r"(\d+(?:\.\d+)?)%\s*(?:[（(]含[）)])?\s*[-—–~～至到]\s*(\d+(?:\.\d+)?)%\s*(?:[（(]不含[）)])?"
    r"(?:之间)?(?:的)?"
    r"得(\d+(?:\.\d+)?)(%|分)"
)
ABOVE = re.compile(r"(\d+(?:\.\d+)?)%(?:及)?以上(?:的)?得(\d+(?:\.\d+)?)(%|分)")


@dataclass(frozen=True)
class Recognised:
    method: Method
    parameters: str  # in the 评分参数 syntax: "每项0.5", "≥95%:1；≥90%:0.8", "最高2分"
    matched: str  # the words the rule was read from
    note: str  # what it means, for the preview
    low: Decimal | None = None  # a 酌情 range ("扣5-10分")
    high: Decimal | None = None
    start: int = 0  # where the matched words stand in the text as written (for highlighting)
    end: int = 0


def _number(text: str) -> Decimal:
    return Decimal(_CHINESE.get(text, text))


def _fraction(value: str, unit: str, points: Decimal | None) -> Decimal | None:
    number = Decimal(value)
    if unit == "%":
        return number / 100
    if points:
        return number / points
    return None


def _tiers(text: str, points: Decimal | None) -> Recognised | None:
    tiers: list[tuple[Decimal, Decimal]] = []
    spans: list[str] = []
    for match in FULL_AT.finditer(text):
        tiers.append((Decimal(match.group(1)) / 100, Decimal(1)))
        spans.append(match.group(0))
    for match in BAND.finditer(text):
        low = min(Decimal(match.group(1)), Decimal(match.group(2)))
        fraction = _fraction(match.group(3), match.group(4), points)
        if fraction is not None:
            tiers.append((low / 100, fraction))
            spans.append(match.group(0))
    for match in ABOVE.finditer(text):
        if "满分" in match.group(0):
            continue
        fraction = _fraction(match.group(2), match.group(3), points)
        if fraction is not None:
            tiers.append((Decimal(match.group(1)) / 100, fraction))
            spans.append(match.group(0))
    unique = sorted(dict(tiers).items(), key=lambda t: t[0], reverse=True)
    if not unique or not all(Decimal(0) <= f <= 1 for _, f in unique):
        return None
    parameters = "；".join(f"≥{(t * 100).normalize():f}%:{f.normalize():f}" for t, f in unique)
    note = "分档：" + "，".join(
        f"达到{(t * 100).normalize():f}%得{(f * 100).normalize():f}%" for t, f in unique
    )
    return Recognised(Method.TIER, parameters, "；".join(spans), note)


def _normalised(written: str) -> tuple[str, list[int]]:
    """NFKC without spaces, and for each of its characters the index it came from."""
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(written):
        for part in unicodedata.normalize("NFKC", char):
            if not part.isspace():
                out.append(part)
                origin.append(index)
    return "".join(out), origin


def recognise(standard: str, points: Decimal | None = None) -> Recognised | None:
    """The rule a 评分标准 text states, or None when it states none we know; start/end give
    the recognised words' place in the text as written."""
    text, origin = _normalised(standard or "")
    if not text:
        return None
    found = _recognise(text, points)
    if found is None:
        return None
    places = [(text.find(part), len(part)) for part in found.matched.split("；") if part]
    if not places or any(at < 0 for at, _ in places):
        return found
    at = min(at for at, _ in places)
    stop = max(at + size for at, size in places)
    return replace(found, start=origin[at], end=origin[stop - 1] + 1)


def _recognise(text: str, points: Decimal | None) -> Recognised | None:
    if match := VETO.search(text):
        return Recognised(Method.VETO, "", match.group(0), "一票否决")
    if (match := BONUS.search(text)) and "扣" not in text[: match.start()][-6:]:
        cap = BONUS_CAP.search(text)
        parameters = f"最高{_number(cap.group(1)).normalize():f}分" if cap else ""
        return Recognised(
            Method.BONUS,
            parameters,
            match.group(0),
            "加分项" + (f"，{parameters}" if parameters else ""),
        )
    if "%" in text and (tiers := _tiers(text, points)) is not None:
        return tiers
    if match := PER_ITEM.search(text):
        each = _number(match.group(1)).normalize()
        return Recognised(
            Method.DEDUCT, f"每项{each:f}", match.group(0), f"扣分制：每项扣{each:f}分，扣完为止"
        )
    if match := RANGE.search(text):
        low, high = sorted((_number(match.group(1)), _number(match.group(2))))
        return Recognised(
            Method.DEDUCT,
            f"酌情{low.normalize():f}-{high.normalize():f}",
            match.group(0),
            f"扣分制：酌情扣{low.normalize():f}至{high.normalize():f}分（须填理由）",
            low,
            high,
        )
    if match := YES_NO.search(text):
        return Recognised(Method.YES_NO, "", match.group(0), "是否制：做到得满分，未做到不得分")
    return None


@dataclass(frozen=True)
class DeductionAmounts:
    """The amounts a 扣分 leaf's texts state: per item ("每项0.5") and once ("未报送的扣1分")."""

    steps: tuple[Decimal, ...]
    fixed: tuple[Decimal, ...]
    stated: tuple[str, ...]  # the words the per-item amounts were read from

    def step(self) -> Decimal | None:
        """What every deduction is a multiple of: the greatest common divisor of all the stated
        amounts (fixed ones too, so "未编制的扣1分；每项0.25" allows 1.25); None when no
        per-item amount is stated."""
        if not self.steps:
            return None
        amounts = [a for a in (*self.steps, *self.fixed) if a > 0]
        if not amounts:
            return None
        places = max(_places(a) for a in amounts)
        scale = Decimal(10) ** places
        return Decimal(math.gcd(*(int(a * scale) for a in amounts))) / scale


def _places(amount: Decimal) -> int:
    exponent = amount.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def deduction_amounts(parameters: str, standard: str) -> DeductionAmounts:
    """The per-item and fixed amounts in a leaf's 评分参数 and 评分标准; a 酌情 range ("扣1-3分")
    anywhere states no step (it keeps its own rule), so nothing is returned for it."""
    params, _ = _normalised(parameters or "")
    text, _ = _normalised(standard or "")
    if RANGE.search(text) or PARAMETER_RANGE.search(params):
        return DeductionAmounts((), (), ())
    steps: list[Decimal] = []
    fixed: list[Decimal] = []
    stated: list[str] = []
    for part in re.split(r"[；;，,。]", params):
        found = list(PER_ITEM_PARAMETER.finditer(part))
        for match in found:
            steps.append(_number(match.group(1)))
            stated.append(match.group(0))
        if not found:
            fixed += [Decimal(n) for n in re.findall(r"\d+(?:\.\d+)?", part)]
    for match in PER_ITEM.finditer(text):
        steps.append(_number(match.group(1)))
        stated.append(match.group(0))
    fixed += [_number(match.group(1)) for match in FIXED.finditer(text)]
    return DeductionAmounts(tuple(steps), tuple(fixed), tuple(dict.fromkeys(stated)))
