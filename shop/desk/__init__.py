"""The staff desk: the day's orders, transfers, dispatch, contracts, quote requests and the audit log."""

from flask import Blueprint

bp = Blueprint("desk", __name__, url_prefix="/desk")

from shop.desk import (  # noqa: E402,F401  # noqa: E402,F401  (客户档案, 回访)
    auth,
    customers,
    dealers,
    orders,
    outreach,
    views,
)
