"""Shipping rates by destination province (邮寄 post, 特快专递 express) from a CSV file staff can edit.

The file (``shipping_rates.csv`` at the repository root) is UTF-8 (a BOM, as Excel writes it, is fine;
GB18030 is accepted too), one header line then one row per provincial-level division, all 34 of them:

    province,province_en,zone,post_first_kg,post_extra_kg,express_first_kg,express_extra_kg
    山东省,Shandong,1,8.00,2.00,12.00,3.00

``province`` is the full name shown in the address select (山东省, 广西壮族自治区, 香港特别行政区 ...),
``zone`` a whole number ≥ 1 (1 = 山东, the origin), the fees are yuan text: the first kilogram, then each
further started kilogram. No province may be cheaper than 山东 for either method. Extra columns (notes)
are ignored, blank lines skipped. A bad file raises RateFileError naming the file and the lines.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from shop.money import parse_yuan

METHODS = ("post", "express")
ORIGIN = "山东省"
COLUMNS = ("province", "province_en", "zone", "post_first_kg", "post_extra_kg", "express_first_kg", "express_extra_kg")

# China's 34 provincial-level divisions, in the order of GB/T 2260.
PROVINCES = (
    "北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省", "上海市", "江苏省",
    "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "广西壮族自治区",
    "海南省", "重庆市", "四川省", "贵州省", "云南省", "西藏自治区", "陕西省", "甘肃省", "青海省", "宁夏回族自治区",
    "新疆维吾尔自治区", "台湾省", "香港特别行政区", "澳门特别行政区",
)

CARTON_G = 500  # one carton per started 500 plants
CARTON_PLANTS = 500
GEL_G = 50  # 高分子保湿剂 (root-moisture gel) per started 100 plants
GEL_PLANTS = 100


class RateFileError(Exception):
    """The rate file cannot be used; the message names the file and the line numbers."""

    def __init__(self, path: str | Path, problems: list[tuple[int | None, str]]):
        self.path = str(path)
        self.problems = problems
        lines = "\n".join(f"  line {line}: {text}" if line else f"  {text}" for line, text in problems)
        super().__init__(f"{self.path}: bad shipping rate file (运费表有错误):\n{lines}")


@dataclass(frozen=True)
class Province:
    """A destination for the province select box."""

    name: str
    name_en: str
    zone: int


@dataclass(frozen=True)
class Rate:
    """One row of the rate table, fees in fen."""

    province: str
    province_en: str
    zone: int
    post_first_kg: int
    post_extra_kg: int
    express_first_kg: int
    express_extra_kg: int
    line: int = 0

    def first_and_extra(self, method: str) -> tuple[int, int]:
        """(first kg, each further kg) in fen for a method."""
        if method == "post":
            return self.post_first_kg, self.post_extra_kg
        if method == "express":
            return self.express_first_kg, self.express_extra_kg
        raise ValueError(f"no rates for shipping method {method!r} (only {', '.join(METHODS)})")


class RateTable:
    """The shipping rates for every province, in file order."""

    def __init__(self, rates: list[Rate]):
        self._rates = {rate.province: rate for rate in rates}

    def __contains__(self, province: object) -> bool:
        return province in self._rates

    def provinces(self) -> list[Province]:
        """Every province in file order, with its English name, for a select box."""
        return [Province(r.province, r.province_en, r.zone) for r in self._rates.values()]

    def rate(self, province: str) -> Rate:
        """The row for a province; KeyError if it is not in the table."""
        return self._rates[province]

    def fee(self, method: str, province: str, weight_g: int) -> int:
        """Fee in fen: the first kg, plus each further started kg (a parcel is at least one kg)."""
        if weight_g < 0:
            raise ValueError(f"weight must not be negative, got {weight_g}")
        first, extra = self.rate(province).first_and_extra(method)
        extra_kg = max(0, -(-(weight_g - 1000) // 1000))
        return first + extra * extra_kg


def packaging_weight_g(plants: int) -> int:
    """Packing weight in grams: a 500 g carton per started 500 plants and 50 g of gel per started 100 plants.

    Assumption (the nursery ships bare-root seedlings): bundles of up to 500 plants go into one carton
    of about 500 g, and the roots get about 50 g of 高分子保湿剂 (water-absorbing gel, weighed wet) per
    100 plants. Both round up, so a single plant still ships in a carton with gel.
    """
    if plants < 0:
        raise ValueError(f"plants must not be negative, got {plants}")
    cartons = -(-plants // CARTON_PLANTS)
    gel = -(-plants // GEL_PLANTS)
    return cartons * CARTON_G + gel * GEL_G


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("gb18030")  # Excel on a Chinese Windows saves CSV this way
        except UnicodeDecodeError:
            raise RateFileError(path, [(None, "not UTF-8 or GB18030 text")]) from None


def _parse_row(row: dict[str, str], line: int) -> tuple[Rate | None, list[str]]:
    errors = []
    province = row["province"]
    if province not in PROVINCES:
        hint = [p for p in PROVINCES if province and p.startswith(province)]
        errors.append(f"unknown province {province!r}" + (f" (did you mean {hint[0]}?)" if hint else ""))
    try:
        zone = int(row["zone"])
        if zone < 1:
            raise ValueError
    except ValueError:
        errors.append(f"zone must be a whole number ≥ 1, got {row['zone']!r}")
        zone = 0
    fees = {}
    for column in COLUMNS[3:]:
        try:
            fees[column] = parse_yuan(row[column])
        except ValueError as err:
            errors.append(f"{column}: {err}")
    if errors:
        return None, errors
    return Rate(province=province, province_en=row["province_en"] or province, zone=zone, line=line, **fees), []


def load_rates(path: str | Path) -> RateTable:
    """Read and check the rate file; RateFileError (naming file and lines) if anything is wrong."""
    path = Path(path)
    try:
        text = _read_text(path)
    except OSError as err:
        raise RateFileError(path, [(None, f"cannot read: {err.strerror or err}")]) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    problems: list[tuple[int | None, str]] = []
    header = next(reader, None)
    if header is None:
        raise RateFileError(path, [(1, "the file is empty; expected a header: " + ",".join(COLUMNS))])
    header = [name.strip() for name in header]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise RateFileError(path, [(1, f"missing column(s) {', '.join(missing)}; expected {','.join(COLUMNS)}")])
    rates: dict[str, Rate] = {}
    named: set[str] = set()
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) < len(header):
            problems.append((line, f"{len(cells)} cells, the header has {len(header)}"))
            continue
        row = {name: cell.strip() for name, cell in zip(header, cells, strict=False)}
        named.add(row["province"])
        rate, errors = _parse_row(row, line)
        problems.extend((line, error) for error in errors)
        if rate is None:
            continue
        if rate.province in rates:
            problems.append((line, f"{rate.province} is already on line {rates[rate.province].line}"))
            continue
        rates[rate.province] = rate
    absent = [p for p in PROVINCES if p not in named]
    if absent:
        problems.append((None, f"no row for {', '.join(absent)} (the file ends at line {reader.line_num})"))
    origin = rates.get(ORIGIN)
    if origin:
        for rate in rates.values():
            for method in METHODS:
                if any(mine < base for mine, base in zip(rate.first_and_extra(method), origin.first_and_extra(method),
                                                          strict=True)):
                    problems.append((rate.line, f"{rate.province} {method} is cheaper than {ORIGIN} "
                                                f"(line {origin.line}), which ships from next door"))
    if problems:
        problems.sort(key=lambda p: (p[0] is None, p[0] or 0))
        raise RateFileError(path, problems)
    return RateTable(list(rates.values()))
