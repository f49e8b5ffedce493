"""The planting data file (``planting.csv`` at the repository root): spacings per category, pollination per variety.

UTF-8 (a BOM is fine), one header line, then rows of two kinds; every row names its ``source``:

    kind,category,variety,rootstock,rootstock_en,row_spacing_m,plant_spacing_m,pollination,pollinizers,ratio,note,note_en,source
    spacing,苹果,,,,5,4,,,,乔化砧,Standard rootstock,《果树栽培学各论（北方本）》…
    spacing,苹果,,M26,M26 dwarfing,4,2,,,,M26矮化中间砧,…,…
    variety,猕猴桃,红阳,,,,,cross,磨山4号,8,雌株,Female,…

- ``spacing``: a category's default row and plant spacing in metres; ``rootstock`` empty for the standard
  planting, or a rootstock's name (M26) for its own spacing. Every category with varieties needs the standard one.
- ``variety``: ``pollination`` is ``self`` (sets fruit alone), ``cross`` (needs a pollinizer: ``pollinizers``
  lists other varieties of the category, best first, separated by ``;``, and ``ratio`` is main trees per
  pollinizer) or ``male`` (a male pollinizer plant that bears no fruit: only ever planted as a pollinizer).

Names are the catalog's (catalog.csv ``category`` and ``variety``). A bad file raises PlantingFileError naming
the file and the lines, so the shop does not start with wrong figures.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from shop.planner import plan

COLUMNS = ("kind", "category", "variety", "rootstock", "rootstock_en", "row_spacing_m", "plant_spacing_m",
           "pollination", "pollinizers", "ratio", "note", "note_en", "source")
KINDS = ("spacing", "variety")
POLLINATION = ("self", "cross", "male")


class PlantingFileError(Exception):
    """The planting file cannot be used; the message names the file and the line numbers."""

    def __init__(self, path: str | Path, problems: list[tuple[int | None, str]]):
        self.path = str(path)
        self.problems = problems
        lines = "\n".join(f"  line {line}: {text}" if line else f"  {text}" for line, text in problems)
        super().__init__(f"{self.path}: bad planting data file (种植数据表有错误):\n{lines}")


@dataclass(frozen=True)
class Spacing:
    """A category's default spacing, for its standard planting or for one rootstock."""

    category: str
    rootstock: str  # "" = the standard planting
    rootstock_en: str
    row_m: Decimal
    plant_m: Decimal
    note: str
    note_en: str
    source: str
    line: int = 0

    @property
    def key(self) -> str:
        """What a form sends to choose it: "" for standard, else the rootstock's name."""
        return self.rootstock


@dataclass(frozen=True)
class Pollination:
    """Whether a variety sets fruit alone, and with which pollinizers if not."""

    category: str
    variety: str
    pollination: str  # self | cross | male
    pollinizers: tuple[str, ...]  # best first; empty unless cross
    ratio: int | None  # main trees per pollinizer; None unless cross
    note: str
    note_en: str
    source: str
    line: int = 0

    @property
    def needs_pollinizer(self) -> bool:
        """True when the variety sets fruit only with another variety's pollen."""
        return self.pollination == "cross"

    @property
    def plannable(self) -> bool:
        """A male pollinizer plant is never the main variety of an orchard."""
        return self.pollination != "male"


class PlantingData:
    """The planting file, looked up by the catalog's category and variety names."""

    def __init__(self, spacings: list[Spacing], varieties: list[Pollination]):
        self._spacings: dict[str, list[Spacing]] = {}
        for row in spacings:
            self._spacings.setdefault(row.category, []).append(row)
        for rows in self._spacings.values():
            rows.sort(key=lambda s: s.rootstock != "")  # the standard planting first
        self._varieties = {(v.category, v.variety): v for v in varieties}

    def spacings(self, category: str) -> list[Spacing]:
        """The category's spacings, the standard one first."""
        return list(self._spacings.get(category, ()))

    def spacing(self, category: str, rootstock: str = "") -> Spacing | None:
        """The category's spacing for a rootstock ("" = standard), or None."""
        return next((s for s in self._spacings.get(category, ()) if s.rootstock == rootstock), None)

    def variety(self, category: str, name: str) -> Pollination | None:
        """A variety's pollination row, or None when the file has none (a rootstock, a 询价 item)."""
        return self._varieties.get((category, name))

    def varieties(self) -> list[Pollination]:
        """Every variety row in file order."""
        return list(self._varieties.values())


def _decimal(raw: str, column: str) -> tuple[Decimal | None, str | None]:
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None, f"{column} must be a number of metres, got {raw!r}"
    try:
        plan.spacing(value, column)
    except plan.PlanError as err:
        return None, f"{column}: {err.en}, got {raw!r}"
    return value, None


def _spacing(row: dict[str, str], line: int) -> tuple[Spacing | None, list[str]]:
    errors = [f"{c} must be empty on a spacing row" for c in ("variety", "pollination", "pollinizers", "ratio")
              if row[c]]
    if row["rootstock"] and not row["rootstock_en"]:
        errors.append("rootstock_en (the rootstock's English name) is missing")
    values = {}
    for column in ("row_spacing_m", "plant_spacing_m"):
        values[column], error = _decimal(row[column], column)
        if error:
            errors.append(error)
    if errors:
        return None, errors
    return Spacing(row["category"], row["rootstock"], row["rootstock_en"], values["row_spacing_m"],
                   values["plant_spacing_m"], row["note"], row["note_en"], row["source"], line), []


def _variety(row: dict[str, str], line: int) -> tuple[Pollination | None, list[str]]:
    errors = [f"{c} must be empty on a variety row" for c in ("rootstock", "rootstock_en", "row_spacing_m",
                                                              "plant_spacing_m") if row[c]]
    if not row["variety"]:
        errors.append("variety is missing")
    kind = row["pollination"]
    if kind not in POLLINATION:
        errors.append(f"pollination must be one of {', '.join(POLLINATION)}, got {kind!r}")
    pollinizers = tuple(p.strip() for p in row["pollinizers"].split(";") if p.strip())
    ratio = None
    if kind == "cross":
        if not pollinizers:
            errors.append("a cross-pollinated variety needs its pollinizers (names separated by ;)")
        if row["variety"] in pollinizers:
            errors.append(f"{row['variety']} cannot be its own pollinizer")
        if not row["ratio"].isdigit() or not 1 <= int(row["ratio"]) <= plan.MAX_RATIO:
            errors.append(f"ratio (main trees per pollinizer) must be a whole number from 1 to {plan.MAX_RATIO}, "
                          f"got {row['ratio']!r}")
        else:
            ratio = int(row["ratio"])
    elif pollinizers or row["ratio"]:
        errors.append(f"pollinizers and ratio are only for cross-pollinated varieties, not {kind!r}")
    if errors:
        return None, errors
    return Pollination(row["category"], row["variety"], kind, pollinizers, ratio, row["note"], row["note_en"],
                       row["source"], line), []


def _read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except OSError as err:
        raise PlantingFileError(path, [(None, f"cannot read: {err.strerror or err}")]) from None
    except UnicodeDecodeError:
        raise PlantingFileError(path, [(None, "not UTF-8 text")]) from None


def _cross_check(spacings: list[Spacing], varieties: list[Pollination]) -> list[tuple[int | None, str]]:
    """Pollinizers name varieties of the file in the same category; each category has a standard spacing."""
    problems: list[tuple[int | None, str]] = []
    known = {(v.category, v.variety) for v in varieties}
    standard = {s.category for s in spacings if not s.rootstock}
    for v in varieties:
        for name in v.pollinizers:
            if (v.category, name) not in known:
                problems.append((v.line, f"pollinizer {name!r} has no variety row in {v.category}"))
    for category in dict.fromkeys(v.category for v in varieties):
        if category not in standard:
            line = next(v.line for v in varieties if v.category == category)
            problems.append((line, f"{category} has no standard spacing row (kind spacing, rootstock empty)"))
    return problems


def load(path: str | Path) -> PlantingData:
    """Read and check the planting file; PlantingFileError (naming file and lines) if anything is wrong."""
    path = Path(path)
    reader = csv.reader(io.StringIO(_read_text(path), newline=""))
    header = [name.strip() for name in next(reader, [])]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise PlantingFileError(path, [(1, f"missing column(s) {', '.join(missing)}; expected {','.join(COLUMNS)}")])
    problems: list[tuple[int | None, str]] = []
    spacings: list[Spacing] = []
    varieties: list[Pollination] = []
    seen: dict[tuple, int] = {}
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            problems.append((line, f"{len(cells)} cells, the header has {len(header)}"))
            continue
        row = {name: cell.strip() for name, cell in zip(header, cells, strict=True)}
        errors = [f"{c} is missing" for c in ("category", "source") if not row[c]]
        if row["kind"] not in KINDS:
            errors.append(f"kind must be spacing or variety, got {row['kind']!r}")
            problems.extend((line, e) for e in errors)
            continue
        key = (row["kind"], row["category"], row["rootstock"] if row["kind"] == "spacing" else row["variety"])
        if key in seen:
            errors.append(f"the same {row['kind']} row as line {seen[key]}")
        seen.setdefault(key, line)
        parsed, row_errors = (_spacing if row["kind"] == "spacing" else _variety)(row, line)
        errors.extend(row_errors)
        if errors:
            problems.extend((line, e) for e in errors)
        elif isinstance(parsed, Spacing):
            spacings.append(parsed)
        elif isinstance(parsed, Pollination):
            varieties.append(parsed)
    problems.extend(_cross_check(spacings, varieties))
    if problems:
        problems.sort(key=lambda p: (p[0] is None, p[0] or 0))
        raise PlantingFileError(path, problems)
    return PlantingData(spacings, varieties)
