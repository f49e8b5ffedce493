"""The JSON API under /api/v1, described by the OpenAPI document it serves."""

from flask import Blueprint

bp = Blueprint("api", __name__)

from shop.api import catalog, lifecycle, openapi, orders  # noqa: E402,F401
