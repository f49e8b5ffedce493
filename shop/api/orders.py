"""POST /api/v1/quote, POST /api/v1/orders, GET /api/v1/orders/{number}."""

from __future__ import annotations

import re

from flask import current_app, jsonify, request, url_for

from shop import regions
from shop.api import bp, parsing
from shop.api.openapi import MONEY, doc
from shop.errors import ApiError
from shop.extensions import db
from shop.money import format_yuan
from shop.orders import access, service
from shop.orders.models import Order

MOBILE = re.compile(r"^1[3-9][0-9]{9}$")  # ASCII digits only (\d matches ８)
PROBLEM = {"type": "object", "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}
ITEMS = {"type": "array", "maxItems": parsing.MAX_ITEMS, "items": {"type": "object", "required": ["sku", "quantity"],
         "properties": {"sku": {"type": "string"}, "quantity": {"type": "integer", "minimum": 1}}}}
SHIPPING = {"type": "object", "required": ["method"], "properties": {
    "method": {"type": "string", "enum": list(service.METHODS)}, "province": {"type": "string"},
    "city": {"type": "string"}, "district": {"type": "string"}, "address": {"type": "string"},
    "pickup_base": {"type": "string"}}}
AMOUNTS = {"subtotal": MONEY, "discount": MONEY, "discount_reason": {"type": "string", "nullable": True,
           "enum": ["bulk", "dealer", None]}, "goods_total": MONEY, "shipping_method": {"type": "string"},
           "shipping_fee": MONEY, "shipping_collect": {"type": "boolean"}, "total": MONEY,
           "plants": {"type": "integer"}, "weight_kg": {"type": "string"}}
QUOTE = {"type": "object", "properties": {**AMOUNTS, "can_order": {"type": "boolean"},
                                          "problems": {"type": "array", "items": PROBLEM}}}
ORDER = {"type": "object", "properties": {
    "number": {"type": "string"}, "status": {"type": "string"}, **AMOUNTS,
    "items": {"type": "array", "items": {"type": "object"}}, "contract_url": {"type": "string"},
    "created_at": {"type": "string", "format": "date-time"},
    "paid_at": {"type": "string", "format": "date-time", "nullable": True},
    "dispatch_by": {"type": "string", "format": "date-time", "nullable": True},
    "payment": {"type": "object", "properties": {"method": {"type": "string"}, "url": {"type": "string", "nullable": True}}}}}


def _lang() -> str:
    return "en" if request.args.get("lang") == "en" else "zh"


def _problem(p) -> dict:
    return {"code": p.code, "message": p.en if _lang() == "en" else p.zh}


def _amounts(subtotal, discount, reason, goods, method, fee, collect, total, plants, weight_g) -> dict:
    return {"subtotal": format_yuan(subtotal), "discount": format_yuan(discount), "discount_reason": reason,
            "goods_total": format_yuan(goods), "shipping_method": method, "shipping_fee": format_yuan(fee),
            "shipping_collect": collect, "total": format_yuan(total), "plants": plants,
            "weight_kg": f"{weight_g / 1000:.3f}"}


@bp.post("/quote")
@doc("Price a cart: the discount, shipping and what stops it from being ordered",
     body={"type": "object", "required": ["items", "shipping"], "properties": {"items": ITEMS, "shipping": SHIPPING}},
     responses={200: QUOTE, 400: "malformed body", 415: "not JSON", 422: "a quantity out of range or an unknown SKU"}, tags=("orders",))
def quote():
    """Price a cart without ordering."""
    data = parsing.body()
    items, shipping = parsing.items(data), parsing.shipping(data)
    result = service.quote(items, shipping["method"], shipping["province"] or None)
    unknown = [p for p in result.problems if p.code == "unknown_sku"]
    if unknown:  # nothing to price: like an order, a 422 naming the SKUs
        raise ApiError(422, "unknown_sku", _problem(unknown[0])["message"], problems=[_problem(p) for p in unknown])
    return jsonify({**_amounts(result.subtotal, result.discount, result.discount_reason, result.goods_total,
                               result.shipping_method, result.shipping_fee, result.shipping_collect, result.total,
                               result.plants, result.weight_g),
                    "can_order": result.can_order, "problems": [_problem(p) for p in result.problems]})


def order_document(order: Order) -> dict:
    """An order as the API shows it to its buyer."""
    token = access.token(order)
    pay_url = None
    if order.payment_method == "stripe" and order.status == "pending_payment":
        pay_url = url_for("payments.pay", number=order.number, t=token, _external=True)
    return {
        "number": order.number, "status": order.status,
        **_amounts(order.subtotal_fen, order.discount_fen, order.discount_reason, order.goods_total_fen,
                   order.shipping_method, order.shipping_fee_fen, order.shipping_collect, order.total_fen,
                   order.plants, order.weight_g),
        "items": [{"sku": line.sku, "variety": line.variety, "grade": line.grade, "spec": line.spec,
                   "quantity": line.quantity, "unit_price": format_yuan(line.unit_price_fen),
                   "amount": format_yuan(line.amount_fen)} for line in order.lines],
        "customer": {"name": order.customer_name, "phone": order.phone},
        "shipping": {"method": order.shipping_method, "province": order.province, "city": order.city,
                     "district": order.district, "address": order.address, "pickup_base": order.pickup_base},
        "payment": {"method": order.payment_method, "url": pay_url},
        "contract_url": url_for("contracts.pdf", number=order.number, t=token, _external=True),
        "created_at": order.created_at.isoformat(),
        "expires_at": order.expires_at.isoformat(),
        "paid_at": order.paid_at.isoformat() if order.paid_at else None,
        "dispatch_by": order.dispatch_by.isoformat() if order.dispatch_by else None,
        "dispatch": {"base": order.dispatch_base, "carrier": order.carrier, "tracking_number": order.tracking_number,
                     "dispatched_at": order.dispatched_at.isoformat() if order.dispatched_at else None}
        if order.dispatched_at else None,
    }


@bp.post("/orders")
@doc("Place an order: re-priced on the server, stock held, contract accepted",
     body={"type": "object", "required": ["items", "shipping", "customer", "payment_method", "accept_contract"],
           "properties": {"items": ITEMS, "shipping": SHIPPING,
                          "customer": {"type": "object", "properties": {"name": {"type": "string"},
                                                                        "phone": {"type": "string"}}},
                          "payment_method": {"type": "string", "enum": list(service.PAYMENT_METHODS)},
                          "accept_contract": {"type": "boolean", "enum": [True]}}},
     responses={201: ORDER, 400: "malformed body", 409: "insufficient_stock", 415: "not JSON",
                422: "breaks a rule (e.g. below the minimum)"}, tags=("orders",))
def create_order():
    """Place an order."""
    data = parsing.body()
    items, shipping = parsing.items(data), parsing.shipping(data, full=True)
    customer = data.get("customer")
    if not isinstance(customer, dict):
        raise ApiError(400, "bad_request", "customer must be an object with name and phone")
    name = parsing.text(customer, "name", "customer.", max_length=40)
    phone = parsing.text(customer, "phone", "customer.", max_length=11)
    if not MOBILE.match(phone):
        raise ApiError(422, "bad_phone", "customer.phone must be an 11-digit mainland mobile number (1[3-9]…)")
    payment_method = parsing.text(data, "payment_method", "", max_length=20)
    if payment_method not in service.PAYMENT_METHODS:
        raise ApiError(400, "bad_request", "payment_method must be stripe or bank_transfer")
    if payment_method == "stripe" and not current_app.config.get("STRIPE_SECRET_KEY"):
        raise ApiError(422, "payment_unavailable", "online payment is not available; use bank_transfer")
    if data.get("accept_contract") is not True:
        raise ApiError(422, "contract_not_accepted", "accept_contract must be true: the purchase contract applies")
    if shipping["method"] != "pickup" and not regions.valid(shipping["province"], shipping["city"], shipping["district"]):
        raise ApiError(422, "bad_address", "province, city and district must name a real place, one inside the other")
    buyer = service.Buyer(name=name, phone=phone, province=shipping["province"], city=shipping["city"],
                          district=shipping["district"], address=shipping["address"])
    try:
        order = service.place(items, buyer=buyer, method=shipping["method"], payment_method=payment_method,
                              pickup_base=shipping["pickup_base"], lang=_lang())
        db.session.commit()
    except service.OutOfStock as short:
        db.session.rollback()
        raise ApiError(409, "insufficient_stock", f"not enough stock for {short.sku}", sku=short.sku) from None
    except service.OrderRefused as refused:
        db.session.rollback()
        first = refused.problems[0]
        raise ApiError(422, first.code, first.en if _lang() == "en" else first.zh,
                       problems=[_problem(p) for p in refused.problems]) from None
    return jsonify(order_document(order)), 201


@bp.get("/orders/<number>")
@doc("An order, for its buyer: give the phone used at checkout",
     parameters=[{"name": "phone", "in": "query", "required": True, "schema": {"type": "string"}}],
     responses={200: ORDER, 404: "no such order for this phone"}, tags=("orders",))
def get_order(number: str):
    """An order by number and phone; the same 404 for a wrong phone as for an unknown number."""
    order = service.find(number, request.args.get("phone", ""))
    if order is None and request.args.get("t"):
        candidate = service.by_number(number.upper())
        order = candidate if candidate is not None and access.token_opens(candidate, request.args["t"]) else None
    if order is None:
        raise ApiError(404, "not_found", "no order with this number and phone")
    return jsonify(order_document(order))
