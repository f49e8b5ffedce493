"""The cart: plants chosen but not yet ordered, kept in the (permanent) session cookie."""

from flask import Blueprint

bp = Blueprint("cart", __name__, url_prefix="/cart")

from shop.cart import views  # noqa: E402,F401
