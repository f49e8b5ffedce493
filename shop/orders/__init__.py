"""A customer's orders: the order page, finding an order, its contract."""

from flask import Blueprint

bp = Blueprint("orders", __name__, url_prefix="/orders")

from shop.orders import views  # noqa: E402,F401
