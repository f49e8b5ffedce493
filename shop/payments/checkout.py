"""Sending an order to Stripe Checkout: line items that add up to the order's total exactly."""

from __future__ import annotations

from flask import current_app, url_for

from shop import pricing
from shop.orders.models import Order
from shop.payments import stripe_gateway as gateway


def settings() -> gateway.StripeSettings:
    """Stripe's settings from the app config."""
    return gateway.StripeSettings.from_config(current_app.config)


def items(order: Order) -> list[gateway.CheckoutItem]:
    """One item per line with the discount spread over them (Stripe has no negative lines), plus postage."""
    amounts = pricing.allocate([line.amount_fen for line in order.lines], order.goods_total_fen)
    result = [
        gateway.CheckoutItem(name=f"{line.variety} {line.grade} × {line.quantity}株", amount_fen=amount)
        for line, amount in zip(order.lines, amounts, strict=True) if amount > 0
    ]
    if order.shipping_fee_fen:
        result.append(gateway.CheckoutItem(name="邮费 Postage", amount_fen=order.shipping_fee_fen))
    return result


def start(order: Order) -> gateway.CheckoutSession:
    """A Checkout Session for the order (the same one again if Stripe already made it)."""
    base = current_app.config.get("PUBLIC_BASE_URL") or ""
    success = base + url_for("payments.success", number=order.number) + "?session_id={CHECKOUT_SESSION_ID}"
    cancel = base + url_for("payments.cancelled", number=order.number)
    if not base:
        success = url_for("payments.success", number=order.number, _external=True) + "?session_id={CHECKOUT_SESSION_ID}"
        cancel = url_for("payments.cancelled", number=order.number, _external=True)
    return gateway.create_checkout_session(
        settings(), order_number=order.number, items=items(order), total_fen=order.total_fen,
        success_url=success, cancel_url=cancel, locale=order.lang,
        # A retried or double-clicked start returns the same session; after one expires, the next differs.
        idempotency_key=f"checkout-{order.number}-{order.stripe_session_id or 'first'}",
    )
