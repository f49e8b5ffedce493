"""Who may see an order: its buyer (this browser, number + phone, or a signed link) and staff."""

from __future__ import annotations

import hmac

from flask import current_app, session
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer

from shop.orders.models import Order

MAX_REMEMBERED = 20


def remember(number: str) -> None:
    """This browser placed or found the order: let it see the order again."""
    numbers = [n for n in session.get("orders", []) if n != number]
    session["orders"] = ([number] + numbers)[:MAX_REMEMBERED]
    session.permanent = True


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="order-access")


def token(order: Order) -> str:
    """A signed token that opens this order (and its contract) without the phone number."""
    return _serializer().dumps([order.number, order.phone[-4:]])


def token_opens(order: Order, value: str | None) -> bool:
    """True when the token was signed for this order."""
    if not value:
        return False
    try:
        number, tail = _serializer().loads(value)
    except (BadSignature, ValueError, TypeError):
        return False
    return number == order.number and hmac.compare_digest(str(tail), order.phone[-4:])


def is_staff() -> bool:
    """A logged-in desk user."""
    return bool(getattr(current_user, "is_authenticated", False) and getattr(current_user, "is_staff", False))


def can_view(order: Order, *, phone: str | None = None, signed: str | None = None) -> bool:
    """The buyer in this browser, with the phone or a signed link, or staff."""
    if order.number in session.get("orders", []):
        return True
    if phone and hmac.compare_digest(order.phone.encode(), phone.strip().encode()):
        return True
    return token_opens(order, signed) or is_staff()
