"""POST /payments/stripe/webhook: Stripe tells us a Checkout Session was paid, failed or expired."""

from __future__ import annotations

import sqlalchemy as sa
from flask import jsonify, request
from sqlalchemy.exc import IntegrityError

from shop.errors import json_error
from shop.extensions import csrf, db
from shop.money import format_money
from shop.orders import service, states
from shop.orders.models import PaymentMismatch, Refund, StripeEvent
from shop.payments import bp, refunds
from shop.payments import checkout as stripe_checkout
from shop.payments import stripe_gateway as gateway
from shop.payments.service import LATE, flag, record_payment

PAID_EVENTS = {"checkout.session.completed", "checkout.session.async_payment_succeeded"}
REFUND_EVENTS = {"refund.updated", "refund.failed"}
HANDLED = PAID_EVENTS | REFUND_EVENTS | {"checkout.session.async_payment_failed", "checkout.session.expired"}


@bp.post("/stripe/webhook")
@csrf.exempt
def stripe_webhook():
    """Verify the signature over the raw body, then apply the event once."""
    settings = stripe_checkout.settings()
    if not settings.webhook_secret:
        return json_error(404, "not_found", "Stripe is not configured")
    try:
        event = gateway.parse_event(settings, request.get_data(), request.headers.get("Stripe-Signature", ""))
    except gateway.BadSignature as err:
        return json_error(400, "bad_signature", str(err) or "invalid Stripe-Signature")
    event_id, kind = str(event.get("id", "")), str(event.get("type", ""))
    if kind not in HANDLED or not event_id:
        return jsonify(received=True, handled=False)
    data = event.get("data")
    session = data.get("object") if isinstance(data, dict) else None
    session = session if isinstance(session, dict) else {}
    metadata = session.get("metadata") if isinstance(session.get("metadata"), dict) else {}
    number = str(session.get("client_reference_id") or metadata.get("order_number") or "")
    record = StripeEvent(event_id=event_id, type=kind, order_number=number[:32])
    db.session.add(record)
    try:
        db.session.flush()  # the unique event id: a second delivery stops here
    except IntegrityError:
        db.session.rollback()
        return jsonify(received=True, duplicate=True, **_retry_late_refund(kind, number))
    order = service.by_number(number) if number else None
    if order is None:
        record.outcome = "unknown_order"
    elif kind in REFUND_EVENTS:
        record.outcome = _refund_changed(order, session)
    elif kind in PAID_EVENTS:
        if session.get("payment_status") == "paid":
            record.outcome = record_payment(
                order, method="stripe", amount_fen=_int(session.get("amount_total")),
                currency=str(session.get("currency") or ""), actor="stripe",
                reference=_reference(session, event_id), payment_intent=_intent(session),
            )
        else:
            record.outcome = "awaiting_payment"  # e.g. a bank-based method still settling
    elif kind == "checkout.session.async_payment_failed":
        record.outcome = "payment_failed"
        _forget_session(order, session)
    else:
        record.outcome = "session_expired"
        _forget_session(order, session)
    try:
        db.session.commit()
    except IntegrityError:  # a concurrent copy of this event committed first
        db.session.rollback()
        return jsonify(received=True, duplicate=True)
    outcome = record.outcome
    if outcome == LATE:
        outcome = _refund_late_payment(number)
    return jsonify(received=True, outcome=outcome)


def _retry_late_refund(kind: str, number: str) -> dict:
    """A repeated payment event for a cancelled order whose money is still held (the first delivery's refund
    failed or never ran): try the refund again."""
    order = service.by_number(number) if kind in PAID_EVENTS and number else None
    if order is None or order.status != states.CANCELLED or not refunds.refundable(order) \
            or refunds.method_of(order) != "stripe":
        return {}
    return {"outcome": _refund_late_payment(number)}


def _refund_late_payment(number: str) -> str:
    """Money came in for an order cancelled meanwhile: refund it all at once, and tell staff either way.

    The payment and its notice for staff (kind late_payment) were committed first, so whatever happens here the
    money is on record; the notice then says whether the automatic refund went through.
    """
    order = service.by_number(number)
    try:
        refunds.refund(order, amount_fen=None, reason="订单已取消后到账，自动全额退款 (paid after cancellation)",
                       actor="stripe")
    except refunds.RefundError as err:
        db.session.rollback()
        _late_notice(order, "late_payment_unrefunded", f"the automatic refund failed, refund it by hand: {err}")
        db.session.commit()
        return "late_payment_refund_failed"
    _late_notice(order, "late_payment_refunded", "refunded in full automatically")
    db.session.commit()
    return "late_payment_refunded"


def _late_notice(order, kind: str, detail: str) -> None:
    """Update the open late-payment notice of the order to say what became of the money."""
    notices = list(db.session.execute(sa.select(PaymentMismatch).where(
        PaymentMismatch.order_id == order.id, PaymentMismatch.resolved_at.is_(None),
        PaymentMismatch.kind.in_(("late_payment", "late_payment_unrefunded")))).scalars())
    if not notices:
        flag(order, "stripe", kind, detail)
    for notice in notices:
        notice.kind, notice.detail = kind, f"{notice.detail}\n{detail}"


def _refund_changed(order, refund: dict) -> str:
    """Stripe says what became of a refund (some methods settle later): a failed one is shown to staff."""
    found = db.session.execute(sa.select(Refund).where(
        Refund.order_id == order.id, Refund.reference == str(refund.get("id") or ""))).scalar()
    if found is None:
        return "unknown_refund"
    status = str(refund.get("status") or "")[:20]
    if status in refunds.FAILED and found.status not in refunds.FAILED:
        flag(order, "stripe", "refund_failed", f"Stripe refund {found.reference} of {format_money(found.amount_fen)} "
                                               f"{status}: the money did not go back; refund it again or by bank")
        found.status = status
        return "refund_failed"
    found.status = status or found.status
    return "refund_updated"


def _int(value) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else -1


def _forget_session(order, session: dict) -> None:
    """The session can no longer be paid: the next attempt makes a new one."""
    if order.status == states.PENDING_PAYMENT and order.stripe_session_id == session.get("id"):
        order.stripe_session_url = ""


def _intent(session: dict) -> str:
    """The PaymentIntent that took the money (kept for refunds)."""
    intent = session.get("payment_intent")
    intent = intent.get("id") if isinstance(intent, dict) else intent
    return str(intent or "")


def _reference(session: dict, event_id: str) -> str:
    """The Checkout Session's id: the same for every event about one payment, different for a second session."""
    intent = session.get("payment_intent")
    intent = intent.get("id") if isinstance(intent, dict) else intent
    return str(session.get("id") or intent or event_id)
