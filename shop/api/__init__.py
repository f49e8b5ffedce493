"""The JSON API under /api/v1, described by the OpenAPI document it serves."""

from flask import Blueprint

bp = Blueprint("api", __name__)


@bp.before_request
def _dealer_token():
    """`Authorization: Bearer …` makes the call a dealer's (401 for a wrong or revoked token)."""
    from shop.dealers import tokens

    tokens.authenticate()


from shop.api import bulk, catalog, dealer, lifecycle, openapi, orders, plan  # noqa: E402,F401
