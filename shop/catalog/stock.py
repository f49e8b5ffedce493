"""Stock per base: guarded takes that cannot oversell, releases, and the catalog version."""

from __future__ import annotations

import sqlalchemy as sa

from shop.catalog.models import Base, CatalogState, Grade, Stock
from shop.extensions import db


class UnknownSku(LookupError):
    """No grade has this SKU."""


class UnknownBase(LookupError):
    """No base has this name."""


def bump_version() -> None:
    """Mark the catalog changed so cached pages are rebuilt (same transaction as the change)."""
    updated = db.session.execute(sa.update(CatalogState).values(version=CatalogState.version + 1))
    if updated.rowcount == 0:
        db.session.add(CatalogState(id=1, version=2))


def version() -> int:
    """The catalog's current version: one cheap query."""
    return db.session.execute(sa.select(CatalogState.version)).scalar() or 0


def find_base(name: str) -> Base:
    """A base by its short name (平邑), full name or code."""
    base = db.session.execute(
        sa.select(Base).where(sa.or_(Base.name == name, Base.full_name == name, Base.code == name))
    ).scalar()
    if base is None:
        raise UnknownBase(name)
    return base


def set_stock(sku: str, quantity: int, base_name: str | None = None) -> dict[str, tuple[int, int]]:
    """Set a grade's stock at one base (default: all of it at its first base); returns before/after by base."""
    grade = db.session.execute(sa.select(Grade).where(Grade.sku == sku)).scalar()
    if grade is None:
        raise UnknownSku(sku)
    if quantity < 0:
        raise ValueError("stock cannot be negative")
    bases = list(db.session.execute(sa.select(Base).order_by(Base.position, Base.id)).scalars())
    target = find_base(base_name) if base_name else bases[0]
    current = {s.base_id: s for s in grade.stocks}
    changes: dict[str, tuple[int, int]] = {}
    for base in bases:
        if base_name and base.id != target.id:
            continue
        new = quantity if base.id == target.id else 0
        row = current.get(base.id)
        old = row.quantity if row else 0
        if row is None:
            db.session.add(Stock(grade_id=grade.id, base_id=base.id, quantity=new))
        else:
            row.quantity = new
        changes[base.name] = (old, new)
    bump_version()
    return changes


def take(grade_id: int, quantity: int, base_ids: list[int]) -> list[tuple[int, int]] | None:
    """Take plants from the bases in order with guarded UPDATEs; None (nothing taken) if short.

    Each UPDATE only succeeds while the row still holds enough, so two buyers can never both
    get the last plants, on PostgreSQL (row lock, re-checked) and SQLite (single writer) alike.
    The caller rolls back the whole transaction when this returns None.
    """
    for base_id in base_ids:  # one base that holds the whole line is best: one parcel
        if _guarded_take(grade_id, base_id, quantity):
            return [(base_id, quantity)]
    levels = dict(db.session.execute(
        sa.select(Stock.base_id, Stock.quantity).where(Stock.grade_id == grade_id)
    ).all())
    taken: list[tuple[int, int]] = []
    remaining = quantity
    for base_id in base_ids:
        part = min(remaining, levels.get(base_id, 0))
        if part <= 0:
            continue
        if not _guarded_take(grade_id, base_id, part):
            return None
        taken.append((base_id, part))
        remaining -= part
        if remaining == 0:
            return taken
    return None


def _guarded_take(grade_id: int, base_id: int, quantity: int) -> bool:
    result = db.session.execute(
        sa.update(Stock)
        .where(Stock.grade_id == grade_id, Stock.base_id == base_id, Stock.quantity >= quantity)
        .values(quantity=Stock.quantity - quantity)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def give_back(grade_id: int, base_id: int, quantity: int) -> None:
    """Return plants held for a cancelled order to their base."""
    result = db.session.execute(
        sa.update(Stock)
        .where(Stock.grade_id == grade_id, Stock.base_id == base_id)
        .values(quantity=Stock.quantity + quantity)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 0:
        db.session.add(Stock(grade_id=grade_id, base_id=base_id, quantity=quantity))
