"""GET /_bare: a constant answer from the same app and server, the ceiling `make bench` compares pages with."""

from flask import Blueprint

bp = Blueprint("bench", __name__)


@bp.get("/_bare")
def bare():
    """No database, no template, no session: only Flask and gunicorn's own cost."""
    return "ok"
