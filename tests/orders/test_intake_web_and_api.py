"""The same malformed checkouts through the web form and through POST /api/v1/orders: both refuse them,
with the same problem in the same words, store nothing, and never answer 500 (SQLite and PostgreSQL)."""

from __future__ import annotations

import html
import json
import re
from urllib.parse import urlencode

import pytest

from tests.actions import MM_C2, PHONE, PLACE, csrf_token, errors, fill_cart, orders_stored, stock_of

GOOD = {"name": "王先生", "phone": PHONE, **PLACE, "method": "post", "pickup_base": "", "payment_method": "bank_transfer",
        "accept_contract": True}
PICKUP = {"method": "pickup", "province": "", "city": "", "district": "", "address": "", "pickup_base": "临沭"}
API_FIELDS = {"name": "customer.name", "phone": "customer.phone", "payment_method": "payment_method",
              "accept_contract": "accept_contract"}  # the rest sit under shipping.

# (what is wrong, the changes to a good checkout, the field refused, its code)
MALFORMED = [
    ("control character in the name", {"name": "王\x01先生"}, "name", "control_character"),
    ("tab in the name", {"name": "王先生\t"}, "name", "control_character"),
    ("line break in the address", {"address": "示例路\n8号"}, "address", "control_character"),
    ("DEL in the phone", {"phone": "1381234567\x7f"}, "phone", "control_character"),
    ("escape in the city, for pickup", {**PICKUP, "city": "临沂\x1b市"}, "city", "control_character"),
    ("300-character province with pickup", {**PICKUP, "province": "省" * 300}, "province", "too_long"),
    ("21-character province with pickup", {**PICKUP, "province": "省" * 21}, "province", "too_long"),
    ("41-character district with pickup", {**PICKUP, "district": "区" * 41}, "district", "too_long"),
    ("201-character address with pickup", {**PICKUP, "address": "路" * 201}, "address", "too_long"),
    ("41-character pickup base", {**PICKUP, "pickup_base": "基" * 41}, "pickup_base", "too_long"),
    ("lone surrogate in the address", {"address": "示例路\ud800号"}, "address", "bad_encoding"),
    ("lone surrogate in the name", {"name": "王\udfff"}, "name", "bad_encoding"),
    ("U+FFFD in the name", {"name": "王\ufffd"}, "name", "bad_encoding"),
    ("41-character name", {"name": "王" * 41}, "name", "too_long"),
    ("no name", {"name": "　"}, "name", "required"),
    ("bad phone", {"phone": "12812345678"}, "phone", "bad_phone"),
    ("full-width digit in the phone", {"phone": "1381234567８"}, "phone", "bad_phone"),
    ("city outside the province", {"city": "广州市", "district": "天河区"}, "city", "bad_address"),
    ("one-character address", {"address": "路"}, "address", "too_short"),
    ("unknown shipping method", {"method": "teleport"}, "method", "bad_shipping_method"),
    ("unknown payment method", {"payment_method": "cash"}, "payment_method", "bad_payment_method"),
    ("online payment not configured", {"payment_method": "stripe"}, "payment_method", "payment_unavailable"),
    ("contract not accepted", {"accept_contract": False}, "accept_contract", "contract_not_accepted"),
]


def web_checkout(client, fields: dict):
    """Submit the checkout form as a browser encodes it: UTF-8, percent-escaped, so a lone surrogate
    arrives as the bytes %ED%A0%80 (which Werkzeug leaves in the text as they are)."""
    data = {"csrf_token": csrf_token(client, "/checkout"),
            **{k: v for k, v in fields.items() if k != "accept_contract"}}
    if fields.get("accept_contract"):
        data["accept_contract"] = "y"
    body = urlencode({k: v.encode("utf-8", "surrogatepass") for k, v in data.items()})
    return client.post("/checkout", data=body, content_type="application/x-www-form-urlencoded")


def api_order(client, fields: dict):
    """POST /api/v1/orders with the same fields; \\ud800 is sent as JSON writes it."""
    body = {"items": [{"sku": MM_C2, "quantity": 300}],
            "customer": {"name": fields["name"], "phone": fields["phone"]},
            "shipping": {k: fields[k] for k in ("method", "province", "city", "district", "address", "pickup_base")},
            "payment_method": fields["payment_method"], "accept_contract": fields["accept_contract"]}
    return client.post("/api/v1/orders", data=json.dumps(body), content_type="application/json")


def shown_next_to(page: str, field: str) -> list[str]:
    """The messages the form shows beside a field: after its (last) input, before the next field's label."""
    form = page.split("<script", 1)[0]
    start = form.rindex(f'name="{field}"')
    end = min(i for i in (form.find("<label", start), form.find("</section>", start), form.find("<h2", start))
              if i != -1)
    return errors(form[start:end])


@pytest.mark.parametrize(("changes", "field", "code"), [case[1:] for case in MALFORMED],
                         ids=[case[0] for case in MALFORMED])
def test_a_malformed_checkout_is_refused_alike_on_the_web_and_by_the_api(app, client, changes, field, code):
    fields = {**GOOD, **changes}
    fill_cart(client, (MM_C2, 300))
    stock = stock_of(app, MM_C2)

    api = api_order(app.test_client(), fields)
    assert api.status_code == 422 and api.is_json, api.get_data(as_text=True)[:300]
    error = api.get_json()["error"]
    refused = {p["field"]: p for p in error["problems"]}
    api_field = API_FIELDS.get(field, f"shipping.{field}")
    assert list(refused) == [api_field], error["problems"]  # that problem and no other
    assert (error["code"], refused[api_field]["code"]) == (code, code)
    assert error["message"] == refused[api_field]["message"]

    web = web_checkout(client, fields)
    assert web.status_code == 422, web.status_code
    page = html.unescape(web.get_data(as_text=True))
    assert 'id="checkout-form"' in page
    assert shown_next_to(page, field) == [refused[api_field]["message"]]  # the same words, beside the field
    assert errors(page) == [refused[api_field]["message"]]

    assert (orders_stored(app), stock_of(app, MM_C2)) == (0, stock)


def test_the_good_checkout_the_table_spoils_is_placed_by_both(app, client):
    fill_cart(client, (MM_C2, 300))
    web = web_checkout(client, GOOD)
    assert web.status_code == 303 and re.fullmatch(r"/orders/MM\d{8}-\w{10}", web.location), web.location
    api = api_order(app.test_client(), GOOD)
    assert api.status_code == 201, api.get_json()
    assert orders_stored(app) == 2


def test_a_clean_300_character_pickup_province_cannot_reach_the_column(app, client):
    """The 500 of old on PostgreSQL (String(20)): refused before the database, with the limit named."""
    fields = {**GOOD, **PICKUP, "province": "山" * 300}
    fill_cart(client, (MM_C2, 300))
    page = html.unescape(web_checkout(client, fields).get_data(as_text=True))
    assert shown_next_to(page, "province") == ["省份最多20个字（现在300个）"]
    api = api_order(app.test_client(), fields).get_json()["error"]
    assert api["problems"] == [{"field": "shipping.province", "code": "too_long", "message": "省份最多20个字（现在300个）"}]
    assert orders_stored(app) == 0


def test_every_problem_comes_back_at_once_in_the_buyers_language(app, client):
    fields = {**GOOD, "name": "王\x01", "phone": "1381234567８", "address": "路" * 201, "accept_contract": False}
    response = client.post("/api/v1/orders?lang=en", data=json.dumps({
        "items": [{"sku": MM_C2, "quantity": 300}], "customer": {"name": fields["name"], "phone": fields["phone"]},
        "shipping": {**PLACE, "method": "post", "address": fields["address"]}, "payment_method": "bank_transfer",
        "accept_contract": False}), content_type="application/json")
    error = response.get_json()["error"]
    assert [(p["field"], p["code"]) for p in error["problems"]] == [
        ("customer.name", "control_character"), ("customer.phone", "bad_phone"), ("shipping.address", "too_long"),
        ("accept_contract", "contract_not_accepted")]
    assert error["message"] == "The recipient's name must not contain control or invisible characters (such as tabs or line breaks)"

    fill_cart(client, (MM_C2, 300))
    page = html.unescape(web_checkout(client, fields).get_data(as_text=True))
    for field, message in (("name", "收货人姓名不能包含控制字符或不可见字符（如制表符、换行），请重新填写"),
                           ("phone", "请填写11位手机号，如 13800000000"), ("address", "详细地址最多200个字（现在201个）"),
                           ("accept_contract", "请先阅读并同意购苗合同条款")):
        assert shown_next_to(page, field) == [message]
    assert orders_stored(app) == 0


def test_a_nul_is_refused_by_both_the_web_with_400_before_the_form_is_read(app, client):
    fill_cart(client, (MM_C2, 300))
    fields = {**GOOD, "name": "王\x00先生"}
    assert web_checkout(client, fields).status_code == 400
    api = api_order(app.test_client(), fields)
    assert (api.status_code, api.get_json()["error"]["code"]) == (422, "control_character")
    assert orders_stored(app) == 0


def test_garbled_bytes_in_a_multipart_form_arrive_as_u_fffd_and_are_refused(app, client):
    fill_cart(client, (MM_C2, 300))
    fields = {**GOOD, "csrf_token": csrf_token(client, "/checkout"), "accept_contract": "y"}
    boundary = "----miaomu"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n'.encode() +
             (b"\xe7\x8e\x8b\xed\xa0\x80" if k == "name" else str(v).encode()) + b"\r\n" for k, v in fields.items()]
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    response = client.post("/checkout", data=body, content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 422
    assert shown_next_to(html.unescape(response.get_data(as_text=True)), "name") == [
        "收货人姓名里有无法识别的字符（乱码），请重新填写"]
    assert orders_stored(app) == 0


@pytest.mark.parametrize(("body", "where"), [
    ({"customer": {"name": 42, "phone": PHONE}}, "customer.name"),
    ({"customer": ["王先生"]}, "customer"),
    ({"shipping": {**PLACE, "method": "post", "province": ["山东省"]}}, "shipping.province"),
    ({"items": [{"sku": MM_C2, "quantity": "300"}]}, "items[0].quantity"),
])
def test_a_field_of_the_wrong_type_is_still_a_400(app, client, body, where):
    good = {"items": [{"sku": MM_C2, "quantity": 300}], "customer": {"name": "王先生", "phone": PHONE},
            "shipping": {**PLACE, "method": "post"}, "payment_method": "bank_transfer", "accept_contract": True}
    response = client.post("/api/v1/orders", json={**good, **body})
    error = response.get_json()["error"]
    assert (response.status_code, error["code"]) == (400, "bad_request") and where in error["message"]
    assert orders_stored(app) == 0
