"""Reading and writing the cart kept in the session: {sku: plants}."""

from __future__ import annotations

from flask import session

MAX_LINES = 200


def items() -> list[tuple[str, int]]:
    """The cart's lines as (sku, plants), in the order they were added."""
    cart = session.get("cart")
    if not isinstance(cart, dict):
        return []
    return [(str(sku), int(n)) for sku, n in cart.items() if isinstance(n, int) and n > 0]


def put(sku: str, quantity: int, *, add: bool = False) -> None:
    """Set (or add to) a line; the session outlives the browser (30 days)."""
    cart = dict(session.get("cart") or {})
    if add:
        quantity += int(cart.get(sku, 0))
    if sku not in cart and len(cart) >= MAX_LINES:
        raise ValueError("too many lines")
    cart[sku] = quantity
    session["cart"] = cart
    session.permanent = True


def remove(sku: str) -> None:
    """Drop a line."""
    cart = dict(session.get("cart") or {})
    cart.pop(sku, None)
    session["cart"] = cart


def clear() -> None:
    """Empty the cart after an order is placed."""
    session.pop("cart", None)


def shipping_choice() -> tuple[str, str]:
    """The method and province the customer last chose: (method, province)."""
    choice = session.get("ship") or {}
    return choice.get("method", "post"), choice.get("province", "")


def set_shipping_choice(method: str, province: str) -> None:
    """Remember the method and province for the cart and checkout."""
    session["ship"] = {"method": method, "province": province}
    session.permanent = True
