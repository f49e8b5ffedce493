"""Strict reading of API request bodies: anything malformed is a 400 with a reason, never a 500."""

from __future__ import annotations

from flask import request

from shop.errors import ApiError

MAX_ITEMS = 200
MAX_QUANTITY = 10_000_000


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


def text(data: dict, key: str, where: str, *, required: bool = True, max_length: int = 200) -> str:
    """A string field."""
    value = data.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise ApiError(400, "bad_request", f"{where}{key} must be a non-empty string")
    if any(ord(ch) < 32 for ch in value):
        raise ApiError(400, "bad_request", f"{where}{key} must not contain control characters")
    if len(value) > max_length:
        raise ApiError(400, "bad_request", f"{where}{key} is longer than {max_length} characters")
    return value.strip()


def items(data: dict) -> list[tuple[str, int]]:
    """`items`: 1 to 200 of {"sku": str, "quantity": whole number 1..10^7}."""
    raw = data.get("items")
    if not isinstance(raw, list) or not raw:
        raise ApiError(400, "bad_request", "items must be a non-empty list of {sku, quantity}")
    if len(raw) > MAX_ITEMS:
        raise ApiError(400, "bad_request", f"at most {MAX_ITEMS} items per order")
    result = []
    for index, item in enumerate(raw):
        if not isinstance(item, dict):
            raise ApiError(400, "bad_request", f"items[{index}] must be an object")
        sku = text(item, "sku", f"items[{index}].", max_length=40)
        quantity = item.get("quantity")
        if isinstance(quantity, bool) or not isinstance(quantity, int):
            raise ApiError(400, "bad_request", f"items[{index}].quantity must be a whole number")
        if not 1 <= quantity <= MAX_QUANTITY:
            raise ApiError(422, "bad_quantity", f"items[{index}].quantity must be from 1 to {MAX_QUANTITY}")
        result.append((sku, quantity))
    return result


def shipping(data: dict, *, full: bool = False) -> dict:
    """`shipping`: method and province (and city, district, address for an order)."""
    raw = data.get("shipping")
    if not isinstance(raw, dict):
        raise ApiError(400, "bad_request", "shipping must be an object with method and province")
    method = text(raw, "method", "shipping.", max_length=10)
    if method not in ("post", "express", "freight", "pickup"):
        raise ApiError(400, "bad_request", "shipping.method must be one of post, express, freight, pickup")
    needs_address = method != "pickup"
    result = {"method": method, "province": text(raw, "province", "shipping.", required=needs_address, max_length=20)}
    if full:
        for key, length in (("city", 40), ("district", 40), ("address", 200)):
            result[key] = text(raw, key, "shipping.", required=needs_address, max_length=length)
        result["pickup_base"] = text(raw, "pickup_base", "shipping.", required=False, max_length=40)
    return result
