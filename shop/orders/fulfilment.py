"""After payment: dispatch within two days, and the contracts printed for it."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from shop import audit
from shop.extensions import db
from shop.orders.models import Order


class NotDispatchable(Exception):
    """Only a paid order can be dispatched."""


def dispatch(order: Order, *, base: str, carrier: str, tracking_number: str, quarantine_cert: str, actor: str,
             now: datetime | None = None) -> None:
    """Record the parcel leaving the base: paid → dispatched, exactly once (the caller commits)."""
    now = now or datetime.now(UTC)
    result = db.session.execute(
        sa.update(Order).where(Order.id == order.id, Order.status == "paid")
        .values(status="dispatched", dispatched_at=now, dispatch_base=base, carrier=carrier,
                tracking_number=tracking_number, quarantine_cert=quarantine_cert)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise NotDispatchable(order.number)
    audit.record(actor, "dispatch", order.number, {"status": "paid"},
                 {"status": "dispatched", "base": base, "carrier": carrier, "tracking_number": tracking_number,
                  "quarantine_cert": quarantine_cert, "late": bool(order.dispatch_by and now > order.dispatch_by)})
    db.session.refresh(order)


def mark_printed(orders: list[Order], now: datetime | None = None) -> None:
    """Remember when each contract was first printed."""
    now = now or datetime.now(UTC)
    for order in orders:
        if order.contract_printed_at is None:
            order.contract_printed_at = now
