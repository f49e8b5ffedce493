"""POST /api/v1/quote, POST /api/v1/orders, GET /api/v1/orders/{number}."""

from __future__ import annotations

from flask import current_app, g, jsonify, request

from shop.api import bp, parsing
from shop.api.documents import ORDER, SHIP_WINDOW, order_document, quote_document
from shop.api.openapi import MONEY, doc
from shop.dealers import current, idempotency
from shop.errors import ApiError
from shop.extensions import db
from shop.orders import access, intake, methods, service
from shop.seasons.windows import RESERVE, TIMINGS

PROBLEM = {"type": "object", "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}
# The intake's limits, so the document states every constraint the server enforces.
ITEMS = {"type": "array", "minItems": 1, "maxItems": intake.DEALER_MAX_ITEMS,
         "description": f"at most {intake.MAX_ITEMS} lines ({intake.DEALER_MAX_ITEMS} with a dealer token)", "items": {
    "type": "object", "required": ["sku", "quantity"], "properties": {
        "sku": {"type": "string", "minLength": 1, "maxLength": intake.SKU_LIMIT},
        "quantity": {"type": "integer", "minimum": 1, "maximum": intake.MAX_QUANTITY}}}}
SHIPPING = {"type": "object", "required": ["method"], "properties": {
    "method": {"type": "string", "enum": list(methods.SHIPPING_METHODS)},
    **{key: {"type": "string", "maxLength": intake.LIMITS[key]}
       for key in ("province", "city", "district", "address", "pickup_base")},
    "timing": {"type": "string", "enum": list(TIMINGS), "default": RESERVE,
               "description": "when the destination is outside its dispatch window today (ship_window): reserve "
                              "(stock held, dispatched when the window opens) or now (the survival guarantee does "
                              "not cover out-of-season frost or heat damage); ignored in season and for pickup"}},
    "description": "to order, province, city and district must name a real place (shop/data/regions.json) and the "
                   f"address have at least {intake.MIN_ADDRESS} characters, unless the method is pickup"}
CUSTOMER = {"type": "object", "required": ["name", "phone"], "properties": {
    "name": {"type": "string", "minLength": 1, "maxLength": intake.LIMITS["name"]},
    "phone": {"type": "string", "pattern": methods.MOBILE_PATTERN}}}
REFUSED = {"description": "the order breaks a rule: every problem, each with the field it is about "
                          "(no text may hold control characters, lone surrogates or U+FFFD)",
           "type": "object", "required": ["error"], "properties": {"error": {
               "type": "object", "required": ["code", "message"], "properties": {
                   "code": {"type": "string"}, "message": {"type": "string"},
                   "problems": {"type": "array", "items": {"type": "object", "required": ["code", "message"],
                                                           "properties": {"field": {"type": "string"},
                                                                          "code": {"type": "string"},
                                                                          "message": {"type": "string"}}}}}}}}
AMOUNTS = {"subtotal": MONEY, "discount": MONEY, "discount_reason": {"type": "string", "nullable": True,
           "enum": ["bulk", "dealer", None]}, "goods_total": MONEY, "shipping_method": {"type": "string"},
           "shipping_fee": MONEY, "shipping_collect": {"type": "boolean"}, "total": MONEY,
           "plants": {"type": "integer"}, "weight_kg": {"type": "string"}}
QUOTE = {"type": "object", "properties": {**AMOUNTS, "can_order": {"type": "boolean"},
                                          "problems": {"type": "array", "items": PROBLEM},
                                          "ship_window": SHIP_WINDOW}}
def _lang() -> str:
    return "en" if request.args.get("lang") == "en" else "zh"


def _problem(p) -> dict:
    return {"code": p.code, "message": p.en if _lang() == "en" else p.zh}


@bp.post("/quote")
@doc("Price a cart: the discount, shipping and what stops it from being ordered",
     body={"type": "object", "required": ["items", "shipping"], "properties": {"items": ITEMS, "shipping": SHIPPING}},
     responses={200: QUOTE, 400: "malformed body: a field of the wrong type", 415: "not JSON",
                422: {**REFUSED, "description": "no items or too many, a quantity out of range, an unknown SKU or "
                                                "shipping method, a province that is too long or holds broken text, "
                                                "a timing other than reserve or now"}},
     tags=("orders",))
def quote():
    """Price a cart without ordering; the items, method and province are checked as for an order."""
    data = parsing.body()
    items, shipping = parsing.items(data), parsing.shipping(data)
    problems = intake.validate_quote(items, method=shipping["method"], province=shipping["province"],
                                     max_items=_max_items(), timing=shipping["timing"])
    if problems:
        raise parsing.refused(problems, _lang())
    result = service.quote(items, shipping["method"], shipping["province"] or None, context=current.api_context())
    unknown = [p for p in result.problems if p.code == "unknown_sku"]
    if unknown:  # nothing to price: like an order, a 422 naming the SKUs
        raise ApiError(422, "unknown_sku", _problem(unknown[0])["message"], problems=[_problem(p) for p in unknown])
    return jsonify(quote_document(result, _lang(), shipping["province"]))


@bp.post("/orders")
@doc("Place an order: re-priced on the server, stock held, contract accepted",
     body={"type": "object", "required": ["items", "shipping", "payment_method", "accept_contract"],
           "properties": {"items": ITEMS, "shipping": SHIPPING, "customer": CUSTOMER,
                          "payment_method": {"type": "string", "enum": list(methods.PAYMENT_METHODS),
                                             "description": "stripe only where online payment is configured; "
                                                            "credit (账期) for a dealer token with credit"},
                          "accept_contract": {"type": "boolean", "enum": [True]}}},
     parameters=[{"name": "Idempotency-Key", "in": "header", "required": False,
                  "schema": {"type": "string", "maxLength": 255},
                  "description": "a retry with the same key and body within 24 h returns the same order (200)"}],
     responses={200: {"description": "the order placed before with this Idempotency-Key and body", **ORDER},
                201: ORDER, 400: "malformed body: a field of the wrong type (not an object, not a string, "
                                 "not a whole number)",
                409: "insufficient_stock, or idempotency_in_progress", 415: "not JSON",
                422: {**REFUSED, "description": REFUSED["description"] + "; or below the minimum, an unknown base, "
                      "a timing other than reserve or now…; on credit: credit_not_granted, credit_overdue or "
                      "credit_limit_exceeded"}},
     tags=("orders",))
def create_order():
    """Place an order: the body is mapped onto the intake's OrderRequest and checked as the web checkout is.

    With a dealer's token it is priced as theirs (customer defaults to the dealer); an Idempotency-Key makes a
    retry with the same body return the same order.
    """
    data = parsing.body()
    dealer = g.get("token_dealer")
    req = parsing.order_request(data, default_customer=(dealer.contact_name, dealer.phone) if dealer else None)
    offered = intake.offered_payments(stripe=bool(current_app.config.get("STRIPE_SECRET_KEY")))
    problems = intake.validate(req, payment_methods=offered, max_items=_max_items())
    if problems:
        raise parsing.refused(problems, _lang())
    key = _idempotency_key()
    claim = None
    if key:
        scope = f"dealer:{dealer.id}" if dealer else f"phone:{req.phone}"
        try:
            outcome = idempotency.begin(scope, key, idempotency.digest(data))
        except idempotency.Conflict:
            raise ApiError(422, "idempotency_conflict", "this Idempotency-Key was used with another body") from None
        except idempotency.InProgress:
            raise ApiError(409, "idempotency_in_progress", "an order with this Idempotency-Key is being placed; "
                           "retry in a moment") from None
        if outcome.order is not None:
            return jsonify(order_document(outcome.order, _lang())), 200
        claim = outcome.claim
    buyer = service.Buyer(name=req.name, phone=req.phone, province=req.province, city=req.city,
                          district=req.district, address=req.address)
    try:
        order = service.place(list(req.items), buyer=buyer, method=req.method, payment_method=req.payment_method,
                              pickup_base=req.chosen_base, lang=_lang(), context=current.api_context(),
                              timing=req.timing)
        if claim is not None:
            idempotency.finish(claim, order)
        db.session.commit()
    except service.OutOfStock as short:
        _give_up(claim)
        raise ApiError(409, "insufficient_stock", f"not enough stock for {short.sku}", sku=short.sku) from None
    except service.OrderRefused as refused:
        _give_up(claim)
        first = refused.problems[0]
        raise ApiError(422, first.code, first.en if _lang() == "en" else first.zh,
                       problems=[_problem(p) for p in refused.problems]) from None
    except Exception:  # whatever went wrong, the key must not stay claimed by an order that never was
        _give_up(claim)
        raise
    return jsonify(order_document(order, _lang())), 201


def _max_items() -> int:
    """Lines an order may have: a dealer's bulk order more than a retail one."""
    return intake.DEALER_MAX_ITEMS if current.api_context().is_dealer else intake.MAX_ITEMS


def _idempotency_key() -> str:
    """The Idempotency-Key header: printable ASCII, at most 255 characters (400 otherwise)."""
    if "Idempotency-Key" not in request.headers:
        return ""
    key = request.headers["Idempotency-Key"].strip()
    if not key or len(key) > idempotency.MAX_KEY or not key.isascii() or not key.isprintable():
        raise ApiError(400, "bad_request", "Idempotency-Key must be 1 to 255 printable ASCII characters")
    return key


def _give_up(claim) -> None:
    """The order was refused: nothing stays held, and its Idempotency-Key is free again."""
    db.session.rollback()
    if claim is not None:
        idempotency.abandon(claim)


@bp.get("/orders/<number>")
@doc("An order, for its buyer: give the phone used at checkout, or a dealer's token",
     parameters=[{"name": "phone", "in": "query", "required": False, "schema": {"type": "string"},
                  "description": "required without a dealer token"}],
     responses={200: ORDER, 404: "no such order for this phone"}, tags=("orders",))
def get_order(number: str):
    """An order by number and phone (or a dealer's token: only their own); the same 404 for a wrong phone as
    for an unknown number or another dealer's order."""
    dealer = g.get("token_owner")
    if dealer is not None:
        order = service.by_number(number.strip().upper())
        if order is None or order.dealer_id != dealer.id:
            raise ApiError(404, "not_found", "no order with this number among your orders")
        return jsonify(order_document(order, _lang()))
    order = service.find(number, request.args.get("phone", ""))
    if order is None and request.args.get("t"):
        candidate = service.by_number(number.upper())
        order = candidate if candidate is not None and access.token_opens(candidate, request.args["t"]) else None
    if order is None:
        raise ApiError(404, "not_found", "no order with this number and phone")
    return jsonify(order_document(order, _lang()))
