"""Marking an order paid: the one function Stripe's webhook and bank-transfer confirmation both call."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from shop import audit
from shop.extensions import db
from shop.money import format_yuan
from shop.orders.models import Order, Payment, PaymentMismatch

DISPATCH_WITHIN = timedelta(days=2)  # 款到两日内发货

PAID = "paid"
ALREADY_PAID = "already_paid"
MISMATCH = "mismatch"


def record_payment(order: Order, *, method: str, amount_fen: int, currency: str, reference: str, actor: str,
                   received_on: str = "", now: datetime | None = None) -> str:
    """Mark the order paid exactly once if the money matches; otherwise record a mismatch for staff.

    Returns PAID, ALREADY_PAID or MISMATCH. The caller commits.
    """
    now = now or datetime.now(UTC)
    currency = (currency or "").lower()
    if currency != "cny" or amount_fen != order.total_fen:
        kind = "currency" if currency != "cny" else "amount"
        flag(order, method, kind, f"received {format_yuan(amount_fen) if isinstance(amount_fen, int) else amount_fen} "
                                  f"{currency.upper()}, order total {format_yuan(order.total_fen)} CNY; ref {reference}")
        return MISMATCH
    result = db.session.execute(
        sa.update(Order).where(Order.id == order.id, Order.status == "pending_payment")
        .values(status="paid", paid_at=now, dispatch_by=now + DISPATCH_WITHIN)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.refresh(order)
        if order.status in {"paid", "dispatched", "completed"}:
            earlier = order.payments[0].reference if order.payments else reference
            if earlier != reference[:255]:  # money arrived twice (e.g. two Stripe sessions): staff refund one
                flag(order, method, "paid_twice", f"payment {reference} arrived for an order already paid by {earlier}")
            return ALREADY_PAID
        flag(order, method, "order_" + order.status, f"payment {reference} arrived for a {order.status} order")
        return MISMATCH
    db.session.add(Payment(order_id=order.id, method=method, amount_fen=amount_fen, currency=currency,
                           reference=reference[:255], received_on=received_on, confirmed_by=actor))
    audit.record(actor, "payment_received", order.number, {"status": "pending_payment"},
                 {"status": "paid", "method": method, "amount": format_yuan(amount_fen), "reference": reference})
    db.session.flush()
    db.session.refresh(order)
    return PAID


def flag(order: Order | None, source: str, kind: str, detail: str) -> None:
    """Record a payment that could not be applied, for staff to look at."""
    db.session.add(PaymentMismatch(order_id=order.id if order else None, source=source, kind=kind, detail=detail))
    audit.record(source, "payment_mismatch", order.number if order else "", {}, {"kind": kind, "detail": detail})
