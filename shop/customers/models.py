"""The customer archive (客户档案): a customer per retail phone and per dealer, staff's contact log, call scripts."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.catalog.models import utcnow
from shop.dbtypes import UTCDateTime
from shop.extensions import db


def retail_key(phone: str) -> str:
    """The archive's key of a retail buyer: their phone."""
    return f"retail:{phone}"


def dealer_key(dealer_id: int) -> str:
    """The archive's key of a dealer: their account."""
    return f"dealer:{dealer_id}"


class Customer(db.Model):
    """A retail buyer (by phone) or a dealer (by account); every order belongs to one."""

    __tablename__ = "customer"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(40), unique=True)  # retail:<phone> | dealer:<id>: the race guard
    kind: Mapped[str] = mapped_column(sa.String(10), index=True)  # retail | dealer
    dealer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("dealer.id"), nullable=True, unique=True)
    name: Mapped[str] = mapped_column(sa.String(100))  # the latest order's buyer, or the dealer's company
    phone: Mapped[str] = mapped_column(sa.String(11))
    region: Mapped[str] = mapped_column(sa.String(60), default="")  # province + city, or the dealer's region
    notes: Mapped[str] = mapped_column(sa.Text, default="")  # staff's notes
    major_change: Mapped[bool] = mapped_column(default=False)  # 重大变故, flagged by staff
    major_change_note: Mapped[str] = mapped_column(sa.String(200), default="")
    next_contact_on: Mapped[date | None] = mapped_column(sa.Date, nullable=True, index=True)  # from the last contact
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    contacts: Mapped[list[Contact]] = relationship(back_populates="customer", order_by="Contact.at.desc()")


class Contact(db.Model):
    """回访记录: when staff contacted the customer, how, the outcome and when to call next."""

    __tablename__ = "customer_contact"
    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(sa.ForeignKey("customer.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    channel: Mapped[str] = mapped_column(sa.String(10))  # phone | wechat | visit | sms
    outcome: Mapped[str] = mapped_column(sa.String(500))
    next_contact_on: Mapped[date | None] = mapped_column(sa.Date, nullable=True)
    recorded_by: Mapped[str] = mapped_column(sa.String(60))
    customer: Mapped[Customer] = relationship(back_populates="contacts")


class CallScript(db.Model):
    """A segment's call script (话术) as staff edited it; without a row the default of shop.customers.scripts."""

    __tablename__ = "call_script"
    segment: Mapped[str] = mapped_column(sa.String(10), primary_key=True)
    body_zh: Mapped[str] = mapped_column(sa.Text)
    body_en: Mapped[str] = mapped_column(sa.Text)
    updated_by: Mapped[str] = mapped_column(sa.String(60))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
