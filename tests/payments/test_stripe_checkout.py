"""Paying by Stripe Checkout: what the shop asks Stripe for, and what the buyer sees when Stripe is away."""

from __future__ import annotations

import csv

import pytest

from shop.payments import checkout as stripe_checkout
from tests.actions import (
    CATALOG,
    JMG_C2,
    KYOHO_C2,
    MM_C2,
    buy,
    check_out_in_browser,
    fen,
    fill_cart,
    go_pay,
    last_checkout,
    order_json,
    page_text,
    place,
    query,
    set_grade,
    stored,
)


def amounts(params: dict) -> list[int]:
    """The line items' amounts in fen, each checked to be one CNY unit."""
    for item in params["line_items"]:
        assert item["quantity"] == "1" and item["price_data"]["currency"] == "cny"
    return [int(item["price_data"]["unit_amount"]) for item in params["line_items"]]


def test_a_discounted_order_is_sent_to_stripe_for_exactly_its_total_in_fen(app, client, standin):
    set_grade(app, KYOHO_C2, price_fen=77)  # ¥0.77 makes the 7折 split leave odd fen to place
    order = buy(client, (MM_C2, 333), (JMG_C2, 333), (KYOHO_C2, 337), payment_method="stripe")
    assert (order["subtotal"], order["discount"], order["discount_reason"]) == ("925.49", "277.65", "bulk")
    assert order["shipping_fee"] != "0.00" and order["payment"]["method"] == "stripe"

    response = go_pay(client, order)

    assert response.status_code == 303
    session_id = response.location.rsplit("/", 1)[-1]
    assert response.location == f"{standin.url}/pay/{session_id}"
    params = last_checkout(standin)
    assert (params["mode"], params["currency"], params["client_reference_id"]) == ("payment", "cny", order["number"])
    assert params["metadata"] == {"order_number": order["number"]}
    lines = amounts(params)
    assert sum(lines) == fen(order["total"]) == standin.sessions[session_id]["amount_total"]
    assert len(lines) == 4 and lines[-1] == fen(order["shipping_fee"])
    assert params["line_items"][-1]["price_data"]["product_data"]["name"].startswith("运费")
    assert sum(lines[:3]) == fen(order["goods_total"])
    assert all(abs(line * 10 - paid * 7) <= 10 for line, paid in zip(lines, (33300, 33300, 25949), strict=False))  # 7折 ±1分
    assert params["line_items"][0]["price_data"]["product_data"]["name"].startswith("美人指")
    assert params["payment_method_types"] == ["card", "alipay", "wechat_pay"]
    assert params["payment_method_options"] == {"wechat_pay": {"client": "web"}}
    assert params["locale"] == "zh"
    assert int(params["expires_at"]) == int(stored(app, order["number"]).expires_at.timestamp())


def test_success_and_cancel_lead_back_to_the_order_in_any_browser(app, client, standin):
    order = buy(client, (MM_C2, 300), payment_method="stripe")
    go_pay(client, order)
    params = last_checkout(standin)
    success = params["success_url"].replace("{CHECKOUT_SESSION_ID}", "cs_test_back")
    assert success.startswith(f"http://localhost/payments/{order['number']}/success?t=")
    assert query(success)["session_id"] == "cs_test_back"
    assert params["cancel_url"].startswith(f"http://localhost/payments/{order['number']}/cancel?t=")

    phone = app.test_client()  # the buyer paid in WeChat on the phone: no cookie from the shop
    back = phone.get(success)
    cancelled = phone.get(params["cancel_url"])

    assert back.status_code == 200 and "正在确认付款" in page_text(back) and order["number"] in page_text(back)
    assert cancelled.status_code == 200 and "订单已保留" in page_text(cancelled)
    link = back.get_data(as_text=True).split('class="button" href="')[1].split('"')[0].replace("&amp;", "&")
    order_page = phone.get(link)
    assert order_page.status_code == 200 and order["total"] in page_text(order_page).replace(",", "")


def test_going_to_pay_again_reuses_the_open_session(client, standin):
    order = buy(client, (MM_C2, 300), payment_method="stripe")

    first, second = go_pay(client, order), go_pay(client, order)

    assert first.location == second.location
    assert len(standin.sessions) == 1


def test_web_checkout_offers_online_payment_and_sends_the_buyer_to_stripe(app, client, standin):
    fill_cart(client, (MM_C2, 300))
    assert 'value="stripe"' in client.get("/checkout").get_data(as_text=True)
    placed = check_out_in_browser(client)
    assert placed.status_code == 303 and "/payments/" in placed.location
    number = placed.location.split("/payments/")[1].split("/")[0]

    response = client.get(placed.location)

    assert response.status_code == 303 and response.location.startswith(f"{standin.url}/pay/cs_test_")
    assert last_checkout(standin)["client_reference_id"] == number
    assert stored(app, number).stripe_session_url == response.location


@pytest.mark.parametrize("failure", [500, "drop"])
def test_stripe_down_keeps_the_order_payable_and_says_so(app, client, standin, monkeypatch, failure):
    order = buy(client, (MM_C2, 300), payment_method="stripe")
    standin.fail_with = failure

    response = go_pay(client, order)

    assert response.status_code == 303
    assert response.location.startswith(f"/orders/{order['number']}")
    page = client.get(response.location)
    assert page.status_code == 200 and "在线支付暂时无法连接，订单已保留" in page_text(page)
    kept = stored(app, order["number"])
    assert (kept.status, kept.stripe_session_id, kept.stripe_session_url) == ("pending_payment", "", "")
    assert order_json(client, order["number"])["payment"]["url"] == order["payment"]["url"]

    standin.fail_with = None  # Stripe is back; a minute later the buyer tries again
    minute = stripe_checkout.key_window()
    monkeypatch.setattr(stripe_checkout, "key_window", lambda: minute + 1)
    again = go_pay(client, order)

    assert again.status_code == 303 and again.location.startswith(f"{standin.url}/pay/")
    assert stored(app, order["number"]).stripe_session_url == again.location


def test_a_dealer_sized_order_fits_stripe_100_line_limit(app, client, standin):
    with CATALOG.open(encoding="utf-8") as f:
        skus = [row["sku"] for row in csv.DictReader(f) if row["price"]][:101]
    assert len(skus) == 101
    order = buy(client, *[(sku, 10) for sku in skus], payment_method="stripe")
    assert len(order["items"]) == 101, order

    response = go_pay(client, order)

    assert response.status_code == 303 and response.location.startswith(f"{standin.url}/pay/")
    lines = amounts(last_checkout(standin))
    assert len(lines) <= 100 and sum(lines) == fen(order["total"])


class TestWithoutStripe:
    """STRIPE_SECRET_KEY empty: Stripe is not offered, bank transfer still works."""

    @pytest.fixture
    def app_overrides(self):
        return {"STRIPE_SECRET_KEY": "", "STRIPE_WEBHOOK_SECRET": ""}

    def test_checkout_form_has_no_online_payment(self, client):
        fill_cart(client, (MM_C2, 300))

        form = client.get("/checkout").get_data(as_text=True)

        assert 'value="bank_transfer"' in form and 'value="stripe"' not in form

    def test_the_api_refuses_stripe_and_takes_bank_transfer(self, client, standin):
        refused = place(client, (MM_C2, 300), payment_method="stripe")
        placed = place(client, (MM_C2, 300), payment_method="bank_transfer")

        assert refused.status_code == 422 and refused.get_json()["error"]["code"] == "payment_unavailable"
        assert placed.status_code == 201
        assert placed.get_json()["payment"] == {"method": "bank_transfer", "url": None}
        assert standin.requests == []

    def test_a_stripe_checkout_form_post_is_refused(self, app, client):
        placed = check_out_in_browser(client, (MM_C2, 300), payment_method="stripe")

        assert placed.status_code == 422
        assert "/payments/" not in (placed.location or "")
