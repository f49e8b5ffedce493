"""The order's life after it is placed, as staff, the buyer and cron drive it: cancel (with refund), expire,
refund, receive. Each is one transaction: the caller commits, or rolls back when an error is raised.

The state rules are in `states`, the guarded changes in `changes`; this module puts goods, money and the
Stripe session together so that no path leaves one of them behind.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from flask import current_app

from shop import after_commit
from shop.credit import service as credit
from shop.extensions import db
from shop.money import format_yuan
from shop.orders import changes, fulfilment, service, states
from shop.orders.models import Order
from shop.payments import refunds
from shop.payments import stripe_gateway as gateway

log = logging.getLogger(__name__)

RefundError = refunds.RefundError
BUYER_CANCEL_REASON = "买家取消 (cancelled by the buyer)"


class CannotCancel(Exception):
    """The order has left (or was cancelled already); the message says which."""


def cancel_order(order: Order, *, reason: str, actor: str, bank_reference: str = "",
                 now: datetime | None = None) -> int:
    """Cancel an order before dispatch: its stock returns, what was paid is refunded in full, its open Stripe
    session is expired. Returns the fen refunded."""
    reason = reason.strip()
    if not reason:
        raise CannotCancel("须注明取消原因 (a reason is required)")
    if order.status not in states.CANCELLABLE:
        raise CannotCancel(f"订单{states.status_label(order.status)}，不能取消 "
                           f"(a {states.status_label(order.status, 'en').lower()} order cannot be cancelled)")
    if order.payment_method == credit.CREDIT:
        return _cancel_on_account(order, reason=reason, actor=actor, now=now)
    owed = refunds.refundable(order)
    if owed and refunds.method_of(order) != "stripe" and not bank_reference.strip():
        raise RefundError("此订单已付款，取消须退款：请填写退款的银行流水号 "
                          "(the order is paid: give the bank reference of the refund)")
    if not service.release(order, reason, actor, now=now):
        raise CannotCancel("订单刚被他人修改，请刷新后重试 (the order changed meanwhile; try again)")
    if owed:
        refunds.refund(order, amount_fen=None, reason=reason, actor=actor, bank_reference=bank_reference)
    close_session(order)
    return owed


def _cancel_on_account(order: Order, *, reason: str, actor: str, now: datetime | None) -> int:
    """Cancel a credit order: its stock returns and it no longer charges the dealer's account, so its amount is
    free again; what payments had settled of it stays in the account and settles the next orders. Returns 0:
    no money leaves the nursery."""
    dealer = credit.lock(order.dealer_id) if order.dealer_id is not None else None
    db.session.refresh(order)
    settled = order.paid_fen
    if not service.release(order, reason, actor, now=now):
        raise CannotCancel("订单刚被他人修改，请刷新后重试 (the order changed meanwhile; try again)")
    if order.payment_status in states.MONEY_RECEIVED:  # paid from the account: the money goes back into it
        changes.move(order, actor=actor, action="return_to_account", payment_status=states.REFUNDED,
                     values={"refunded_fen": order.paid_fen},
                     note={"returned_to_account": format_yuan(order.paid_fen), "reason": reason})
    elif settled:
        changes.move(order, actor=actor, action="return_to_account", values={"paid_fen": 0},
                     note={"returned_to_account": format_yuan(settled), "reason": reason})
    if dealer is not None:
        credit.apply(dealer, actor=actor, now=now)
    return 0


def refund_order(order: Order, *, amount_fen: int | None, reason: str, actor: str,
                 bank_reference: str = "", seen_refunded_fen: int | None = None) -> int:
    """Refund all or part of what was paid. Everything, before dispatch, is a cancellation (stock returns)."""
    refunds.check_seen(order, seen_refunded_fen)
    left = refunds.refundable(order)
    if order.status in states.CANCELLABLE and left > 0 and amount_fen in (None, left):
        return cancel_order(order, reason=reason, actor=actor, bank_reference=bank_reference)
    return refunds.refund(order, amount_fen=amount_fen, reason=reason, actor=actor,
                          bank_reference=bank_reference, seen_refunded_fen=seen_refunded_fen).amount_fen


def expire_unpaid(now: datetime | None = None) -> list[str]:
    """Cancel unpaid orders past UNPAID_EXPIRY, return their stock and close their Stripe sessions (cron).

    A batch job: it commits each order as it goes, so no lock is held while Stripe is asked to close a session.
    """
    now = now or datetime.now(UTC)
    cancelled = []
    for order in service.unpaid_past_expiry(now):
        if service.release(order, "未在规定时间内付款，订单自动取消 (unpaid, expired)", actor="expiry", now=now):
            close_session(order)
            cancelled.append(order.number)
        db.session.commit()
    return cancelled


def close_session(order: Order) -> None:
    """Expire the order's Checkout Session at Stripe once this transaction commits, so it can no longer be
    paid (best effort: a payment that still arrives is refunded automatically by the webhook)."""
    if not order.stripe_session_id:
        return
    order.stripe_session_url = ""
    settings, session_id, number = gateway.StripeSettings.from_config(current_app.config), \
        order.stripe_session_id, order.number

    def expire_at_stripe() -> None:
        try:
            gateway.expire_checkout_session(settings, session_id)
        except gateway.SessionNotOpen:
            pass
        except gateway.GatewayUnavailable:
            log.warning("could not expire Stripe session %s of cancelled order %s", session_id, number)

    after_commit.later(db.session, expire_at_stripe)


def receive(order: Order, *, actor: str, now: datetime | None = None) -> bool:
    """确认收货 (the buyer, or staff for them). False if it was already received."""
    return fulfilment.receive(order, actor=actor, now=now)


def complete_dispatched(now: datetime | None = None) -> list[str]:
    """Complete the orders dispatched more than RECEIPT_AUTO_DAYS ago (cron)."""
    return fulfilment.complete_dispatched(days=current_app.config["RECEIPT_AUTO_DAYS"], now=now)
