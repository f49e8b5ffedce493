"""Read catalog.csv, check every row, and apply it to the database in one transaction."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa

from shop.catalog import stock as stock_service
from shop.catalog.models import Base, Category, Grade, Stock, Variety
from shop.extensions import db
from shop.money import parse_yuan

COLUMNS = (
    "category_slug", "category", "category_en", "variety_slug", "variety", "variety_en", "featured",
    "sku", "grade", "grade_en", "propagation", "height_cm", "diameter_cm", "roots", "standard",
    "price", "weight_g", "stock", "note",
)
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
SKU = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,39}$")
MAX_STOCK = 10**12


class CatalogFileError(Exception):
    """The file was refused; `problems` lists (line, message) for every bad row."""

    def __init__(self, problems: list[tuple[int, str]]):
        self.problems = problems
        super().__init__("\n".join(f"第 {line} 行 (line {line}): {msg}" for line, msg in problems))


@dataclass
class GradeRow:
    """One checked row of catalog.csv."""

    line: int
    category_slug: str
    category: str
    category_en: str
    variety_slug: str
    variety: str
    variety_en: str
    featured: bool
    sku: str
    grade: str
    grade_en: str
    propagation: str
    height_cm: int | None
    diameter_mm: int | None
    roots: str
    standard: str
    price_fen: int | None
    weight_g: int
    stock: dict[str, int] = field(default_factory=dict)
    note: str = ""


def _decode(data: bytes) -> tuple[str | None, list[tuple[int, str]]]:
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        bad = []
        for number, raw in enumerate(data.split(b"\n"), start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                bad.append((number, "not UTF-8 text (文件须为 UTF-8 编码)"))
        return None, bad or [(1, "not UTF-8 text (文件须为 UTF-8 编码)")]


def _int(value: str, name: str, *, minimum: int = 0, maximum: int = MAX_STOCK, optional: bool = False):
    value = value.strip()
    if not value and optional:
        return None
    if not re.fullmatch(r"\d+", value):
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    number = int(value)
    if not minimum <= number <= maximum:
        raise ValueError(f"{name} must be between {minimum} and {maximum}, got {number}")
    return number


def _diameter_mm(value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    try:
        cm = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"diameter_cm is not a number: {value!r}") from None
    if not cm.is_finite() or cm <= 0 or cm > 100:
        raise ValueError(f"diameter_cm out of range: {value!r}")
    return int((cm * 10).to_integral_value())


def _stock(value: str, bases: set[str]) -> dict[str, int]:
    result: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in value.split(";"))):
        name, sep, qty = part.partition("=")
        name = name.strip()
        if not sep:
            raise ValueError(f"stock must look like 平邑=1000;临沭=500, got {part!r}")
        if name not in bases:
            raise ValueError(f"unknown base {name!r} (known: {', '.join(sorted(bases))})")
        if name in result:
            raise ValueError(f"base {name!r} given twice")
        result[name] = _int(qty, f"stock at {name}")
    return result


def parse(data: bytes, bases: set[str]) -> list[GradeRow]:
    """Check the whole file; raise CatalogFileError naming every bad row, else return its rows."""
    text, problems = _decode(data)
    if text is None:
        raise CatalogFileError(problems)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise CatalogFileError([(1, f"missing column(s): {', '.join(missing)}")])
    rows: list[GradeRow] = []
    seen_sku: dict[str, int] = {}
    varieties: dict[str, tuple[str, str]] = {}
    for raw in reader:
        line = reader.line_num
        try:
            if None in raw or any(v is None for v in raw.values()):
                raise ValueError("wrong number of fields")
            row = {k: (v or "").strip() for k, v in raw.items()}
            for name in ("category_slug", "variety_slug"):
                if not SLUG.match(row[name]):
                    raise ValueError(f"{name} must be lowercase letters, digits and '-', got {row[name]!r}")
            if not SKU.match(row["sku"]):
                raise ValueError(f"sku must be 3-40 of A-Z, 0-9, '-', got {row['sku']!r}")
            for name in ("category", "variety", "grade"):
                if not row[name]:
                    raise ValueError(f"{name} is empty")
            if row["sku"] in seen_sku:
                raise ValueError(f"duplicate SKU {row['sku']} (first on line {seen_sku[row['sku']]})")
            owner = varieties.setdefault(row["variety_slug"], (row["category_slug"], row["variety"]))
            if owner != (row["category_slug"], row["variety"]):
                raise ValueError(f"variety_slug {row['variety_slug']} is used for another variety")
            if row["featured"] not in {"0", "1", ""}:
                raise ValueError(f"featured must be 0 or 1, got {row['featured']!r}")
            try:
                price = parse_yuan(row["price"]) if row["price"] else None
            except ValueError as err:
                raise ValueError(f"bad price {row['price']!r}: {err}") from None
            if price is not None and price <= 0:
                raise ValueError(f"price must be above zero, got {row['price']!r}")
            rows.append(GradeRow(
                line=line, category_slug=row["category_slug"], category=row["category"],
                category_en=row["category_en"] or row["category"], variety_slug=row["variety_slug"],
                variety=row["variety"], variety_en=row["variety_en"] or row["variety"],
                featured=row["featured"] == "1", sku=row["sku"], grade=row["grade"],
                grade_en=row["grade_en"] or row["grade"], propagation=row["propagation"],
                height_cm=_int(row["height_cm"], "height_cm", minimum=1, maximum=2000, optional=True),
                diameter_mm=_diameter_mm(row["diameter_cm"]), roots=row["roots"], standard=row["standard"],
                price_fen=price, weight_g=_int(row["weight_g"], "weight_g", minimum=1, maximum=100_000),
                stock=_stock(row["stock"], bases), note=row["note"],
            ))
            seen_sku[row["sku"]] = line
        except ValueError as err:
            problems.append((line, str(err)))
    if problems:
        raise CatalogFileError(problems)
    if not rows:
        raise CatalogFileError([(1, "the file has no rows")])
    return rows


@dataclass
class ImportReport:
    """What an import did, by SKU."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def _grade_fields(row: GradeRow) -> dict:
    return {
        "name": row.grade, "name_en": row.grade_en, "propagation": row.propagation, "height_cm": row.height_cm,
        "diameter_mm": row.diameter_mm, "roots": row.roots, "standard": row.standard,
        "price_fen": row.price_fen, "weight_g": row.weight_g, "active": True,
    }


def apply(rows: list[GradeRow]) -> ImportReport:
    """Load or update the catalog from checked rows (the caller commits)."""
    report = ImportReport()
    bases = {b.name: b for b in db.session.execute(sa.select(Base)).scalars()}
    categories = {c.slug: c for c in db.session.execute(sa.select(Category)).scalars()}
    varieties = {v.slug: v for v in db.session.execute(sa.select(Variety)).scalars()}
    grades = {g.sku: g for g in db.session.execute(sa.select(Grade)).scalars()}
    stocks = {(s.grade_id, s.base_id): s for s in db.session.execute(sa.select(Stock)).scalars()}
    seen_categories: list[str] = []
    seen_varieties: list[str] = []
    for position, row in enumerate(rows):
        category = categories.get(row.category_slug)
        if category is None:
            category = categories[row.category_slug] = Category(slug=row.category_slug)
            db.session.add(category)
        if row.category_slug not in seen_categories:
            seen_categories.append(row.category_slug)
            category.name, category.name_en = row.category, row.category_en
            category.position = len(seen_categories)
        variety = varieties.get(row.variety_slug)
        if variety is None:
            variety = varieties[row.variety_slug] = Variety(slug=row.variety_slug, category=category)
            db.session.add(variety)
        if row.variety_slug not in seen_varieties:
            seen_varieties.append(row.variety_slug)
            variety.category = category
            variety.name, variety.name_en, variety.featured = row.variety, row.variety_en, row.featured
            variety.note, variety.position = row.note, len(seen_varieties)
        grade = grades.get(row.sku)
        fields = _grade_fields(row)
        if grade is None:
            grade = grades[row.sku] = Grade(sku=row.sku, variety=variety, position=position, **fields)
            db.session.add(grade)
            db.session.flush()
            report.added.append(row.sku)
            changed = False
        else:
            changed = grade.variety_id != variety.id or any(getattr(grade, k) != v for k, v in fields.items())
            grade.variety, grade.position = variety, position
            for key, value in fields.items():
                setattr(grade, key, value)
        for name, base in bases.items():
            quantity = row.stock.get(name, 0)
            current = stocks.get((grade.id, base.id))
            if current is None:
                if quantity:
                    db.session.add(Stock(grade_id=grade.id, base_id=base.id, quantity=quantity))
                    changed = True
            elif current.quantity != quantity:
                current.quantity = quantity
                changed = True
        if changed and row.sku not in report.added:
            report.changed.append(row.sku)
    wanted = {row.sku for row in rows}
    for sku, grade in grades.items():
        if sku not in wanted:
            report.removed.append(sku)
            db.session.delete(grade)
    db.session.flush()
    for slug, variety in varieties.items():
        if slug not in seen_varieties:
            db.session.delete(variety)
    db.session.flush()
    for slug, category in categories.items():
        if slug not in seen_categories:
            db.session.delete(category)
    stock_service.bump_version()
    return report
