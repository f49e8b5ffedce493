"""The web cart: add from the variety page, change, remove, the rules' hints at their boundaries, and the cookie."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest

from tests.actions import (
    CATALOG,
    JMG_C2,
    KYOHO_C2,
    MM_C2,
    add_to_cart,
    amount,
    cart,
    cart_lines,
    csrf_token,
    fill_cart,
    hints,
    set_grade,
    update_cart,
    variety_page,
)


@pytest.fixture
def priced(app):
    """美人指 C2 at ¥1.11, 巨玫瑰 C2 at ¥1.10 (1287 × 1.11 = 1428.57 → goods 1000.00 after 7折)."""
    set_grade(app, MM_C2, price_fen=111)
    set_grade(app, JMG_C2, price_fen=110)
    return app


def test_plants_added_on_the_variety_page_are_in_the_cart(client):
    page = client.get(variety_page(MM_C2)).get_data(as_text=True)
    assert f'name="sku" value="{MM_C2}"' in page
    fill_cart(client, (MM_C2, 120), (KYOHO_C2, 30), (MM_C2, 80))
    page = cart(client)
    assert cart_lines(page) == {MM_C2: 200, KYOHO_C2: 30}
    assert "美人指" in page and "巨峰" in page
    assert amount(page, "subtotal") == "¥218.00"


def test_changing_a_quantity_and_removing_a_line(client):
    fill_cart(client, (MM_C2, 120), (KYOHO_C2, 30))
    assert update_cart(client, {MM_C2: 300, KYOHO_C2: 30}).status_code == 302
    assert cart_lines(cart(client)) == {MM_C2: 300, KYOHO_C2: 30}
    update_cart(client, {MM_C2: 300, KYOHO_C2: 30}, remove=KYOHO_C2)
    page = cart(client)
    assert cart_lines(page) == {MM_C2: 300}
    assert amount(page, "subtotal") == "¥300.00"


@pytest.mark.parametrize("bad", ["0", "-1", "1.5", "abc", "", "1e3", "²", "10000000000000000"])
def test_a_bad_quantity_is_refused_with_a_message_and_the_cart_is_unchanged(client, bad):
    fill_cart(client, (MM_C2, 120))
    response = add_to_cart(client, MM_C2, bad)
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "数量须为 1 到" in page
    assert update_cart(client, {MM_C2: bad}).status_code == 302
    assert cart_lines(cart(client)) == {MM_C2: 120}


def test_no_more_plants_than_the_stock_go_into_the_cart(app, client):
    set_grade(app, MM_C2, stock=150)
    add_to_cart(client, MM_C2, 151)
    fill_cart(client, (MM_C2, 100), (MM_C2, 50))
    update_cart(client, {MM_C2: 151})
    assert cart_lines(cart(client)) == {MM_C2: 150}
    again = add_to_cart(client, MM_C2, 1)
    assert "库存 150 株已全部在购物车中" in client.get(again.location).get_data(as_text=True)
    assert cart_lines(cart(client)) == {MM_C2: 150}


def test_price_on_request_and_unknown_grades_cannot_be_added(client):
    with CATALOG.open(encoding="utf-8") as f:
        on_request = next(row["sku"] for row in csv.DictReader(f) if not row["price"])
    token = csrf_token(client, variety_page(MM_C2))
    for sku in (on_request, "NO-SUCH-SKU", ""):
        response = add_to_cart(client, sku, 10, token=token)
        assert response.status_code == 302
        assert "该规格不能在线购买，请询价。" in client.get(response.location).get_data(as_text=True)
    assert cart_lines(cart(client)) == {}


# The hints at the rules' boundaries ---------------------------------------------------------------------

def test_goods_of_199_99_are_one_fen_short_of_post(app, client):
    set_grade(app, JMG_C2, price_fen=99)
    fill_cart(client, (MM_C2, 199), (JMG_C2, 1))
    page = cart(client)
    assert hints(page) == ["还差 ¥0.01 起邮", "再加 800 株享批量7折"]
    assert 'id="to-checkout"' not in page


def test_goods_of_200_00_can_go_to_checkout_and_show_what_free_post_needs(client):
    fill_cart(client, (MM_C2, 200))
    page = cart(client)
    assert hints(page) == ["还差 ¥800.00 免邮", "再加 800 株享批量7折"]
    assert 'id="to-checkout"' in page
    assert amount(page, "shipping") != "免邮"


def test_999_99_after_the_discount_is_one_fen_short_of_free_post(priced, client):
    fill_cart(client, (MM_C2, 1286), (JMG_C2, 1))
    page = cart(client)
    assert (amount(page, "subtotal"), amount(page, "discount")) == ("¥1,428.56", "−¥428.57")
    assert "批量7折" in page
    assert hints(page) == ["还差 ¥0.01 免邮"]
    assert amount(page, "shipping") not in ("免邮", "¥0.00")


def test_1000_00_after_the_discount_ships_free_with_no_hint_left(priced, client):
    fill_cart(client, (MM_C2, 1287))
    page = cart(client)
    assert (amount(page, "discount"), amount(page, "shipping"), amount(page, "total")) == ("−¥428.57", "免邮", "¥1,000.00")
    assert hints(page) == []


def test_express_never_promises_free_shipping(priced, client):
    fill_cart(client, (MM_C2, 1287))
    page = cart(client, method="express")
    assert hints(page) == []
    assert amount(page, "shipping").startswith("¥") and amount(page, "shipping") != "¥0.00"


def test_999_plants_are_told_one_more_gets_the_bulk_price(client):
    fill_cart(client, (MM_C2, 500), (KYOHO_C2, 499))
    page = cart(client)
    assert "再加 1 株享批量7折" in hints(page)
    assert amount(page, "discount") == "¥0.00"
    update_cart(client, {MM_C2: 501, KYOHO_C2: 499})
    page = cart(client)
    assert not [h for h in hints(page) if "再加" in h]
    assert amount(page, "discount") == "−¥240.12"  # 30% of 501.00 + 299.40


def test_pickup_has_no_minimum_hint(client):
    fill_cart(client, (KYOHO_C2, 1))
    page = cart(client, method="pickup", province="")
    assert hints(page) == ["再加 999 株享批量7折"]
    assert 'id="to-checkout"' in page
    assert amount(page, "total") == "¥0.60"


def test_freight_for_a_small_cart_says_why_it_cannot_go(client):
    fill_cart(client, (MM_C2, 200))
    page = cart(client, method="freight")
    assert 'data-code="freight_too_small"' in page
    assert 'id="to-checkout"' not in page


# The cart outlives the browser ---------------------------------------------------------------------------

def test_the_cart_cookie_is_permanent_and_survives_a_browser_restart(app, client):
    response = add_to_cart(client, MM_C2, 250)
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    expires = dict(part.strip().split("=", 1) for part in cookie.split(";")[1:] if "=" in part)["Expires"]
    assert parsedate_to_datetime(expires) > datetime.now(UTC) + timedelta(days=29)
    restarted = app.test_client()  # a new browser process: only cookies with an expiry are kept
    restarted.set_cookie("session", client.get_cookie("session").value)
    assert cart_lines(cart(restarted)) == {MM_C2: 250}


# CSRF ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("path", "data"), [
    ("/cart/add", {"sku": MM_C2, "quantity": "100"}),
    ("/cart/update", {f"qty-{MM_C2}": "5", "method": "post", "province": "山东省"}),
    ("/cart/update", {"remove": MM_C2}),
])
def test_cart_forms_need_the_csrf_token(client, path, data):
    fill_cart(client, (MM_C2, 100))
    for token in (None, "forged"):
        response = client.post(path, data={**data, **({"csrf_token": token} if token else {})})
        assert response.status_code == 400
        assert "页面已过期" in response.get_data(as_text=True)
    assert cart_lines(cart(client)) == {MM_C2: 100}
