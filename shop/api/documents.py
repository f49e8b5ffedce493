"""The order document: an order as the API shows it to its buyer (and, later, to a dealer)."""

from __future__ import annotations

from flask import url_for

from shop.api.openapi import MONEY
from shop.money import format_yuan
from shop.orders import access, states
from shop.orders.models import Order
from shop.quarantine import service as quarantine
from shop.seasons import current as seasons
from shop.seasons.windows import TIMINGS

TIME = {"type": "string", "format": "date-time"}
DATE = {"type": "string", "format": "date", "nullable": True}
SHIP_WINDOW = {"type": "object", "nullable": True, "required": ["open", "opens_on", "closes_on"],
               "description": "the destination's dispatch window today (ship_windows.csv; always open for pickup, "
                              "null for an unknown province): open now until closes_on, or closed until opens_on",
               "properties": {"open": {"type": "boolean"}, "opens_on": DATE, "closes_on": DATE}}
NULLABLE_TIME = {**TIME, "nullable": True}
ORDER = {"type": "object", "required": ["number", "status", "payment_status", "total", "paid_amount",
                                        "refunded_amount", "items", "contract_url"], "properties": {
    "number": {"type": "string"},
    "status": {"type": "string", "enum": list(states.STATUSES)},
    "payment_status": {"type": "string", "enum": list(states.PAYMENT_STATUSES)},
    "labels": {"type": "object", "properties": {"status": {"type": "string"}, "payment_status": {"type": "string"}}},
    "subtotal": MONEY, "discount": MONEY, "discount_reason": {"type": "string", "nullable": True},
    "goods_total": MONEY, "shipping_method": {"type": "string"}, "shipping_fee": MONEY,
    "shipping_collect": {"type": "boolean"}, "total": MONEY, "plants": {"type": "integer"},
    "weight_kg": {"type": "string"},
    "items": {"type": "array", "items": {"type": "object", "properties": {
        "sku": {"type": "string"}, "variety": {"type": "string"}, "grade": {"type": "string"},
        "spec": {"type": "string"}, "quantity": {"type": "integer"}, "unit_price": MONEY, "amount": MONEY}}},
    "customer": {"type": "object", "properties": {"name": {"type": "string"}, "phone": {"type": "string"}}},
    "shipping": {"type": "object", "properties": {
        "timing": {"type": "string", "nullable": True, "enum": [*TIMINGS, None],
                   "description": "the buyer's choice when the order was placed outside the destination's window"},
        "season_opens_on": {"type": "string", "format": "date", "nullable": True,
                            "description": "the window opening the order waited for, if placed outside it"}}},
    "ship_window": SHIP_WINDOW,
    "payment": {"type": "object", "properties": {"method": {"type": "string"},
                                                 "url": {"type": "string", "nullable": True}}},
    "contract_url": {"type": "string"},
    "created_at": TIME, "expires_at": TIME, "paid_at": NULLABLE_TIME, "dispatch_by": NULLABLE_TIME,
    "paid_amount": MONEY, "refunded_amount": MONEY,
    "refunds": {"type": "array", "items": {"type": "object", "properties": {
        "amount": MONEY, "method": {"type": "string"}, "reason": {"type": "string"}, "created_at": TIME}}},
    "dispatch": {"type": "object", "nullable": True, "properties": {
        "base": {"type": "string"}, "carrier": {"type": "string"}, "tracking_number": {"type": "string"},
        "dispatched_at": NULLABLE_TIME, **quarantine.ORDER_FIELDS_SCHEMA}},
    "received_at": NULLABLE_TIME, "cancelled_at": NULLABLE_TIME,
    "due_at": {**NULLABLE_TIME, "description": "a credit order: when it falls due (dispatch + the dealer's terms)"},
}}


def amounts(subtotal, discount, reason, goods, method, fee, collect, total, plants, weight_g) -> dict:
    """The money fields shared by a quote and an order."""
    return {"subtotal": format_yuan(subtotal), "discount": format_yuan(discount), "discount_reason": reason,
            "goods_total": format_yuan(goods), "shipping_method": method, "shipping_fee": format_yuan(fee),
            "shipping_collect": collect, "total": format_yuan(total), "plants": plants,
            "weight_kg": f"{weight_g / 1000:.3f}"}


def quote_document(result, lang: str = "zh", province: str | None = None) -> dict:
    """A priced cart (pricing.Quote) as POST /api/v1/quote answers it; problems in lang; the destination's dispatch
    window today (null for a province the shop does not know)."""
    window = seasons.window_for(province, result.shipping_method)
    return {**amounts(result.subtotal, result.discount, result.discount_reason, result.goods_total,
                      result.shipping_method, result.shipping_fee, result.shipping_collect, result.total,
                      result.plants, result.weight_g),
            "can_order": result.can_order,
            "problems": [{"code": p.code, "message": p.en if lang == "en" else p.zh} for p in result.problems],
            "ship_window": window.document() if window else None}


def order_document(order: Order, lang: str = "zh") -> dict:
    """An order as the API shows it to its buyer; labels in lang."""
    token = access.token(order)
    pay_url = None
    if order.payment_method == "stripe" and order.status == states.PENDING_PAYMENT:
        pay_url = url_for("payments.pay", number=order.number, t=token, _external=True)
    return {
        "number": order.number, "status": order.status, "payment_status": order.payment_status,
        "labels": {"status": states.status_label(order.status, lang),
                   "payment_status": states.payment_label(order.payment_status, lang)},
        **amounts(order.subtotal_fen, order.discount_fen, order.discount_reason, order.goods_total_fen,
                   order.shipping_method, order.shipping_fee_fen, order.shipping_collect, order.total_fen,
                   order.plants, order.weight_g),
        "items": [{"sku": line.sku, "variety": line.variety, "grade": line.grade, "spec": line.spec,
                   "quantity": line.quantity, "unit_price": format_yuan(line.unit_price_fen),
                   "amount": format_yuan(line.amount_fen)} for line in order.lines],
        "customer": {"name": order.customer_name, "phone": order.phone},
        "shipping": {"method": order.shipping_method, "province": order.province, "city": order.city,
                     "district": order.district, "address": order.address, "pickup_base": order.pickup_base,
                     "timing": order.ship_timing or None,
                     "season_opens_on": order.season_opens_on.isoformat() if order.season_opens_on else None},
        "ship_window": _window(order),
        "payment": {"method": order.payment_method, "url": pay_url},
        "contract_url": url_for("contracts.pdf", number=order.number, t=token, _external=True),
        "created_at": order.created_at.isoformat(),
        "expires_at": order.expires_at.isoformat(),
        "paid_at": order.paid_at.isoformat() if order.paid_at else None,
        "paid_amount": format_yuan(order.paid_fen), "refunded_amount": format_yuan(order.refunded_fen),
        "refunds": [{"amount": format_yuan(r.amount_fen), "method": r.method, "reason": r.reason,
                     "created_at": r.created_at.isoformat()} for r in order.refunds],
        "dispatch_by": order.dispatch_by.isoformat() if order.dispatch_by else None,
        "dispatch": {"base": order.dispatch_base, "carrier": order.carrier, "tracking_number": order.tracking_number,
                     "dispatched_at": order.dispatched_at.isoformat() if order.dispatched_at else None,
                     **quarantine.order_fields(order)}
        if order.dispatched_at else None,
        "received_at": order.received_at.isoformat() if order.received_at else None,
        "cancelled_at": order.cancelled_at.isoformat() if order.cancelled_at else None,
        "due_at": order.due_at.isoformat() if order.due_at else None,
    }


def _window(order: Order) -> dict | None:
    """The order's destination window today (pickup: always open)."""
    window = seasons.window_for(order.province, order.shipping_method)
    return window.document() if window else None
