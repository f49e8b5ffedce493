"""Payments: Stripe Checkout (the only SDK use is in stripe_gateway) and bank transfers."""

from flask import Blueprint

bp = Blueprint("payments", __name__, url_prefix="/payments")

from shop.payments import views, webhook  # noqa: E402,F401
