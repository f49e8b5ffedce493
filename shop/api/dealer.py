"""The dealer's own calls: GET /api/v1/me and GET /api/v1/orders (their orders, newest first)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import jsonify, request

from shop.api import bp
from shop.api.openapi import MONEY, doc
from shop.dealers import tokens
from shop.errors import ApiError
from shop.extensions import db
from shop.money import format_yuan
from shop.orders import states
from shop.orders.models import Order

BEARER = [{"bearerAuth": []}]
MAX_PER_PAGE = 100
DEALER = {"type": "object", "properties": {"dealer": {"type": "object", "properties": {
    "company": {"type": "string"}, "name": {"type": "string"}, "phone": {"type": "string"},
    "region": {"type": "string"}, "status": {"type": "string"}}}}}
SUMMARY = {"type": "object", "properties": {
    "number": {"type": "string"}, "status": {"type": "string", "enum": list(states.STATUSES)},
    "payment_status": {"type": "string", "enum": list(states.PAYMENT_STATUSES)}, "total": MONEY,
    "plants": {"type": "integer"}, "lines": {"type": "integer"}, "created_at": {"type": "string", "format": "date-time"}}}
PAGE = {"type": "object", "properties": {"orders": {"type": "array", "items": SUMMARY}, "page": {"type": "integer"},
                                         "per_page": {"type": "integer"}, "total": {"type": "integer"}}}


@bp.get("/me")
@doc("The dealer this token belongs to", responses={200: DEALER, 401: "missing, wrong or revoked token"},
     tags=("dealers",), security=BEARER)
def me():
    """Who the token is."""
    dealer = tokens.required()
    return jsonify({"dealer": {"company": dealer.company, "name": dealer.contact_name, "phone": dealer.phone,
                               "region": dealer.region, "status": dealer.status}})


@bp.get("/orders")
@doc("The token's dealer's orders, newest first",
     parameters=[{"name": "page", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1}},
                 {"name": "per_page", "in": "query", "required": False,
                  "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE}}],
     responses={200: PAGE, 400: "page or per_page is not a whole number in range", 401: "no dealer token"},
     tags=("dealers",), security=BEARER)
def list_orders():
    """One page of the dealer's orders."""
    dealer = tokens.required()
    page, per_page = _whole("page", 1, 10**6, 1), _whole("per_page", 1, MAX_PER_PAGE, 20)
    total = db.session.execute(sa.select(sa.func.count(Order.id)).where(Order.dealer_id == dealer.id)).scalar()
    lines = sa.select(sa.func.count()).select_from(Order.lines.property.mapper.class_).where(
        Order.lines.property.mapper.class_.order_id == Order.id).scalar_subquery()
    rows = db.session.execute(
        sa.select(Order, lines).where(Order.dealer_id == dealer.id)
        .order_by(Order.created_at.desc(), Order.id.desc()).limit(per_page).offset((page - 1) * per_page)).all()
    return jsonify({"orders": [{"number": o.number, "status": o.status, "payment_status": o.payment_status,
                                "total": format_yuan(o.total_fen), "plants": o.plants, "lines": n,
                                "created_at": o.created_at.isoformat()} for o, n in rows],
                    "page": page, "per_page": per_page, "total": total})


def _whole(name: str, low: int, high: int, default: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit() or not low <= int(raw) <= high:
        raise ApiError(400, "bad_request", f"{name} must be a whole number from {low} to {high}")
    return int(raw)
