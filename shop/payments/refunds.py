"""Refunds: all or part of what was paid, never more, with a reason; through Stripe or recorded by bank.

A Stripe refund carries an idempotency key made of the order, what was refunded before and the amount: a retry
after a failure (even one where Stripe refunded but our commit was lost) gets Stripe's first refund back, never a
second one. The order's row is claimed with a guarded UPDATE before Stripe is asked, so two staff refunding at
once cannot both pass the "never more than paid" check. The caller commits (or rolls back on RefundError).
"""

from __future__ import annotations

from flask import current_app

from shop.credit import service as credit
from shop.extensions import db
from shop.money import format_money, format_yuan
from shop.orders import changes, states
from shop.orders.models import Order, Refund
from shop.payments import stripe_gateway as gateway

FAILED = frozenset({"failed", "canceled"})  # Stripe refund statuses under which no money went back


class RefundError(Exception):
    """The refund cannot be made; the message says why, in 中文 and English."""


def method_of(order: Order) -> str:
    """How the money came in: the recorded payment's method (an order is paid at most once), else the chosen one."""
    return order.payments[0].method if order.payments else order.payment_method


def refundable(order: Order) -> int:
    """Fen that can still be refunded: paid − refunded (0 unless money came in)."""
    if order.payment_status not in states.MONEY_RECEIVED:
        return 0
    return order.paid_fen - order.refunded_fen


def refund(order: Order, *, amount_fen: int | None, reason: str, actor: str, bank_reference: str = "",
           seen_refunded_fen: int | None = None) -> Refund:
    """Send back amount_fen (None: all that is left) of what the buyer paid; the Refund recorded.

    seen_refunded_fen is what had been refunded when staff opened the form: a form sent twice (a second tab,
    back and resend) finds it changed and refunds nothing more. A full refund of an order not yet dispatched is
    a cancellation: `lifecycle.cancel_order` does both.
    """
    reason, actor, bank_reference = reason.strip(), actor.strip(), bank_reference.strip()
    check_seen(order, seen_refunded_fen)
    left = refundable(order)
    if not reason:
        raise RefundError("须注明退款原因 (a reason is required)")
    if not actor:
        raise RefundError("须注明经办人 (who refunds is required)")
    if left <= 0:
        raise RefundError(f"订单 {order.number} 没有可退的款项 (nothing left to refund)")
    amount = left if amount_fen is None else amount_fen
    if amount <= 0:
        raise RefundError("退款金额须大于零 (the amount must be above zero)")
    if amount > left:
        raise RefundError(f"退款金额 {format_money(amount)} 超过可退金额 {format_money(left)}（已付 "
                          f"{format_money(order.paid_fen)}，已退 {format_money(order.refunded_fen)}） "
                          f"(at most {format_yuan(left)} can be refunded)")
    payment = order.payments[0] if order.payments else None
    method = method_of(order)
    dealer = credit.lock(order.dealer_id) if method == credit.CREDIT and order.dealer_id is not None else None
    if method == "credit":  # a dealer's credit order: the money goes back into their account, not to a bank
        bank_reference = bank_reference or "dealer account"
    elif method != "stripe" and not bank_reference:
        raise RefundError("银行汇款的退款须填写退款的银行流水号 (a bank refund needs its bank reference)")
    before = order.refunded_fen
    key = f"refund-{order.number}-{before}-{amount}"
    after = before + amount
    if not changes.move(order, actor=actor, action="refund",
                        payment_status=states.after_refund(order.paid_fen, after),
                        values={"refunded_fen": after}, guard=(Order.refunded_fen == before,),
                        note={"amount": format_yuan(amount), "refunded": format_yuan(after), "reason": reason,
                              "method": method, "idempotency_key": key}):
        raise RefundError("订单刚被他人修改，请刷新后重试 (the order changed meanwhile; try again)")
    reference, status = bank_reference, "succeeded"
    if method == "stripe":
        try:
            made = gateway.create_refund(gateway.StripeSettings.from_config(current_app.config),
                                         payment_intent=_payment_intent(payment), amount_fen=amount,
                                         idempotency_key=key, order_number=order.number)
        except gateway.GatewayUnavailable as err:
            raise RefundError(f"Stripe 退款失败，未退任何款项，请稍后重试 (Stripe refund failed: {err})") from err
        except ValueError as err:
            raise RefundError(f"无法通过 Stripe 退款 (cannot refund through Stripe): {err}") from err
        if made.status in FAILED:
            raise RefundError(f"Stripe 拒绝了退款（{made.status}），未退任何款项 (Stripe refused the refund: {made.status})")
        reference, status = made.id, made.status or "succeeded"  # "pending": on its way; refund.updated follows
    record = Refund(order_id=order.id, method=method, amount_fen=amount, reason=reason[:200], idempotency_key=key,
                    reference=reference[:255], status=status[:20], actor=actor[:60])
    db.session.add(record)
    db.session.flush()
    db.session.refresh(order)
    if dealer is not None:  # back in the dealer's account: it settles their next unpaid credit orders
        credit.apply(dealer, actor=actor, now=None)
    return record


def check_seen(order: Order, seen_refunded_fen: int | None) -> None:
    """RefundError if more was refunded since staff opened the form (it was sent twice, or from two tabs)."""
    if seen_refunded_fen is not None and seen_refunded_fen != order.refunded_fen:
        raise RefundError(f"打开页面后此订单已退款 {format_money(order.refunded_fen - seen_refunded_fen)}，"
                          "请核对后再操作 (refunded meanwhile; check before refunding again)")


def _payment_intent(payment) -> str:
    """The PaymentIntent that took the money: kept when it was paid, else looked up from its Checkout Session."""
    if payment is None:
        raise ValueError("no payment is recorded for this order")
    if payment.payment_intent:
        return payment.payment_intent
    session = gateway.retrieve_checkout_session(gateway.StripeSettings.from_config(current_app.config),
                                                payment.reference)
    intent = session.get("payment_intent")
    intent = intent.get("id") if isinstance(intent, dict) else intent
    if not intent:
        raise ValueError(f"Stripe has no PaymentIntent for session {payment.reference}")
    payment.payment_intent = str(intent)[:255]
    return payment.payment_intent
