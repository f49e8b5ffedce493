"""The whole catalog as plain, immutable data, built in a fixed number of queries and cached by version."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from shop.catalog import stock as stock_service
from shop.catalog.models import Base, Category, Grade, Stock, Variety
from shop.extensions import db


@dataclass(frozen=True)
class GradeView:
    """A grade as pages and the API show it."""

    id: int
    sku: str
    name: str
    name_en: str
    propagation: str
    height_cm: int | None
    diameter_mm: int | None
    roots: str
    standard: str
    price_fen: int | None
    weight_g: int
    stock_by_base: tuple[tuple[str, int], ...]  # (base name, plants) in base order

    @property
    def stock(self) -> int:
        """Plants at all bases."""
        return sum(n for _, n in self.stock_by_base)

    def spec(self, lang: str = "zh") -> str:
        """苗高, 地径, 根系, propagation and standard in one line."""
        return spec_text(self.propagation, self.height_cm, self.diameter_mm, self.roots, self.standard, lang)


@dataclass(frozen=True)
class VarietyView:
    """A variety with its grades and price range."""

    id: int
    slug: str
    name: str
    name_en: str
    featured: bool
    note: str
    category_slug: str
    grades: tuple[GradeView, ...]

    @property
    def prices(self) -> list[int]:
        """The priced grades' prices."""
        return [g.price_fen for g in self.grades if g.price_fen is not None]

    @property
    def price_min(self) -> int | None:
        return min(self.prices, default=None)

    @property
    def price_max(self) -> int | None:
        return max(self.prices, default=None)

    @property
    def quote_only(self) -> bool:
        """No grade has a price: 询价."""
        return not self.prices

    @property
    def stock(self) -> int:
        return sum(g.stock for g in self.grades)


@dataclass(frozen=True)
class CategoryView:
    """A category with its varieties and price range."""

    id: int
    slug: str
    name: str
    name_en: str
    varieties: tuple[VarietyView, ...]

    @property
    def price_min(self) -> int | None:
        return min((v.price_min for v in self.varieties if v.price_min is not None), default=None)

    @property
    def price_max(self) -> int | None:
        return max((v.price_max for v in self.varieties if v.price_max is not None), default=None)

    @property
    def quote_only(self) -> bool:
        return all(v.quote_only for v in self.varieties)

    @property
    def stock(self) -> int:
        return sum(v.stock for v in self.varieties)


MAX_PAGES = 1000  # pages kept per catalog version; more than that (unlikely) starts the cache over


@dataclass(frozen=True)
class Catalog:
    """The catalog at one version, with indexes for the pages."""

    version: int
    bases: tuple[tuple[str, str, str], ...]  # (name, full name, English name)
    categories: tuple[CategoryView, ...]

    def __post_init__(self):
        object.__setattr__(self, "_by_slug", {c.slug: c for c in self.categories})
        varieties = {v.slug: v for c in self.categories for v in c.varieties}
        object.__setattr__(self, "_varieties", varieties)
        object.__setattr__(self, "_skus", {g.sku: (v, g) for v in varieties.values() for g in v.grades})
        object.__setattr__(self, "_pages", {})

    def page(self, key: tuple, render: Callable[[], bytes]) -> bytes:
        """A page's HTML at this version, rendered on first use; a new version starts with no pages."""
        html = self._pages.get(key)
        if html is None:
            if len(self._pages) >= MAX_PAGES:  # many languages × cart sizes × categories: start over
                self._pages.clear()
            html = self._pages[key] = render()
        return html

    def base_label(self, name: str, lang: str = "zh") -> str:
        """A base's name as a page shows it: 平邑基地, or its English name."""
        for short, _full, english in self.bases:
            if short == name:
                return english if lang == "en" else f"{short}基地"
        return name

    def category(self, slug: str) -> CategoryView | None:
        return self._by_slug.get(slug)

    def variety(self, slug: str) -> VarietyView | None:
        return self._varieties.get(slug)

    def grade(self, sku: str) -> tuple[VarietyView, GradeView] | None:
        return self._skus.get(sku)

    @property
    def featured(self) -> list[VarietyView]:
        return [v for v in self._varieties.values() if v.featured]

    def search(self, text: str, limit: int = 50) -> list[VarietyView]:
        """Varieties whose Chinese or English name, or category name, contains the text."""
        needle = text.strip().lower()
        if not needle:
            return []
        names = {c.slug: (c.name + " " + c.name_en).lower() for c in self.categories}
        found = [
            v for v in self._varieties.values()
            if needle in v.name.lower() or needle in v.name_en.lower() or needle in names[v.category_slug]
        ]
        return found[:limit]


def spec_text(propagation, height_cm, diameter_mm, roots, standard, lang="zh") -> str:
    """A grade's specification in words."""
    parts = []
    if lang == "en":
        names = {"嫁接": "grafted", "扦插": "cutting", "实生": "seedling", "组培": "tissue-cultured",
                 "分株": "division", "压条": "layered"}
        if propagation:
            parts.append(names.get(propagation, propagation))
        if height_cm:
            parts.append(f"height ≥{height_cm} cm")
        if diameter_mm:
            parts.append(f"stem ≥{diameter_mm / 10:g} cm")
    else:
        if propagation:
            parts.append(f"{propagation}苗" if not propagation.endswith("苗") else propagation)
        if height_cm:
            parts.append(f"苗高≥{height_cm}cm")
        if diameter_mm:
            parts.append(f"地径≥{diameter_mm / 10:g}cm")
    if roots:
        parts.append(roots)
    if standard:
        parts.append(standard)
    return " · ".join(parts)


def build(ver: int | None = None) -> Catalog:
    """Read the catalog in six queries (five when the version is known), whatever its size.

    The version is read before the rows: data newer than its label is only rebuilt once more, never kept stale.
    """
    if ver is None:
        ver = stock_service.version()
    bases = list(db.session.execute(sa.select(Base).order_by(Base.position, Base.id)).scalars())
    stock: dict[int, dict[int, int]] = {}
    for grade_id, base_id, quantity in db.session.execute(sa.select(Stock.grade_id, Stock.base_id, Stock.quantity)):
        stock.setdefault(grade_id, {})[base_id] = quantity
    grades: dict[int, list[GradeView]] = {}
    for g in db.session.execute(
        sa.select(Grade).where(Grade.active.is_(True)).order_by(Grade.position, Grade.id)
    ).scalars():
        grades.setdefault(g.variety_id, []).append(GradeView(
            g.id, g.sku, g.name, g.name_en, g.propagation, g.height_cm, g.diameter_mm, g.roots, g.standard,
            g.price_fen, g.weight_g, _by_base(bases, stock.get(g.id, {})),
        ))
    categories_rows = list(db.session.execute(sa.select(Category).order_by(Category.position, Category.id)).scalars())
    slugs = {c.id: c.slug for c in categories_rows}
    varieties: dict[int, list[VarietyView]] = {}
    for v in db.session.execute(sa.select(Variety).order_by(Variety.position, Variety.id)).scalars():
        varieties.setdefault(v.category_id, []).append(VarietyView(
            v.id, v.slug, v.name, v.name_en, v.featured, v.note, slugs[v.category_id], tuple(grades.get(v.id, ())),
        ))
    categories = tuple(
        CategoryView(c.id, c.slug, c.name, c.name_en, tuple(varieties.get(c.id, ()))) for c in categories_rows
    )
    return Catalog(ver, tuple((b.name, b.full_name, b.name_en) for b in bases), categories)


def _by_base(bases: list[Base], levels: dict[int, int]) -> tuple[tuple[str, int], ...]:
    """Every base in order with this grade's plants there (0 where it has no stock row)."""
    return tuple((b.name, levels.get(b.id, 0)) for b in bases)


_lock = threading.Lock()
_VERSION_SQL = "SELECT version FROM catalog_state"  # CatalogState.__tablename__


def _version() -> int:
    """stock.version() as plain SQL: the one query a cached page costs, at a fraction of SQLAlchemy's price.

    Inside a transaction it asks on the session's connection, so it sees the session's own changes as
    stock.version() does. Otherwise a new transaction would see what any connection sees, so it borrows a
    pooled driver connection for the single statement (pre-ping and reset as usual) and leaves the session
    untouched. That is most of a cached page's time under gunicorn; it also means SQLAlchemy's statement
    events do not see this one query (the pool's checkout and checkin events do).
    """
    sessions = db.session.registry  # asking the scoped session would create one just to say no
    if sessions.has() and sessions().in_transaction():
        return db.session.connection().exec_driver_sql(_VERSION_SQL).scalar() or 0
    connection = db.engine.raw_connection()
    try:
        cursor = connection.cursor()
        try:
            cursor.execute(_VERSION_SQL)
            row = cursor.fetchone()
        finally:
            cursor.close()
    finally:
        connection.close()  # back to the pool, rolled back
    return (row[0] if row else 0) or 0


def current() -> Catalog:
    """The catalog, rebuilt only when its version changed: one query per request otherwise."""
    cache = current_app.extensions.setdefault("catalog_cache", {})
    ver = _version()
    cached = cache.get("catalog")
    if cached is not None and cached.version == ver:
        return cached
    with _lock:
        cached = cache.get("catalog")
        if cached is not None and cached.version == ver:  # another request rebuilt it while we waited
            return cached
        fresh = cache["catalog"] = build(ver)
        return fresh
