"""The staff desk: the day's orders, transfers, dispatch, contracts, quote requests and the audit log."""

from flask import Blueprint

bp = Blueprint("desk", __name__, url_prefix="/desk")

from shop.desk import auth, certificates, dealers, orders, views  # noqa: E402,F401
