"""A plant quarantine certificate and the orders it covers."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from shop.catalog.models import utcnow
from shop.dbtypes import UTCDateTime
from shop.extensions import db


class QuarantineCertificate(db.Model):
    """One certificate (one vehicle or one consignment), recorded when the first order under it is dispatched."""

    __tablename__ = "quarantine_certificate"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(60), unique=True)
    issued_on: Mapped[date | None] = mapped_column(sa.Date, nullable=True)  # None only for those before 0005
    vehicle: Mapped[str] = mapped_column(sa.String(20), default="")  # plate number; "" for a parcel
    recorded_by: Mapped[str] = mapped_column(sa.String(60))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
