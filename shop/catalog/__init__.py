"""The storefront: home, categories, varieties, search and quote requests."""

from flask import Blueprint

bp = Blueprint("catalog", __name__)

from shop.catalog import views  # noqa: E402,F401
