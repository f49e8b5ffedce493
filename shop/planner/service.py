"""An orchard plan against the catalog: which variety, spacing, pollinizer and grades, and how many of each.

Plain Python over the catalog tree and the planting data: the web page and the API both call `make`, then price
`Plan.items` with the pricing rules (shop.orders.service.quote) as any cart is priced.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from shop.catalog.tree import Catalog, CategoryView, GradeView, VarietyView
from shop.planner import plan
from shop.planner.data import PlantingData, Pollination, Spacing
from shop.planner.plan import PlanError

MAIN, POLLINIZER = "main", "pollinizer"


@dataclass(frozen=True)
class PlanRequest:
    """What the farmer says: a variety (slug or name), an area and, optionally, spacing, buffer and choices."""

    variety: str
    area: Decimal | int
    unit: str = "mu"
    row_spacing_m: Decimal | int | None = None  # None: the category's default
    plant_spacing_m: Decimal | int | None = None
    buffer_percent: Decimal | int | None = None  # None: plan.DEFAULT_BUFFER_PERCENT
    rootstock: str = ""  # "" = standard planting, else a rootstock with its own spacing (M26)
    pollinizer: str = ""  # "" = the first recommended one the catalog sells
    main_sku: str = ""  # "" = the first priced grade with the plants in stock
    pollinizer_sku: str = ""


@dataclass(frozen=True)
class Line:
    """One grade to order: the trees it plants and the spares kept for replanting."""

    role: str  # main | pollinizer
    variety: VarietyView
    grade: GradeView
    planted: int
    spare: int

    @property
    def quantity(self) -> int:
        """Plants to order: planted + spare."""
        return self.planted + self.spare


@dataclass(frozen=True)
class Plan:
    """The orchard plan, in plants and grades."""

    variety: VarietyView
    category: CategoryView
    pollination: Pollination
    spacing: Spacing  # the default spacing used (the rootstock's, or the standard one)
    area: Decimal | int
    unit: str
    area_m2: Fraction
    row_m: Decimal
    plant_m: Decimal
    buffer_percent: Decimal
    counts: plan.Counts
    lines: tuple[Line, ...]
    pollinizer_choices: tuple[VarietyView, ...]  # recommended pollinizers the catalog sells, best first

    @property
    def main(self) -> Line:
        return self.lines[0]

    @property
    def pollinizers(self) -> tuple[Line, ...]:
        return tuple(line for line in self.lines if line.role == POLLINIZER)

    @property
    def items(self) -> list[tuple[str, int]]:
        """The plan as cart lines: (sku, plants)."""
        return [(line.grade.sku, line.quantity) for line in self.lines if line.quantity]


def find_variety(catalog: Catalog, text: str) -> VarietyView | None:
    """A variety by slug, Chinese name or English name (case aside)."""
    text = (text or "").strip()
    if not text:
        return None
    found = catalog.variety(text)
    if found is not None:
        return found
    lowered = text.casefold()
    for category in catalog.categories:
        for variety in category.varieties:
            if text == variety.name or lowered == variety.name_en.casefold():
                return variety
    return None


def priced(variety: VarietyView) -> list[GradeView]:
    """The variety's grades the cart can sell."""
    return [g for g in variety.grades if g.price_fen is not None]


def plannable(catalog: Catalog, data: PlantingData) -> list[tuple[CategoryView, list[VarietyView]]]:
    """Every variety the planner can plan, by category, in catalog order."""
    found = []
    for category in catalog.categories:
        kept = [v for v in category.varieties if is_plannable(category, v, data)]
        if kept:
            found.append((category, kept))
    return found


def is_plannable(category: CategoryView, variety: VarietyView, data: PlantingData) -> bool:
    """A sold, fruiting variety the planting file knows, with a standard spacing for its category."""
    row = data.variety(category.name, variety.name)
    return bool(row and row.plannable and priced(variety) and data.spacing(category.name))


def _pollinizers(catalog: Catalog, category: CategoryView, row: Pollination) -> tuple[VarietyView, ...]:
    by_name = {v.name: v for v in category.varieties}
    return tuple(by_name[name] for name in row.pollinizers if name in by_name and priced(by_name[name]))


def _grade(variety: VarietyView, sku: str, quantity: int, field: str) -> GradeView:
    grades = priced(variety)
    if sku:
        chosen = next((g for g in grades if g.sku == sku), None)
        if chosen is None:
            raise PlanError("bad_grade", field, f"{variety.name} 没有可购买的规格 {sku[:40]}",
                            f"{variety.name_en} has no grade {sku[:40]} for sale")
        return chosen
    return next((g for g in grades if g.stock >= quantity), grades[0])


def _default(value, fallback):
    return fallback if value is None else value


def make(req: PlanRequest, catalog: Catalog, data: PlantingData) -> Plan:
    """The plan for the request; PlanError for anything the farmer must change (its field says which)."""
    variety = find_variety(catalog, req.variety)
    if variety is None:
        raise PlanError("unknown_variety", "variety", f"没有“{req.variety[:40]}”这个品种",
                        f"No variety called {req.variety[:40]!r}")
    category = catalog.category(variety.category_slug)
    row = data.variety(category.name, variety.name)
    if not is_plannable(category, variety, data):
        why = ("雄株只作授粉树" if row and not row.plannable else "没有种植数据（砧木、绿化苗或询价苗木）"), \
              ("a male plant is only ever a pollinizer" if row and not row.plannable
               else "it has no planting data (a rootstock, a landscape tree or priced on request)")
        raise PlanError("not_plannable", "variety", f"{variety.name} 不能做种植规划：{why[0]}",
                        f"{variety.name_en} cannot be planned: {why[1]}")
    spacing = data.spacing(category.name, req.rootstock)
    if spacing is None:
        raise PlanError("unknown_rootstock", "rootstock", f"{category.name}没有“{req.rootstock[:40]}”砧木的栽植密度",
                        f"No spacing for rootstock {req.rootstock[:40]!r} in {category.name_en}")
    area_m2 = plan.area_m2(req.area, req.unit)
    row_m = _default(req.row_spacing_m, spacing.row_m)
    plant_m = _default(req.plant_spacing_m, spacing.plant_m)
    buffer_percent = _default(req.buffer_percent, plan.DEFAULT_BUFFER_PERCENT)
    counts = plan.count(area_m2, plan.spacing(row_m, "row_spacing_m"), plan.spacing(plant_m, "plant_spacing_m"),
                        ratio=row.ratio if row.needs_pollinizer else None, buffer_percent=plan.buffer(buffer_percent))
    lines = [Line(MAIN, variety, _grade(variety, req.main_sku, counts.main, "main_sku"), counts.main_planted,
                  counts.main_spare)]
    choices = _pollinizers(catalog, category, row) if row.needs_pollinizer else ()
    if row.needs_pollinizer:
        partner = _pick_pollinizer(catalog, choices, req.pollinizer, variety)
        lines.append(Line(POLLINIZER, partner, _grade(partner, req.pollinizer_sku, counts.pollinizers,
                                                      "pollinizer_sku"),
                          counts.pollinizers_planted, counts.pollinizers_spare))
    return Plan(variety, category, row, spacing, req.area, req.unit, area_m2, Decimal(row_m), Decimal(plant_m),
                Decimal(buffer_percent), counts, tuple(lines), choices)


def _pick_pollinizer(catalog: Catalog, choices: tuple[VarietyView, ...], asked: str,
                     variety: VarietyView) -> VarietyView:
    if not choices:
        raise PlanError("pollinizer_unavailable", "pollinizer",
                        f"{variety.name} 需要授粉树，但推荐的授粉品种目前都不在售，请电话咨询",
                        f"{variety.name_en} needs a pollinizer, but none of the recommended ones is on sale; call us")
    if not asked:
        return choices[0]
    wanted = find_variety(catalog, asked)
    if wanted is None or wanted not in choices:
        names = "、".join(v.name for v in choices)
        raise PlanError("bad_pollinizer", "pollinizer", f"{variety.name} 的授粉品种可选：{names}",
                        f"The pollinizers for {variety.name_en} are: {', '.join(v.name_en for v in choices)}")
    return wanted
