"""The planting plan's arithmetic (SPEC "Planting planner"): trees from area and spacing, pollinizers, the buffer.

Exact throughout: areas and spacings are Decimal or Fraction, never float, and every ceiling is taken on a
Fraction, so 10 亩 at 4 m × 3 m is exactly (10 × 10000/15) ÷ 12 = 555.5… → 556 planting positions.

    positions   = ceil(area_m2 / (row × plant))
    pollinizers = ceil(positions / (ratio + 1))     where the variety needs cross-pollination, else 0
    main        = positions − pollinizers
    each count is ordered with its replant buffer: count + ceil(count × buffer_percent / 100)

`Counts.trees` is what is ordered: main + pollinizers, both with their buffer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

M2_PER_MU = Fraction(10000, 15)  # 1 亩 = 10000/15 m², exactly (666.66… m²)
UNITS = ("mu", "m2")
MAX_MU = 10000  # a plan for more than ten thousand 亩 (about 6.7 km²) is a typing slip, not an order
MAX_AREA_M2 = MAX_MU * M2_PER_MU
MIN_SPACING_M = Decimal("0.1")
MAX_SPACING_M = Decimal("20")
MAX_BUFFER_PERCENT = Decimal("50")
DEFAULT_BUFFER_PERCENT = Decimal("5")
MAX_RATIO = 50
MAX_DECIMALS = 4  # 0.0001 亩 or m: finer than anyone measures a field
MAX_TREES = 10_000_000  # plants on one order line (shop.orders.intake.MAX_QUANTITY)

Number = Decimal | Fraction | int


class PlanError(ValueError):
    """Input the plan cannot be made from: a stable code, the field it is about and a message in 中文 and English."""

    def __init__(self, code: str, field: str, zh: str, en: str):
        super().__init__(en)
        self.code, self.field, self.zh, self.en = code, field, zh, en

    def message(self, lang: str = "zh") -> str:
        """The message in the language asked for."""
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True)
class Counts:
    """The plan in plants: where the trees stand and what is ordered for them."""

    positions: int  # planting positions: ceil(area / (row × plant))
    main_planted: int
    main_spare: int  # the replant buffer for the main variety
    pollinizers_planted: int
    pollinizers_spare: int

    @property
    def main(self) -> int:
        """Main-variety plants to order (planted + buffer)."""
        return self.main_planted + self.main_spare

    @property
    def pollinizers(self) -> int:
        """Pollinizer plants to order (planted + buffer)."""
        return self.pollinizers_planted + self.pollinizers_spare

    @property
    def trees(self) -> int:
        """Every plant ordered: main + pollinizers, each with its buffer."""
        return self.main + self.pollinizers


def _decimals(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _checked(value: Number, field: str, *, low: Number, high: Number, low_inclusive: bool, zh: str, en: str,
             code: str) -> Fraction:
    """value as a Fraction when low < value ≤ high (or low ≤ value with low_inclusive); PlanError otherwise."""
    if isinstance(value, bool) or not isinstance(value, Decimal | Fraction | int):
        raise TypeError(f"{field} must be a Decimal, Fraction or int, not {type(value).__name__}")
    if isinstance(value, Decimal) and not value.is_finite():
        raise PlanError(code, field, zh, en)
    exact = Fraction(value)
    if exact < Fraction(low) or (exact == Fraction(low) and not low_inclusive) or exact > Fraction(high):
        raise PlanError(code, field, zh, en)
    if isinstance(value, Decimal) and _decimals(value) > MAX_DECIMALS:
        raise PlanError(code, field, f"{zh}（最多 {MAX_DECIMALS} 位小数）", f"{en} (at most {MAX_DECIMALS} decimals)")
    return exact


def area_m2(area: Number, unit: str) -> Fraction:
    """The area in m², exactly: 亩 × 10000/15, or m² as given; PlanError for an unknown unit or an absurd area."""
    if unit not in UNITS:
        raise PlanError("bad_unit", "unit", f"面积单位须为 亩（mu）或 平方米（m2），而不是“{unit[:20]}”",
                        f"The unit must be mu (亩) or m2, not {unit[:20]!r}")
    high = MAX_MU if unit == "mu" else MAX_AREA_M2
    shown = f"{MAX_MU} 亩" if unit == "mu" else f"{math.floor(MAX_AREA_M2)} 平方米"
    shown_en = f"{MAX_MU} mu" if unit == "mu" else f"{math.floor(MAX_AREA_M2):,} m²"
    exact = _checked(area, "area", low=0, high=high, low_inclusive=False, code="bad_area",
                     zh=f"面积须大于 0 且不超过 {shown}", en=f"The area must be more than 0 and at most {shown_en}")
    return exact * M2_PER_MU if unit == "mu" else exact


def spacing(value: Number, field: str) -> Fraction:
    """A row or plant spacing in metres, from 0.1 to 20; PlanError otherwise (zero and negatives included)."""
    what = ("行距", "row spacing") if field == "row_spacing_m" else ("株距", "plant spacing")
    return _checked(value, field, low=MIN_SPACING_M, high=MAX_SPACING_M, low_inclusive=True, code="bad_spacing",
                    zh=f"{what[0]}须在 {MIN_SPACING_M} 到 {MAX_SPACING_M} 米之间",
                    en=f"The {what[1]} must be from {MIN_SPACING_M} to {MAX_SPACING_M} m")


def buffer(value: Number) -> Fraction:
    """The replant buffer in percent, from 0 to 50; PlanError otherwise."""
    return _checked(value, "buffer_percent", low=0, high=MAX_BUFFER_PERCENT, low_inclusive=True,
                    code="bad_buffer", zh=f"补栽预留须在 0 到 {MAX_BUFFER_PERCENT}% 之间",
                    en=f"The replant buffer must be from 0 to {MAX_BUFFER_PERCENT}%")


def with_buffer(count: int, buffer_percent: Fraction) -> int:
    """The spare plants for count: ceil(count × buffer / 100)."""
    return math.ceil(count * buffer_percent / 100)


def count(area: Fraction, row_m: Fraction, plant_m: Fraction, *, ratio: int | None,
          buffer_percent: Fraction) -> Counts:
    """The plan for an area in m² (see area_m2) at a spacing; ratio = main trees per pollinizer, None if self-fertile.

    Raises PlanError when one tree's square (row × plant) is larger than the whole field, or the plan would
    need more plants than one order line holds.
    """
    footprint = Fraction(row_m) * Fraction(plant_m)
    if footprint <= 0 or area <= 0:
        raise PlanError("bad_spacing", "row_spacing_m", "行距和株距须大于 0", "Row and plant spacing must be more than 0")
    if footprint > area:
        raise PlanError("spacing_exceeds_area", "area",
                        f"一株占地 {area_text(footprint)} 平方米（行距 × 株距），比整块地 {area_text(area)} 平方米还大",
                        f"One tree takes {area_text(footprint)} m² (row × plant spacing), more than the whole field of "
                        f"{area_text(area)} m²")
    if ratio is not None and not 1 <= ratio <= MAX_RATIO:
        raise ValueError(f"ratio must be a whole number from 1 to {MAX_RATIO}, got {ratio}")
    if buffer_percent < 0:
        raise ValueError("buffer_percent must not be negative")
    positions = math.ceil(area / footprint)
    pollinizers = math.ceil(Fraction(positions, ratio + 1)) if ratio else 0
    main = positions - pollinizers
    counts = Counts(positions, main, with_buffer(main, buffer_percent), pollinizers,
                    with_buffer(pollinizers, buffer_percent))
    if counts.main > MAX_TREES:
        raise PlanError("too_many_trees", "area", f"这块地需要 {counts.main} 株，超过一单每个规格 {MAX_TREES} 株的上限",
                        f"This field needs {counts.main:,} plants, more than the {MAX_TREES:,} one order line holds")
    return counts


def area_text(value: Fraction) -> str:
    """An area shown in m², two decimals, rounded half up: 6666.666… → "6666.67"."""
    hundredths = math.floor(value * 100 + Fraction(1, 2))
    return f"{hundredths // 100}.{hundredths % 100:02d}"


def decimal_text(value: Decimal | int) -> str:
    """A decimal as typed, without exponent or trailing zeros: Decimal("2.50") → "2.5", 10 → "10"."""
    return format(Decimal(value).normalize(), "f")
