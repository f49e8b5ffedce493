"""A customer's orders: the order page, finding an order, its contract.

The package's pure modules (states, methods) import without Flask's views: the app factory loads the views.
"""

from flask import Blueprint

bp = Blueprint("orders", __name__, url_prefix="/orders")
