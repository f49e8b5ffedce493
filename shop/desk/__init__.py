"""The staff desk: the day's orders, transfers, dispatch, contracts, quote requests, dealers and their credit,
and the audit log."""

from flask import Blueprint

bp = Blueprint("desk", __name__, url_prefix="/desk")

from shop.desk import (  # noqa: E402,F401  (one module per area)
    auth,
    certificates,
    credit,
    customers,
    dealers,
    orders,
    outreach,
    views,
)
