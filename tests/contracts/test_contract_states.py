"""The contract of an order in each state of its life prints the right payment status and delivery terms."""

from __future__ import annotations

import re

import pytest

from tests.actions import (
    KYOHO_C2,
    buy,
    cancel,
    confirm_receipt,
    dispatch,
    pay_by_transfer,
    pdf_text,
    refund,
    relative,
    staff_client,
    stored,
)


def printed(client, order: dict) -> str:
    """The contract the buyer downloads, as text with the line breaks of the layout removed."""
    response = client.get(relative(order["contract_url"]))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return re.sub(r"\s+", "", pdf_text(response.data))


def unpaid(client, desk):
    return buy(client, (KYOHO_C2, 500))


def paid(client, desk):
    order = unpaid(client, desk)
    assert pay_by_transfer(desk, order).status_code == 303
    return order


def dispatched(client, desk):
    order = paid(client, desk)
    assert dispatch(desk, order, carrier="顺丰速运", tracking="SF20261201").status_code == 303
    return order


def completed(client, desk):
    order = dispatched(client, desk)
    assert confirm_receipt(client, order).status_code == 200
    return order


def partially_refunded(client, desk):
    order = dispatched(client, desk)
    assert refund(desk, order, "50.00", "少发", reference="退款网银 1").status_code == 303
    return order


def refunded(client, desk):
    order = dispatched(client, desk)
    assert refund(desk, order, "", "全部退款", reference="退款网银 2").status_code == 303
    return order


def cancelled(client, desk):
    order = unpaid(client, desk)
    assert cancel(desk, order, "客户取消").status_code == 303
    return order


def cancelled_after_payment(client, desk):
    order = paid(client, desk)
    assert cancel(desk, order, "客户取消", reference="退款网银 3").status_code == 303
    return order


# (how to get there, 付款状态, 订单状态, what the delivery clause says, what it must not say)
STATES = [
    (unpaid, "未付款", "待付款", "款到两日内发货(自甲方收到全部货款之时起计算)", "不迟于"),
    (paid, "已付款", "待发货", "款到两日内发货，即甲方不迟于", "已于"),
    (dispatched, "已付款", "已发货", "甲方已于", "确认收货"),
    (completed, "已付款", "已完成（已收货）", "确认收货", "不迟于"),
    (partially_refunded, "部分退款", "已发货", "甲方已于", "不迟于"),
    (refunded, "已全额退款", "已发货", "甲方已于", "不迟于"),
    (cancelled, "未付款", "已取消", "取消，甲方不再发货", "不迟于"),
    (cancelled_after_payment, "已全额退款", "已取消", "取消，甲方不再发货", "不迟于"),
]


@pytest.mark.parametrize(("reach", "payment", "status", "delivery", "absent"), STATES,
                         ids=[s[0].__name__ for s in STATES])
def test_the_contract_prints_payment_status_and_delivery_terms_of_each_state(app, client, reach, payment, status,
                                                                             delivery, absent):
    desk = staff_client(app)
    order = reach(client, desk)
    text = printed(client, order)
    row = stored(app, order["number"])

    assert f"付款状态：{payment}" in text
    assert f"订单状态：{status}" in text
    assert delivery in text
    assert absent not in text.split("一、交货与包装")[1].split("二、")[0]
    if row.dispatched_at:
        assert "SF20261201" in text and "顺丰速运" in text
    if row.refunded_fen:
        assert "已退款" in text
    if row.status == "pending_payment":
        assert "请汇入甲方上列账户" in text
    else:
        assert "请汇入甲方上列账户" not in text
