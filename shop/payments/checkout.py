"""Sending an order to Stripe Checkout: line items that add up to the order's total exactly."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from flask import current_app, url_for

from shop import pricing
from shop.orders import access
from shop.orders.models import Order
from shop.payments import stripe_gateway as gateway

MAX_LINE_ITEMS = 100  # Stripe's limit for a Checkout Session in payment mode
SESSION_MIN_LIFE = timedelta(minutes=31)  # Stripe refuses expires_at less than 30 minutes ahead
SESSION_MAX_LIFE = timedelta(hours=24)  # … or more than 24 hours ahead
KEY_WINDOW_S = 60  # a double-click within this window gets the same session


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
    postage = 1 if order.shipping_fee_fen else 0
    if len(result) + postage > MAX_LINE_ITEMS:  # a dealer's long order: one line for the goods
        result = [gateway.CheckoutItem(name=f"订单 {order.number} 苗木货款（{len(order.lines)} 个规格，"
                                            f"{order.plants} 株）", amount_fen=order.goods_total_fen)]
    if order.shipping_fee_fen:
        result.append(gateway.CheckoutItem(name="运费 Shipping", amount_fen=order.shipping_fee_fen))
    return result


def _back_url(endpoint: str, order: Order) -> str:
    """An address on this shop that opens the order even in a browser that did not place it."""
    path = url_for(endpoint, number=order.number, t=access.token(order))
    base = (current_app.config.get("PUBLIC_BASE_URL") or "").rstrip("/")
    return base + path if base else url_for(endpoint, number=order.number, t=access.token(order), _external=True)


class OrderExpired(Exception):
    """The order's time to pay is over: no session is opened for it."""


def session_expiry(order: Order, now: datetime) -> datetime:
    """When the session closes: never after the order does, within Stripe's 30 min – 24 h.

    An order closer to its expiry than Stripe's minimum is given the session's minimum life, so that the
    session still never outlives the order.
    """
    if order.expires_at <= now:
        raise OrderExpired(order.number)
    ends = min(order.expires_at, now + SESSION_MAX_LIFE)
    if ends < now + SESSION_MIN_LIFE:
        order.expires_at = ends = now + SESSION_MIN_LIFE
    return ends


def key_window() -> int:
    """Which minute it is, for the idempotency key."""
    return int(time.time()) // KEY_WINDOW_S


def start(order: Order, now: datetime | None = None) -> gateway.CheckoutSession:
    """A Checkout Session for the order (the same one again for a double-click); OrderExpired if too late."""
    now = now or datetime.now(UTC)
    # Stripe replays a key's first answer for 24 h, 500 errors included: a key shared by every attempt would
    # keep an order unpayable after an outage, so the key changes each minute and after each session.
    key = f"checkout-{order.number}-{order.stripe_session_id or 'first'}-{key_window()}"
    return gateway.create_checkout_session(
        settings(), order_number=order.number, items=items(order), total_fen=order.total_fen,
        success_url=_back_url("payments.success", order) + "&session_id={CHECKOUT_SESSION_ID}",
        cancel_url=_back_url("payments.cancelled", order), locale=order.lang,
        expires_at=session_expiry(order, now), idempotency_key=key,
    )

