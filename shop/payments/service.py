"""Marking an order paid: the one function Stripe's webhook and bank-transfer confirmation both call."""

from __future__ import annotations

from datetime import UTC, datetime

from shop import audit
from shop.extensions import db
from shop.money import format_yuan
from shop.orders import changes, service, states
from shop.orders.models import Order, Payment, PaymentMismatch
from shop.seasons import windows

PAID = "paid"
ALREADY_PAID = "already_paid"
MISMATCH = "mismatch"
LATE = "late_payment"  # money for an order cancelled meanwhile: recorded, then refunded in full


def dispatch_deadline(order: Order, paid_at: datetime) -> datetime:
    """The latest dispatch (款到…内发货), under the rules the order was placed with; an order reserved for its
    destination's window counts from the window's opening if that is later than the payment."""
    start = windows.dispatch_from(order.ship_timing, order.season_opens_on, paid_at)
    return service.placed_rules(order).dispatch_deadline(start)


def record_payment(order: Order, *, method: str, amount_fen: int, currency: str, reference: str, actor: str,
                   received_on: str = "", payment_intent: str = "", now: datetime | None = None) -> str:
    """Mark the order paid exactly once if the money matches; otherwise record a mismatch for staff.

    Returns PAID, ALREADY_PAID, MISMATCH or LATE (paid after it was cancelled: the money is recorded so that it
    can be refunded, and staff are told). The caller commits.
    """
    now = now or datetime.now(UTC)
    currency = (currency or "").lower()
    if currency != "cny" or amount_fen != order.total_fen:
        kind = "currency" if currency != "cny" else "amount"
        flag(order, method, kind, f"received {format_yuan(amount_fen) if isinstance(amount_fen, int) else amount_fen} "
                                  f"{currency.upper()}, order total {format_yuan(order.total_fen)} CNY; ref {reference}")
        return MISMATCH
    paid = {"paid_at": now, "paid_fen": amount_fen}
    note = {"method": method, "amount": format_yuan(amount_fen), "reference": reference}
    if order.status == states.PENDING_PAYMENT and order.payment_status == states.UNPAID and changes.move(
            order, actor=actor, action="payment_received", status=states.AWAITING_DISPATCH,
            payment_status=states.PAID, values={**paid, "dispatch_by": dispatch_deadline(order, now)}, note=note):
        _keep(order, method, amount_fen, currency, reference, received_on, actor, payment_intent)
        return PAID
    if order.payment_status != states.UNPAID:
        earlier = order.payments[0].reference if order.payments else reference
        if earlier != reference[:255]:  # money arrived twice (e.g. two Stripe sessions): staff refund one
            flag(order, method, "paid_twice", f"payment {reference} arrived for an order already paid by {earlier}")
        return ALREADY_PAID
    if order.status == states.CANCELLED and changes.move(
            order, actor=actor, action="late_payment_received", payment_status=states.PAID, values=paid, note=note):
        _keep(order, method, amount_fen, currency, reference, received_on, actor, payment_intent)
        # Staff see it in the same transaction as the money: the webhook then refunds Stripe's at once and says so
        # on this notice; a transfer goes back by bank from the order's page.
        flag(order, method, "late_payment", f"payment {reference} of {format_yuan(amount_fen)} arrived after the "
                                            "order was cancelled: it must be refunded")
        return LATE
    flag(order, method, "order_" + order.status, f"payment {reference} arrived for a {order.status} order")
    return MISMATCH


def _keep(order, method, amount_fen, currency, reference, received_on, actor, payment_intent) -> None:
    db.session.add(Payment(order_id=order.id, method=method, amount_fen=amount_fen, currency=currency,
                           reference=reference[:255], received_on=received_on, confirmed_by=actor,
                           payment_intent=payment_intent[:255]))
    db.session.flush()
    db.session.refresh(order)


def flag(order: Order | None, source: str, kind: str, detail: str) -> None:
    """Record a payment that could not be applied, for staff to look at."""
    db.session.add(PaymentMismatch(order_id=order.id if order else None, source=source, kind=kind, detail=detail))
    audit.record(source, "payment_mismatch", order.number if order else "", {}, {"kind": kind, "detail": detail})
