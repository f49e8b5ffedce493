"""The buyer cancels an unpaid order, on its page or through the API; a paid one only the nursery cancels."""

from __future__ import annotations

import pytest

from tests.actions import (
    KYOHO_C2,
    buy,
    order_page_url,
    page_text,
    pay_by_transfer,
    query,
    staff_client,
    stock_of,
    stored,
    submit,
)


def press_cancel(client, order: dict):
    url = order_page_url(order)
    return submit(client, f"/orders/{order['number']}/cancel?t={query(url)['t']}", page="/orders/find")


def test_the_buyer_cancels_an_unpaid_order_from_its_page_and_the_stock_returns(app, client):
    start = stock_of(app, KYOHO_C2)
    order = buy(client, (KYOHO_C2, 500))
    assert 'id="cancel-form"' in client.get(order_page_url(order)).get_data(as_text=True)

    response = press_cancel(client, order)

    assert response.status_code == 303
    gone = stored(app, order["number"])
    assert (gone.status, gone.payment_status, gone.cancel_reason) == ("cancelled", "unpaid", "买家取消 (cancelled by the buyer)")
    assert stock_of(app, KYOHO_C2) == start
    page = page_text(client.get(order_page_url(order)))
    assert "订单已取消" in page and 'id="cancel-form"' not in client.get(order_page_url(order)).get_data(as_text=True)


def test_a_paid_order_is_not_cancelled_by_the_buyer(app, client):
    order = buy(client, (KYOHO_C2, 500))
    pay_by_transfer(staff_client(app), order)
    response = press_cancel(client, order)
    assert "请联系我们取消" in page_text(client.get(response.location))
    assert stored(app, order["number"]).status == "awaiting_dispatch"
    api = client.post(f"/api/v1/orders/{order['number']}/cancel", json={"phone": "13812345678"})
    assert api.status_code == 409 and api.get_json()["error"]["code"] == "not_cancellable"
    assert stored(app, order["number"]).status == "awaiting_dispatch"


def test_the_api_cancels_an_unpaid_order_for_its_buyer_only(app, client):
    start = stock_of(app, KYOHO_C2)
    order = buy(client, (KYOHO_C2, 500))
    wrong = client.post(f"/api/v1/orders/{order['number']}/cancel", json={"phone": "13900000000"})
    assert wrong.status_code == 404 and stored(app, order["number"]).status == "pending_payment"

    response = client.post(f"/api/v1/orders/{order['number']}/cancel", json={"phone": "13812345678"})

    assert response.status_code == 200 and response.get_json()["status"] == "cancelled"
    assert stock_of(app, KYOHO_C2) == start
    again = client.post(f"/api/v1/orders/{order['number']}/cancel", json={"phone": "13812345678"})
    assert again.status_code == 409 and stock_of(app, KYOHO_C2) == start


@pytest.mark.parametrize("body", [None, [], {"phone": None}])
def test_the_cancel_api_refuses_a_malformed_body(client, body):
    order = buy(client, (KYOHO_C2, 500))
    response = client.post(f"/api/v1/orders/{order['number']}/cancel", json=body)
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "bad_request"
