"""Money a dealer paid into their account (payments on account); it settles their credit orders oldest first."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from shop.catalog.models import utcnow
from shop.dbtypes import UTCDateTime
from shop.extensions import db


class AccountPayment(db.Model):
    """A dealer's payment on account, recorded by staff with its bank date and reference."""

    __tablename__ = "account_payment"
    id: Mapped[int] = mapped_column(primary_key=True)
    dealer_id: Mapped[int] = mapped_column(sa.ForeignKey("dealer.id"), index=True)
    amount_fen: Mapped[int] = mapped_column(sa.BigInteger)
    received_on: Mapped[date] = mapped_column(sa.Date)  # the bank's date (Asia/Shanghai)
    reference: Mapped[str] = mapped_column(sa.String(100), default="")
    recorded_by: Mapped[str] = mapped_column(sa.String(60))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
