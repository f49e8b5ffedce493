"""Where the goods go after payment: dispatch (by the deadline of the rules), receipt, and printed contracts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from shop.credit import ledger
from shop.credit import service as credit
from shop.extensions import db
from shop.orders import changes, states
from shop.orders.models import Order
from shop.quarantine.service import certificate_for
from shop.seasons import windows


class NotDispatchable(Exception):
    """Only an order awaiting dispatch, paid or on account, can be dispatched."""


class HeldForItsWindow(NotDispatchable):
    """The buyer reserved the order for their planting window: it may leave from `leaves_from` (the week before)."""

    def __init__(self, number: str, leaves_from: date, opens_on: date):
        self.leaves_from, self.opens_on = leaves_from, opens_on
        super().__init__(number)


class NotReceivable(Exception):
    """Only a dispatched order can be received (HTTP 409)."""


def dispatch(order: Order, *, base: str, carrier: str, tracking_number: str, quarantine_cert: str, actor: str,
             now: datetime | None = None, cert_issued_on: date | None = None, vehicle: str = "") -> None:
    """Record the parcel leaving the base: awaiting_dispatch → dispatched, exactly once (the caller commits).

    The plant quarantine certificate (number and issue date, not older than QUARANTINE_CERT_DAYS) is required:
    shop.quarantine.rules.CertificateRefused otherwise."""
    now = now or datetime.now(UTC)
    if not states.can_dispatch(order.status, order.payment_status):
        raise NotDispatchable(order.number)
    leaves_from = windows.held_until(order.ship_timing, order.season_opens_on)
    if leaves_from is not None and windows.china_day(now) < leaves_from:  # reserved: not out of season
        raise HeldForItsWindow(order.number, leaves_from, order.season_opens_on)
    certificate = certificate_for(quarantine_cert, cert_issued_on, vehicle=vehicle, actor=actor, now=now)
    late = bool(order.dispatch_by and now > order.dispatch_by)
    values = {"dispatched_at": now, "dispatch_base": base, "carrier": carrier,
              "tracking_number": tracking_number, "quarantine_cert": certificate.number,
              "quarantine_cert_id": certificate.id}
    if order.payment_method == credit.CREDIT:  # on account: due the dealer's terms after it leaves
        values["due_at"] = ledger.due_at(now, credit.terms_of(order))
    if not changes.move(order, actor=actor, action="dispatch", status=states.DISPATCHED, values=values,
                        note={"base": base, "carrier": carrier, "tracking_number": tracking_number,
                              "quarantine_cert": certificate.number, "cert_issued_on": str(certificate.issued_on),
                              "vehicle": certificate.vehicle, "late": late}):
        raise NotDispatchable(order.number)


def receive(order: Order, *, actor: str, now: datetime | None = None) -> bool:
    """确认收货: dispatched → completed with received_at (now). False if it was already received; the caller
    commits."""
    now = now or datetime.now(UTC)
    if order.status == states.COMPLETED:
        return False
    if order.status != states.DISPATCHED:
        raise NotReceivable(order.number)
    if changes.move(order, actor=actor, action="receive", status=states.COMPLETED, values={"received_at": now}):
        return True
    if order.status == states.COMPLETED:  # confirmed at the same moment elsewhere
        return False
    raise NotReceivable(order.number)


def complete_dispatched(*, days: int, now: datetime | None = None) -> list[str]:
    """Complete orders dispatched more than `days` ago and not confirmed (RECEIPT_AUTO_DAYS); their numbers."""
    now = now or datetime.now(UTC)
    due = list(db.session.execute(
        sa.select(Order).where(Order.status == states.DISPATCHED, Order.dispatched_at < now - timedelta(days=days))
        .order_by(Order.id)
    ).scalars())
    # Taken as received when the days ran out, not when cron got round to it: the guarantee windows start there.
    return [order.number for order in due
            if receive(order, actor="auto-receipt", now=min(now, order.dispatched_at + timedelta(days=days)))]


def mark_printed(orders: list[Order], now: datetime | None = None) -> None:
    """Remember when each contract was first printed."""
    now = now or datetime.now(UTC)
    for order in orders:
        if order.contract_printed_at is None:
            order.contract_printed_at = now
