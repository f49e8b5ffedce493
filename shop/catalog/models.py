"""The catalog: categories (树种), varieties (品种), grades (规格) and stock per base (基地)."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.dbtypes import UTCDateTime
from shop.extensions import db


def utcnow() -> datetime:
    """Now, in UTC (stored naive-free)."""
    return datetime.now(UTC)


class Base(db.Model):
    """A nursery base (种苗基地) that holds stock and ships orders."""

    __tablename__ = "base"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(40), unique=True)  # short name used in catalog.csv: 平邑
    full_name: Mapped[str] = mapped_column(sa.String(80))
    name_en: Mapped[str] = mapped_column(sa.String(80))
    position: Mapped[int] = mapped_column(default=0)


class Category(db.Model):
    """A fruit category (树种), e.g. 葡萄."""

    __tablename__ = "category"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(60), unique=True)
    name: Mapped[str] = mapped_column(sa.String(60))
    name_en: Mapped[str] = mapped_column(sa.String(120))
    position: Mapped[int] = mapped_column(default=0)
    varieties: Mapped[list[Variety]] = relationship(
        back_populates="category", order_by="Variety.position", cascade="all, delete-orphan"
    )


class Variety(db.Model):
    """A variety (品种) within a category, e.g. 阳光玫瑰."""

    __tablename__ = "variety"
    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("category.id"), index=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    name_en: Mapped[str] = mapped_column(sa.String(160))
    featured: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    category: Mapped[Category] = relationship(back_populates="varieties")
    grades: Mapped[list[Grade]] = relationship(
        back_populates="variety", order_by="Grade.position", cascade="all, delete-orphan"
    )


class Grade(db.Model):
    """A grade (规格): one sellable SKU with a price per plant and a shipping weight."""

    __tablename__ = "grade"
    id: Mapped[int] = mapped_column(primary_key=True)
    variety_id: Mapped[int] = mapped_column(sa.ForeignKey("variety.id"), index=True)
    sku: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    name_en: Mapped[str] = mapped_column(sa.String(160))
    propagation: Mapped[str] = mapped_column(sa.String(20), default="")
    height_cm: Mapped[int | None] = mapped_column(nullable=True)
    diameter_mm: Mapped[int | None] = mapped_column(nullable=True)  # 地径, whole millimetres
    roots: Mapped[str] = mapped_column(sa.String(120), default="")
    standard: Mapped[str] = mapped_column(sa.String(80), default="")
    price_fen: Mapped[int | None] = mapped_column(nullable=True)  # None → 询价 (price on request)
    weight_g: Mapped[int] = mapped_column()
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    variety: Mapped[Variety] = relationship(back_populates="grades")
    stocks: Mapped[list[Stock]] = relationship(
        back_populates="grade", cascade="all, delete-orphan", order_by="Stock.base_id"
    )


class Stock(db.Model):
    """Plants of one grade available at one base; orders take from it with a guarded UPDATE."""

    __tablename__ = "stock"
    grade_id: Mapped[int] = mapped_column(sa.ForeignKey("grade.id", ondelete="CASCADE"), primary_key=True)
    base_id: Mapped[int] = mapped_column(sa.ForeignKey("base.id"), primary_key=True)
    quantity: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    grade: Mapped[Grade] = relationship(back_populates="stocks")
    base: Mapped[Base] = relationship()
    __table_args__ = (sa.CheckConstraint("quantity >= 0", name="quantity_not_negative"),)


class CatalogState(db.Model):
    """One row whose version changes whenever the catalog or its stock does; pages cache by it."""

    __tablename__ = "catalog_state"
    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(sa.BigInteger, default=1)


class QuoteRequest(db.Model):
    """A customer's request for a price on a 询价 item, answered by staff."""

    __tablename__ = "quote_request"
    id: Mapped[int] = mapped_column(primary_key=True)
    variety_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("variety.id", ondelete="SET NULL"), nullable=True, index=True
    )
    item: Mapped[str] = mapped_column(sa.String(200))  # what was asked about, as shown then
    name: Mapped[str] = mapped_column(sa.String(40))
    phone: Mapped[str] = mapped_column(sa.String(20))
    quantity: Mapped[int] = mapped_column(sa.BigInteger)
    message: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    answer: Mapped[str] = mapped_column(sa.Text, default="")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    answered_by: Mapped[str] = mapped_column(sa.String(60), default="")
    variety: Mapped[Variety | None] = relationship()
