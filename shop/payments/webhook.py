"""POST /payments/stripe/webhook: Stripe tells us a Checkout Session was paid, failed or expired."""

from __future__ import annotations

from flask import jsonify, request
from sqlalchemy.exc import IntegrityError

from shop.errors import json_error
from shop.extensions import csrf, db
from shop.orders import service, states
from shop.orders.models import StripeEvent
from shop.payments import bp, refunds
from shop.payments import checkout as stripe_checkout
from shop.payments import stripe_gateway as gateway
from shop.payments.service import LATE, flag, record_payment

HANDLED = {
    "checkout.session.completed", "checkout.session.async_payment_succeeded",
    "checkout.session.async_payment_failed", "checkout.session.expired",
}


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
        return jsonify(received=True, duplicate=True)
    order = service.by_number(number) if number else None
    if order is None:
        record.outcome = "unknown_order"
    elif kind in {"checkout.session.completed", "checkout.session.async_payment_succeeded"}:
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


def _refund_late_payment(number: str) -> str:
    """Money came in for an order cancelled meanwhile: refund it all at once, and tell staff either way.

    The payment is committed first, so a failed refund leaves it recorded for staff to refund from the desk.
    """
    order = service.by_number(number)
    try:
        refunds.refund(order, amount_fen=None, reason="订单已取消后到账，自动全额退款 (paid after cancellation)",
                       actor="stripe")
    except refunds.RefundError as err:
        db.session.rollback()
        flag(order, "stripe", "late_payment_unrefunded",
             f"paid after the order was cancelled; the automatic refund failed, refund it by hand: {err}")
        db.session.commit()
        return "late_payment_refund_failed"
    flag(order, "stripe", "late_payment_refunded",
         f"paid after the order was cancelled ({order.cancel_reason}); refunded in full automatically")
    db.session.commit()
    return "late_payment_refunded"


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
