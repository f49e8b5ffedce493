"""The day's work at the desk: the queues, confirming transfers, dispatching and cancelling."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from shop.money import format_yuan, parse_yuan
from tests.actions import (
    PHONE,
    buy,
    cancel,
    database,
    dispatch,
    flashes,
    pay_by_transfer,
    relative,
    stock_of,
    stored,
    submit,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
SKU = "GRP-SHINE-C1"


def section(html: str, name: str) -> str:
    """One queue of the desk's front page."""
    start = html.index(f'id="queue-{name}"')
    return html[start:html.index("</section>", start)]


def queue(desk, name: str) -> str:
    return section(desk.get("/desk/").get_data(as_text=True), name)


def row_of(html: str, number: str) -> str:
    """The table row of an order in a queue."""
    at = html.index(number)
    return html[html.rindex("<tr", 0, at):html.index("</tr>", at)]


def paid_order(app, client, desk, quantity: int = 100) -> dict:
    order = buy(client, (SKU, quantity))
    assert pay_by_transfer(desk, order).status_code == 303
    return order


def due_at(app, number: str, moment: datetime) -> None:
    """Move an order's dispatch deadline, as if it had been paid at another time."""
    from shop.orders.models import Order

    with database(app) as db:
        db.session.execute(sa.update(Order).where(Order.number == number).values(dispatch_by=moment))
        db.session.commit()


# Queues


def test_bank_transfers_waiting_are_in_the_confirm_queue_and_leave_it_when_paid(app, client, desk):
    order = buy(client, (SKU, 100))
    pickup = buy(client, (SKU, 50), method="pickup")
    waiting = queue(desk, "confirm")
    assert order["number"] in waiting and pickup["number"] in waiting
    pay_by_transfer(desk, order)
    assert order["number"] not in queue(desk, "confirm")
    assert order["number"] in queue(desk, "dispatch")


def test_dispatch_queue_is_sorted_by_deadline_with_overdue_and_due_today_marked(app, client, desk):
    later, overdue, today = (paid_order(app, client, desk)["number"] for _ in range(3))
    now = datetime.now(UTC)
    end_of_today = datetime.now(SHANGHAI).replace(hour=23, minute=59, second=59).astimezone(UTC)
    due_at(app, later, end_of_today + timedelta(days=1))
    due_at(app, overdue, now - timedelta(minutes=1))
    due_at(app, today, now + (end_of_today - now) / 2)

    html = queue(desk, "dispatch")
    assert html.index(overdue) < html.index(today) < html.index(later)
    assert 'class="overdue"' in row_of(html, overdue) and "已超期" in row_of(html, overdue)
    assert 'class="due-today"' in row_of(html, today) and "今日到期" in row_of(html, today)
    assert "已超期" not in row_of(html, later) and "今日到期" not in row_of(html, later)
    assert "overdue" not in row_of(html, later) and "due-today" not in row_of(html, later)


def test_dispatched_orders_show_carrier_and_tracking_in_their_queue(app, client, desk):
    number = paid_order(app, client, desk)["number"]
    dispatch(desk, number, carrier="中通快递", tracking="ZT778899")
    html = queue(desk, "dispatched")
    assert "中通快递" in row_of(html, number) and "ZT778899" in row_of(html, number)
    assert number not in queue(desk, "dispatch")


# Confirming a transfer


def test_confirming_the_exact_amount_marks_paid_with_a_two_day_deadline(app, client, desk):
    order = buy(client, (SKU, 100))
    response = pay_by_transfer(desk, order)
    assert response.status_code == 303
    row = stored(app, order["number"])
    assert (row.status, row.payment_status, row.paid_fen) == ("awaiting_dispatch", "paid", row.total_fen)
    assert row.dispatch_by - row.paid_at == timedelta(days=2)
    assert "已确认收款" in flashes(desk, order["number"])


@pytest.mark.parametrize("off_by", [-1, 1])
def test_one_fen_off_is_a_mismatch_for_review_and_the_order_stays_unpaid(app, client, desk, off_by):
    order = buy(client, (SKU, 100))
    amount = format_yuan(parse_yuan(order["total"]) + off_by)
    assert pay_by_transfer(desk, order, amount).status_code == 303
    assert stored(app, order["number"]).status == "pending_payment"
    assert "金额与订单不符" in flashes(desk, order["number"])
    mismatches = queue(desk, "mismatch")
    assert order["number"] in mismatches and amount in mismatches


def test_a_resolved_mismatch_leaves_the_queue(app, client, desk):
    from shop.desk.models import AuditEntry
    from shop.orders.models import PaymentMismatch

    order = buy(client, (SKU, 100))
    pay_by_transfer(desk, order, "1.00")
    with database(app) as db:
        mismatch_id = db.session.execute(sa.select(PaymentMismatch.id)).scalar_one()
    resolved = submit(desk, f"/desk/mismatches/{mismatch_id}/resolve", {"note": "已退回客户"}, page="/desk/")
    assert resolved.status_code == 303
    assert order["number"] not in queue(desk, "mismatch")
    with database(app) as db:
        assert "已退回客户" in db.session.get(PaymentMismatch, mismatch_id).detail
        [audited] = db.session.execute(sa.select(AuditEntry).where(AuditEntry.action == "resolve_mismatch")).scalars()
        assert (audited.actor, audited.subject, audited.after["note"]) == ("小李", order["number"], "已退回客户")


@pytest.mark.parametrize("amount", ["", "abc", "12.345", "-5", "1e3", "9" * 12])
def test_malformed_amounts_are_shown_again_with_a_message(app, client, desk, amount):
    order = buy(client, (SKU, 100))
    response = pay_by_transfer(desk, order, amount)
    assert response.status_code == 422
    assert 'class="error"' in response.get_data(as_text=True)
    assert stored(app, order["number"]).status == "pending_payment"


def test_a_transfer_dated_tomorrow_is_refused(app, client, desk):
    order = buy(client, (SKU, 100))
    tomorrow = (datetime.now(SHANGHAI) + timedelta(days=2)).date().isoformat()
    response = submit(desk, f"/desk/orders/{order['number']}/confirm-transfer",
                      {"amount": order["total"], "received_on": tomorrow}, page=f"/desk/orders/{order['number']}")
    assert response.status_code == 303
    assert stored(app, order["number"]).status == "pending_payment"


def test_confirming_twice_does_not_pay_twice(app, client, desk):
    from shop.orders.models import Payment

    order = paid_order(app, client, desk)
    pay_by_transfer(desk, order)
    with database(app) as db:
        assert db.session.execute(sa.select(sa.func.count(Payment.id))).scalar() == 1


def test_unknown_order_is_404_at_the_desk(app, desk):
    assert desk.get("/desk/orders/MM20260101-NOSUCHORDER").status_code == 404
    for action in ("confirm-transfer", "dispatch", "cancel"):
        response = submit(desk, f"/desk/orders/MM20260101-NOSUCHORDER/{action}", {"amount": "1.00", "reason": "x"},
                          page="/desk/")
        assert response.status_code == 404


# Dispatching


def test_dispatch_records_base_carrier_tracking_and_certificate(app, client, desk):
    order = paid_order(app, client, desk)
    response = dispatch(desk, order["number"], carrier="顺丰速运", tracking="SF1234567890", cert="鲁检2026-0815",
                        base="临沭县种苗基地")
    assert response.status_code == 303
    row = stored(app, order["number"])
    assert (row.status, row.dispatch_base, row.carrier, row.tracking_number, row.quarantine_cert) == (
        "dispatched", "临沭县种苗基地", "顺丰速运", "SF1234567890", "鲁检2026-0815")
    assert row.dispatched_at is not None


def test_the_customer_sees_carrier_and_tracking_once_dispatched(app, client, desk):
    order = paid_order(app, client, desk)
    page = relative(order["contract_url"]).replace("/contract.pdf", "")
    before = app.test_client().get(page).get_data(as_text=True)
    assert 'id="tracking"' not in before and "SF1234567890" not in before
    dispatch(desk, order["number"], carrier="顺丰速运", tracking="SF1234567890")
    after = app.test_client().get(page).get_data(as_text=True)
    tracking = re.search(r'id="tracking">(.*?)</p>', after, re.S).group(1)
    assert "顺丰速运" in tracking and "SF1234567890" in tracking
    api = app.test_client().get(f"/api/v1/orders/{order['number']}", query_string={"phone": PHONE})
    assert api.get_json()["dispatch"]["tracking_number"] == "SF1234567890"


def test_an_unpaid_order_cannot_be_dispatched(app, client, desk):
    order = buy(client, (SKU, 100))
    assert dispatch(desk, order["number"]).status_code == 303
    assert stored(app, order["number"]).status == "pending_payment"
    assert "只有待发货（已付款）的订单可以发货" in flashes(desk, order["number"])


def test_dispatching_twice_keeps_the_first_record(app, client, desk):
    order = paid_order(app, client, desk)
    dispatch(desk, order["number"], tracking="FIRST001")
    dispatch(desk, order["number"], tracking="SECOND02")
    assert stored(app, order["number"]).tracking_number == "FIRST001"


@pytest.mark.parametrize("missing", ["carrier", "tracking", "cert"])
def test_dispatch_needs_every_detail(app, client, desk, missing):
    order = paid_order(app, client, desk)
    response = dispatch(desk, order["number"], **{missing: ""})
    assert response.status_code == 422
    assert stored(app, order["number"]).status == "awaiting_dispatch"


def test_dispatch_from_an_unknown_base_is_refused(app, client, desk):
    order = paid_order(app, client, desk)
    assert dispatch(desk, order["number"], base="北京基地").status_code == 422
    assert stored(app, order["number"]).status == "awaiting_dispatch"


# Cancelling


def test_cancelling_an_unpaid_order_returns_its_stock(app, client, desk):
    start = stock_of(app, SKU)
    order = buy(client, (SKU, 300))
    assert stock_of(app, SKU) == start - 300
    assert cancel(desk, order["number"], "客户改订其他品种").status_code == 303
    row = stored(app, order["number"])
    assert (row.status, row.cancel_reason) == ("cancelled", "客户改订其他品种")
    assert stock_of(app, SKU) == start
    assert order["number"] not in queue(desk, "confirm")


def test_a_paid_transfer_is_cancelled_only_with_the_refunds_bank_reference(app, client, desk):
    start = stock_of(app, SKU)
    order = paid_order(app, client, desk, 300)
    assert cancel(desk, order["number"]).status_code == 422  # the money must go back: say how
    row = stored(app, order["number"])
    assert (row.status, row.payment_status, row.refunded_fen) == ("awaiting_dispatch", "paid", 0)
    assert stock_of(app, SKU) == start - 300

    assert cancel(desk, order["number"], "客户退订", reference="退款网银 0099").status_code == 303
    row = stored(app, order["number"])
    assert (row.status, row.payment_status, row.refunded_fen) == ("cancelled", "refunded", row.paid_fen)
    assert stock_of(app, SKU) == start


def test_a_dispatched_order_cannot_be_cancelled(app, client, desk):
    order = paid_order(app, client, desk, 300)
    assert dispatch(desk, order["number"]).status_code == 303
    assert cancel(desk, order["number"], "客户退订", reference="R1").status_code == 422
    assert stored(app, order["number"]).status == "dispatched"


def test_cancelling_needs_a_reason(app, client, desk):
    order = buy(client, (SKU, 100))
    assert cancel(desk, order["number"], "").status_code == 422
    assert stored(app, order["number"]).status == "pending_payment"


def test_cancelling_twice_returns_the_stock_once(app, client, desk):
    start = stock_of(app, SKU)
    order = buy(client, (SKU, 300))
    cancel(desk, order["number"])
    cancel(desk, order["number"])
    assert stock_of(app, SKU) == start
