"""Checkout in the browser: validation in Chinese, CSRF, the order page, and finding the order again."""

from __future__ import annotations

import html
import re

import pytest

from tests.actions import (
    JMG_C2,
    KYOHO_C2,
    MM_C2,
    PHONE,
    PLACE,
    cart,
    cart_lines,
    checkout,
    csrf_token,
    errors,
    fill_cart,
    orders_stored,
    quote,
    set_grade,
    stock_of,
)

GOOD = {"name": "王先生", "phone": PHONE, **PLACE, "method": "post", "payment_method": "bank_transfer",
        "accept_contract": "y"}


def place_order(client, **changes) -> str:
    """Check out the cart with good details; the order page's address."""
    response = checkout(client, **{**GOOD, **changes})
    assert response.status_code == 303, errors(response.get_data(as_text=True))
    assert re.fullmatch(r"/orders/MM\d{8}-[0-9A-Z]{10}", response.location), response.location
    return response.location


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_the_checkout_page_shows_the_contract_terms_and_the_total(client):
    fill_cart(client, (MM_C2, 300))
    page = page_text(client.get("/checkout"))
    assert "购苗合同" in page and 'name="accept_contract"' in page
    assert "成活率" in page and "假一赔十" in page
    assert 'id="checkout-total">¥' in page


def test_an_empty_cart_has_nothing_to_check_out(client):
    response = client.get("/checkout")
    assert (response.status_code, response.location) == (302, "/cart")


def test_placing_the_order_leads_to_its_page_with_lines_amounts_status_and_next_steps(app, client):
    fill_cart(client, (MM_C2, 300), (KYOHO_C2, 100))
    before = stock_of(app, MM_C2)
    order_page = place_order(client)
    page = page_text(client.get(order_page))
    number = order_page.rsplit("/", 1)[1]
    assert number in page
    assert "美人指" in page and "巨峰" in page
    assert re.search(r">300<", page) and re.search(r">100<", page)
    assert "¥300.00" in page and "¥60.00" in page and "¥360.00" in page  # lines and the goods
    assert 'data-status="pending_payment"' in page and "待付款" in page
    assert "前付款，逾期订单自动取消" in page  # what happens next
    assert "请汇款" in page and number in page.split('id="bank-transfer"')[1]
    assert "山东省临沂市平邑县" in page
    assert stock_of(app, MM_C2) == before - 300
    assert cart_lines(cart(client)) == {}


def test_the_order_is_found_later_by_number_and_phone(app, client):
    fill_cart(client, (MM_C2, 300))
    number = place_order(client).rsplit("/", 1)[1]
    stranger = app.test_client()
    response = stranger.get(f"/orders/{number}")
    assert response.status_code == 302 and response.location.startswith("/orders/find")
    token = csrf_token(stranger, "/orders/find")
    wrong = stranger.post("/orders/find", data={"csrf_token": token, "number": number, "phone": "13900000000"})
    assert wrong.status_code == 404 and "没有找到这个订单" in page_text(wrong)
    unknown = stranger.post("/orders/find", data={"csrf_token": token, "number": "MM20261129-ZZZZZZZZZZ",
                                                  "phone": PHONE})
    assert unknown.status_code == 404 and "没有找到这个订单" in page_text(unknown)
    found = stranger.post("/orders/find", data={"csrf_token": token, "number": number.lower(), "phone": PHONE})
    assert (found.status_code, found.location) == (303, f"/orders/{number}")
    assert "美人指" in page_text(stranger.get(found.location))


def test_the_finder_checks_the_phone_format(client):
    token = csrf_token(client, "/orders/find")
    response = client.post("/orders/find", data={"csrf_token": token, "number": "MM1", "phone": "12345"})
    assert response.status_code == 422
    assert "请填写11位手机号，如 13800000000" in errors(response.get_data(as_text=True))


@pytest.mark.parametrize(("changes", "message"), [
    ({"phone": "12812345678"}, "请填写11位手机号，如 13800000000"),
    ({"phone": "1381234567"}, "请填写11位手机号，如 13800000000"),
    ({"phone": "138123456789"}, "请填写11位手机号，如 13800000000"),
    ({"phone": "1381234567８"}, "请填写11位手机号，如 13800000000"),
    ({"phone": None}, "请填写手机号"),
    ({"name": "  "}, "请填写收货人姓名"),
    ({"province": "火星"}, "请选择省份"),
    ({"city": "广州市", "district": "天河区"}, "请选择城市"),
    ({"district": "历下区"}, "请选择区县"),
    ({"address": ""}, "请填写详细地址"),
    ({"accept_contract": None}, "请先阅读并同意购苗合同条款"),
])
def test_bad_details_re_render_the_form_with_a_chinese_message(app, client, changes, message):
    fill_cart(client, (MM_C2, 300))
    before = stock_of(app, MM_C2)
    response = checkout(client, **{**GOOD, **changes})
    assert response.status_code == 422
    page = page_text(response)
    assert message in errors(page)
    assert 'id="checkout-form"' in page
    if "name" not in changes:
        assert 'value="王先生"' in page  # what was typed stays
    assert (orders_stored(app), stock_of(app, MM_C2)) == (0, before)
    assert cart_lines(cart(client)) == {MM_C2: 300}


def test_a_cart_below_the_minimum_is_refused_at_checkout_with_the_reason(app, client):
    set_grade(app, JMG_C2, price_fen=99)
    fill_cart(client, (MM_C2, 199), (JMG_C2, 1))
    response = checkout(client, **GOOD)
    assert response.status_code == 422
    assert "还差 ¥0.01 起邮" in page_text(response)
    assert orders_stored(app) == 0


def test_pickup_needs_no_address_and_has_no_minimum(app, client):
    fill_cart(client, (KYOHO_C2, 1))
    order_page = place_order(client, method="pickup", province="", city="", district="", address="",
                             pickup_base="临沭")
    page = page_text(client.get(order_page))
    assert "¥0.60" in page and "基地自提" in page and "临沭" in page


def test_forged_amounts_in_the_form_change_nothing(app, client):
    fill_cart(client, (MM_C2, 300))
    total = "¥" + quote(client, (MM_C2, 300), province=PLACE["province"]).get_json()["total"]
    order_page = place_order(client, total="0.01", subtotal="0.01", discount="300", price="0.01",
                             **{f"qty-{MM_C2}": "1"})
    assert re.search(r'id="order-total">([^<]+)<', page_text(client.get(order_page))).group(1) == total


def test_stock_gone_before_checkout_sends_the_buyer_back_to_the_cart(app, client):
    fill_cart(client, (MM_C2, 300))
    set_grade(app, MM_C2, stock=299)
    response = checkout(client, **GOOD)
    assert (response.status_code, response.location) == (303, "/cart")
    assert "库存不足" in page_text(client.get("/cart"))
    assert orders_stored(app) == 0


@pytest.mark.parametrize("token", [None, "forged"])
def test_checkout_and_the_finder_need_the_csrf_token(app, client, token):
    fill_cart(client, (MM_C2, 300))
    extra = {"csrf_token": token} if token else {}
    response = client.post("/checkout", data={**GOOD, **extra})
    assert response.status_code == 400 and "页面已过期" in page_text(response)
    assert orders_stored(app) == 0
    response = client.post("/orders/find", data={"number": "MM1", "phone": PHONE, **extra})
    assert response.status_code == 400


def test_the_region_options_follow_the_province(client):
    options = client.get("/checkout/regions/山东省").get_json()["cities"]
    assert "平邑县" in options["临沂市"]
    assert client.get("/checkout/regions/火星").get_json() == {"cities": {}}
