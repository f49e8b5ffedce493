"""Strict reading of API request bodies: a malformed body is a 400 with a reason, never a 500.

Here only the JSON's shape and types are checked (an object, a string, a whole number); what the values
must be is the intake's job (shop.orders.intake), the same for the API as for the web checkout: a 422.
"""

from __future__ import annotations

from flask import request

from shop.errors import ApiError
from shop.orders import intake

MAX_ITEMS = intake.MAX_ITEMS
MAX_QUANTITY = intake.MAX_QUANTITY
# Where each field of the intake sits in the order body (items[3].quantity is already where it is).
FIELDS = {"name": "customer.name", "phone": "customer.phone", "method": "shipping.method",
          "province": "shipping.province", "city": "shipping.city", "district": "shipping.district",
          "address": "shipping.address", "pickup_base": "shipping.pickup_base", "timing": "shipping.timing"}


def body() -> dict:
    """The JSON object sent, or a 400."""
    if not request.is_json:
        raise ApiError(415 if request.data else 400, "bad_request", "send a JSON object with Content-Type: application/json")
    try:
        data = request.get_json(silent=True)
    except RecursionError:  # absurdly deep nesting: json gives up before it can say ValueError
        data = None
    if not isinstance(data, dict):
        raise ApiError(400, "bad_request", "the body must be a JSON object")
    return data


def string(data: dict, key: str, where: str) -> str:
    """A string field as sent, trimmed; absent or null is "", anything but a string a 400."""
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ApiError(400, "bad_request", f"{where}{key} must be a string")
    return intake.trim(value)


def items(data: dict) -> list[tuple[str, int]]:
    """`items`: a list of {"sku": string, "quantity": whole number}; how many and how big is the intake's."""
    raw = data.get("items")
    if not isinstance(raw, list):
        raise ApiError(400, "bad_request", "items must be a list of {sku, quantity}")
    result = []
    for index, item in enumerate(raw):
        if not isinstance(item, dict):
            raise ApiError(400, "bad_request", f"items[{index}] must be an object")
        sku = string(item, "sku", f"items[{index}].")
        quantity = item.get("quantity")
        if isinstance(quantity, bool) or not isinstance(quantity, int):
            raise ApiError(400, "bad_request", f"items[{index}].quantity must be a whole number")
        result.append((sku, quantity))
    return result


def shipping(data: dict, *, full: bool = False) -> dict:
    """`shipping`: method, province and timing (and city, district, address, pickup_base for an order)."""
    raw = data.get("shipping")
    if not isinstance(raw, dict):
        raise ApiError(400, "bad_request", "shipping must be an object with method and province")
    keys = ("method", "province", "city", "district", "address", "pickup_base") if full else ("method", "province")
    keys += ("timing",)
    return {key: string(raw, key, "shipping.") for key in keys}


def order_request(data: dict, default_customer: tuple[str, str] | None = None) -> intake.OrderRequest:
    """The body of POST /api/v1/orders mapped onto the intake's OrderRequest (wrong types are a 400).

    default_customer (name, phone) stands in for a missing `customer`: a dealer orders as themselves.
    """
    lines, where = items(data), shipping(data, full=True)
    customer = data.get("customer")
    if customer is None and default_customer is not None:
        customer = {"name": default_customer[0], "phone": default_customer[1]}
    if not isinstance(customer, dict):
        raise ApiError(400, "bad_request", "customer must be an object with name and phone")
    return intake.OrderRequest(
        items=tuple(lines), **where, name=string(customer, "name", "customer."),
        phone=string(customer, "phone", "customer."), payment_method=string(data, "payment_method", ""),
        accept_contract=data.get("accept_contract") is True,
    )


def refused(problems: list[intake.Problem], lang: str) -> ApiError:
    """The 422 for what the intake found: the first problem's code and message, and every problem by field."""
    first = problems[0]
    return ApiError(422, first.code, first.message(lang), problems=[
        {"field": FIELDS.get(p.field, p.field), "code": p.code, "message": p.message(lang)} for p in problems])
