"""POST /api/v1/orders and GET /api/v1/orders/{number}: what is stored, what is refused, and with which status."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from shop.orders.numbers import ALPHABET, new_number
from tests.actions import (
    KYOHO_C2,
    MM_C2,
    PHONE,
    lines,
    order_body,
    orders_stored,
    place,
    quote,
    set_grade,
    stock_of,
)

NUMBER = re.compile(rf"^MM\d{{8}}-[{ALPHABET}]{{10}}$")


def test_a_placed_order_answers_201_with_everything_the_buyer_needs(app, client):
    expected = quote(client, (MM_C2, 300), (KYOHO_C2, 700)).get_json()
    before = datetime.now(UTC)
    response = place(client, (MM_C2, 300), (KYOHO_C2, 700))
    assert response.status_code == 201, response.get_json()
    order = response.get_json()
    assert NUMBER.match(order["number"])
    assert order["status"] == "pending_payment"
    for key in ("subtotal", "discount", "discount_reason", "goods_total", "shipping_fee", "total", "plants"):
        assert order[key] == expected[key], key
    assert (order["subtotal"], order["discount"], order["discount_reason"]) == ("720.00", "216.00", "bulk")
    assert [(i["sku"], i["quantity"], i["unit_price"], i["amount"]) for i in order["items"]] == [
        (MM_C2, 300, "1.00", "300.00"), (KYOHO_C2, 700, "0.60", "420.00")]
    assert order["items"][0]["variety"] == "美人指"
    assert order["contract_url"].startswith("http://localhost/") and order["number"] in order["contract_url"]
    created = datetime.fromisoformat(order["created_at"])
    assert before - timedelta(seconds=5) <= created <= datetime.now(UTC)
    assert (order["paid_at"], order["dispatch_by"]) == (None, None)


def test_the_contract_link_in_the_order_opens_its_pdf(client):
    order = place(client, (MM_C2, 300)).get_json()
    pdf = client.get(order["contract_url"].removeprefix("http://localhost"))
    assert (pdf.status_code, pdf.mimetype, pdf.data[:5]) == (200, "application/pdf", b"%PDF-")


def test_forged_prices_discounts_and_totals_in_the_body_change_nothing(app, client):
    honest = quote(client, (MM_C2, 300)).get_json()
    forged = order_body((MM_C2, 300), subtotal="0.01", discount="299.99", discount_reason="dealer",
                        goods_total="0.01", shipping_fee="0.00", total="0.01", dealer=True)
    forged["items"][0].update(unit_price="0.01", price="0.01", amount="0.01")
    order = client.post("/api/v1/orders", json=forged).get_json()
    assert (order["subtotal"], order["discount"], order["discount_reason"]) == ("300.00", "0.00", None)
    assert (order["total"], order["shipping_fee"]) == (honest["total"], honest["shipping_fee"])
    assert order["items"][0]["unit_price"] == "1.00"


def test_placing_an_order_takes_its_plants_from_stock(app, client):
    mm, kyoho = stock_of(app, MM_C2), stock_of(app, KYOHO_C2)
    assert place(client, (MM_C2, 250), (KYOHO_C2, 40), (MM_C2, 50)).status_code == 201
    assert (stock_of(app, MM_C2), stock_of(app, KYOHO_C2)) == (mm - 300, kyoho - 40)


def test_a_line_bigger_than_either_base_is_split_over_both(app, client):
    from shop.catalog.models import Grade, Stock
    from shop.extensions import db

    with app.app_context():
        grade = db.session.execute(db.select(Grade).where(Grade.sku == MM_C2)).scalar_one()
        by_base = sorted(s.quantity for s in db.session.execute(db.select(Stock).where(Stock.grade_id == grade.id)).scalars())
    wanted = by_base[-1] + 1  # more than the bigger base holds
    total = sum(by_base)
    response = place(client, (MM_C2, wanted), method="pickup", pickup_base=None)
    assert response.status_code == 201, response.get_json()
    assert stock_of(app, MM_C2) == total - wanted


def test_order_numbers_cannot_be_guessed_from_one_another():
    now = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)
    numbers = [new_number(now) for _ in range(200)]
    assert len(set(numbers)) == 200
    assert all(NUMBER.match(n) and n.startswith("MM20261129-") for n in numbers)
    suffixes = [n.split("-")[1] for n in numbers]
    assert suffixes != sorted(suffixes)  # not issued in order
    for position in range(10):  # every position varies over (nearly) the whole alphabet
        assert len({s[position] for s in suffixes}) >= 24
    neighbours = [sum(a != b for a, b in zip(x, y, strict=True)) for x, y in zip(suffixes, suffixes[1:], strict=False)]
    assert min(neighbours) >= 4  # consecutive numbers share no run of characters a counter would give


def test_consecutive_orders_through_the_api_get_unrelated_numbers(client):
    numbers = [place(client, (KYOHO_C2, 1), method="pickup", pickup_base=None).get_json()["number"] for _ in range(5)]
    assert len(set(numbers)) == 5
    suffixes = [n.split("-")[1] for n in numbers]
    assert all(sum(a != b for a, b in zip(x, y, strict=True)) >= 4 for x, y in zip(suffixes, suffixes[1:], strict=False))


def test_the_buyer_gets_the_order_back_by_number_and_phone(client):
    placed = place(client, (MM_C2, 300)).get_json()
    found = client.get(f"/api/v1/orders/{placed['number']}?phone={PHONE}")
    assert found.status_code == 200
    body = found.get_json()
    assert (body["number"], body["status"], body["total"]) == (placed["number"], "pending_payment", placed["total"])
    assert body["items"] == placed["items"]
    lower = client.get(f"/api/v1/orders/{placed['number'].lower()}?phone={PHONE}")
    assert lower.status_code == 200


def test_a_wrong_phone_gets_the_same_404_as_an_unknown_number(client):
    number = place(client, (MM_C2, 300)).get_json()["number"]
    wrong_phone = client.get(f"/api/v1/orders/{number}?phone=13900000000")
    unknown = client.get(f"/api/v1/orders/MM20261129-ZZZZZZZZZZ?phone={PHONE}")
    no_phone = client.get(f"/api/v1/orders/{number}")
    assert wrong_phone.status_code == unknown.status_code == no_phone.status_code == 404
    assert wrong_phone.get_json() == unknown.get_json() == no_phone.get_json()
    assert wrong_phone.get_json()["error"]["code"] == "not_found"


def test_more_plants_than_in_stock_get_409_and_nothing_is_held(app, client):
    set_grade(app, MM_C2, stock=250)
    response = place(client, (MM_C2, 200), (KYOHO_C2, 100), (MM_C2, 51))
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert (error["code"], error["sku"]) == ("insufficient_stock", MM_C2)
    assert (orders_stored(app), stock_of(app, MM_C2)) == (0, 250)


@pytest.mark.parametrize(("change", "status", "code"), [
    ({"accept_contract": False}, 422, "contract_not_accepted"),
    ({"accept_contract": "yes"}, 422, "contract_not_accepted"),
    ({"customer": {"name": "王", "phone": "12812345678"}}, 422, "bad_phone"),
    ({"customer": {"name": "王", "phone": "1381234567"}}, 422, "bad_phone"),
    ({"customer": {"name": "王", "phone": "1381234567８"}}, 422, "bad_phone"),  # a full-width digit
    ({"shipping": {"method": "post", "province": "山东省", "city": "广州市", "district": "天河区", "address": "x路"}},
     422, "bad_address"),
    ({"payment_method": "cash"}, 422, "bad_payment_method"),
    ({"payment_method": "stripe"}, 422, "payment_unavailable"),  # not configured in tests
    ({"customer": "王先生"}, 400, "bad_request"),
    ({"shipping": {"method": "teleport"}}, 422, "bad_shipping_method"),
    ({"shipping": {"method": "pickup", "pickup_base": "火星基地"}}, 422, "unknown_base"),
])
def test_orders_that_break_a_rule_are_refused(app, client, change, status, code):
    response = client.post("/api/v1/orders", json={**order_body((MM_C2, 300)), **change})
    assert (response.status_code, response.get_json()["error"]["code"]) == (status, code)
    assert orders_stored(app) == 0


# Bad input: a JSON 4xx, never a 5xx, nothing stored ---------------------------------------------------

def _with_quantity(quantity):
    body = order_body((MM_C2, 300))
    body["items"][0]["quantity"] = quantity
    return json.dumps(body)


BAD_BODIES = {
    "zero": _with_quantity(0),
    "negative": _with_quantity(-1),
    "fraction": _with_quantity(1.5),
    "float one": _with_quantity(1.0),
    "text": _with_quantity("abc"),
    "number as text": _with_quantity("300"),
    "true": _with_quantity(True),
    "null": _with_quantity(None),
    "10^15": _with_quantity(10**15),
    "10^400": _with_quantity(10**400),
    "unknown sku": json.dumps(order_body(("NO-SUCH-SKU", 300))),
    "sku not text": json.dumps(order_body((12345, 300))),
    "no items": json.dumps(order_body()),
    "items not a list": json.dumps({**order_body(), "items": {"sku": MM_C2, "quantity": 300}}),
    "line not an object": json.dumps({**order_body(), "items": [[MM_C2, 300]]}),
    "5000 lines": json.dumps(order_body(*[(MM_C2, 1)] * 5000)),
    "empty object": "{}",
    "a list": json.dumps([order_body((MM_C2, 300))]),
    "a string": json.dumps("order"),
    "null body": "null",
    "not json": "items=GRP-MRZ-C2&quantity=300",
    "truncated json": json.dumps(order_body((MM_C2, 300)))[:-3],
    "empty": "",
    "deep nesting": "[" * 100000 + "]" * 100000,
}


@pytest.mark.parametrize("path", ["/api/v1/orders", "/api/v1/quote"])
@pytest.mark.parametrize("name", list(BAD_BODIES))
def test_bad_bodies_get_a_json_4xx_and_store_nothing(app, client, path, name):
    before = stock_of(app, MM_C2)
    response = client.post(path, data=BAD_BODIES[name], content_type="application/json")
    assert 400 <= response.status_code < 500, (name, response.status_code, response.get_data(as_text=True)[:300])
    assert response.is_json and response.get_json()["error"]["code"]
    assert (orders_stored(app), stock_of(app, MM_C2)) == (0, before)


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
def test_a_body_that_is_not_declared_json_is_refused(app, client, content_type):
    response = client.post("/api/v1/orders", data=json.dumps(order_body((MM_C2, 300))), content_type=content_type)
    assert response.status_code in (400, 415)
    assert response.get_json()["error"]["code"]
    assert orders_stored(app) == 0


def test_a_quote_for_an_unknown_sku_is_a_422_naming_it(client):
    response = client.post("/api/v1/quote", json={"items": lines(("NO-SUCH-SKU", 1), (MM_C2, 300)),
                                                  "shipping": {"method": "post", "province": "山东省"}})
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "unknown_sku"
    assert "NO-SUCH-SKU" in response.get_json()["error"]["message"]
