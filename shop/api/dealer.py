"""The dealer's own calls: GET /api/v1/me (with their credit) and GET /api/v1/orders (their orders, newest first)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import jsonify, request

from shop.api import bp
from shop.api.openapi import MONEY, doc
from shop.credit import ledger
from shop.credit import service as credit
from shop.dealers import tokens
from shop.errors import ApiError
from shop.extensions import db
from shop.money import format_yuan
from shop.orders import states
from shop.orders.models import Order

BEARER = [{"bearerAuth": []}]
MAX_PER_PAGE = 100
CREDIT = {"type": "object", "required": ["limit", "terms_days", "outstanding", "available", "overdue",
                                         "oldest_overdue_days", "balance"], "properties": {
    "limit": MONEY, "terms_days": {"type": "integer"}, "outstanding": MONEY, "available": MONEY, "overdue": MONEY,
    "oldest_overdue_days": {"type": "integer"}, "balance": MONEY, "warning": {"type": "boolean"}},
    "description": "账期: outstanding = what credit orders still owe; available = limit − outstanding + balance; "
                   "balance = paid in beyond what is owed; warning = 外欠款预警 (near the limit, or overdue)"}
DEALER = {"type": "object", "properties": {"dealer": {"type": "object", "properties": {
    "company": {"type": "string"}, "name": {"type": "string"}, "phone": {"type": "string"},
    "region": {"type": "string"}, "status": {"type": "string"}}}, "credit": CREDIT}}
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
                               "region": dealer.region, "status": dealer.status},
                    "credit": credit_document(credit.position(dealer), credit.warn_percent())})


def credit_document(at: ledger.Position, warn_percent: int) -> dict:
    """The dealer's credit as the API shows it (money as strings of yuan)."""
    return {"limit": format_yuan(at.limit_fen), "terms_days": at.terms_days,
            "outstanding": format_yuan(at.outstanding_fen), "available": format_yuan(at.available_fen),
            "overdue": format_yuan(at.overdue_fen), "oldest_overdue_days": at.oldest_overdue_days,
            "balance": format_yuan(at.balance_fen), "warning": at.warning(warn_percent)}


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
