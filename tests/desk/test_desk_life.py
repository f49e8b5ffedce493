"""The desk shows an order's life in words (never codes or ids) and offers the actions its state allows."""

from __future__ import annotations

import re

import pytest

from tests.actions import (
    KYOHO_C2,
    buy,
    confirm_receipt,
    dispatch,
    pay_by_transfer,
    refund,
    staff_client,
    stored,
)

CODES = ("pending_payment", "awaiting_dispatch", "dispatched", "completed", "cancelled", "unpaid",
         "partially_refunded", "refunded", "on_account", "bank_transfer", "stripe")


@pytest.fixture
def desk(app):
    return staff_client(app)


def visible(desk, url: str) -> str:
    """The page's text without tags and attribute values (data-status holds codes for scripts and tests)."""
    page = desk.get(url).get_data(as_text=True)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def forms(desk, number: str) -> set[str]:
    page = desk.get(f"/desk/orders/{number}").get_data(as_text=True)
    return set(re.findall(r'id="(confirm-form|dispatch-form|refund-form|cancel-form)"', page))


def test_each_state_offers_its_actions_and_is_named_in_words(app, client, desk):
    order = buy(client, (KYOHO_C2, 500))
    number = order["number"]
    assert forms(desk, number) == {"confirm-form", "cancel-form"}
    pay_by_transfer(desk, order)
    assert forms(desk, number) == {"dispatch-form", "refund-form", "cancel-form"}
    dispatch(desk, order)
    assert forms(desk, number) == {"refund-form"}
    text = visible(desk, f"/desk/orders/{number}")
    assert "已发货" in text and "已付款" in text and "银行汇款" in text and "邮寄" in text
    assert "平邑 500" in text  # where the plants were held, by the base's name
    refund(desk, order, "10.00", "少发", reference="退款网银 5")
    confirm_receipt(client, order)
    text = visible(desk, f"/desk/orders/{number}")
    assert "已完成（已收货）" in text and "部分退款" in text and "退款记录" in text and "退款网银 5" in text
    for code in CODES:
        assert not re.search(rf"\b{code}\b", text), code
    assert forms(desk, number) == {"refund-form"}  # money left to refund after receipt (e.g. a claim)
    refund(desk, order, "", "全部退款", reference="退款网银 6")
    assert forms(desk, number) == set() and stored(app, number).payment_status == "refunded"


def test_the_queues_use_the_new_statuses(app, client, desk):
    waiting, paid = buy(client, (KYOHO_C2, 500)), buy(client, (KYOHO_C2, 500))
    pay_by_transfer(desk, paid)
    page = desk.get("/desk/").get_data(as_text=True)
    confirm = page.split('id="queue-confirm"')[1].split("</section>")[0]
    to_dispatch = page.split('id="queue-dispatch"')[1].split("</section>")[0]
    assert waiting["number"] in confirm and paid["number"] not in confirm
    assert paid["number"] in to_dispatch and waiting["number"] not in to_dispatch
    assert "款到两日内发货" in page


def test_refund_and_cancel_forms_need_csrf(app, client, desk):
    order = buy(client, (KYOHO_C2, 500))
    pay_by_transfer(desk, order)
    for action in ("refund", "cancel"):
        response = desk.post(f"/desk/orders/{order['number']}/{action}", data={"reason": "x", "reference": "r"})
        assert response.status_code == 400
    assert stored(app, order["number"]).status == "awaiting_dispatch"


def test_a_refund_needs_a_reason(app, client, desk):
    order = buy(client, (KYOHO_C2, 500))
    pay_by_transfer(desk, order)
    dispatch(desk, order)
    response = refund(desk, order, "10.00", "", reference="R")
    assert response.status_code == 422 and "请填写退款原因" in response.get_data(as_text=True)
    assert stored(app, order["number"]).refunded_fen == 0
