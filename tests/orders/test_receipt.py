"""Receipt (确认收货): by the order page's button, by the API, and by cron after RECEIPT_AUTO_DAYS."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.actions import (
    KYOHO_C2,
    SHANGHAI,
    buy,
    confirm_receipt,
    dispatch,
    order_json,
    order_page_url,
    page_text,
    pay_by_transfer,
    press_received,
    run,
    set_order,
    staff_client,
    stored,
)


def today() -> str:
    """The day in China, as the certificate's issue date is typed."""
    return datetime.now(SHANGHAI).date().isoformat()


@pytest.fixture
def desk(app):
    return staff_client(app)


@pytest.fixture
def dispatched(client, desk):
    """A paid order that has left the base."""
    order = buy(client, (KYOHO_C2, 500))
    assert pay_by_transfer(desk, order).status_code == 303
    assert dispatch(desk, order).status_code == 303
    return order


def test_the_button_on_the_order_page_completes_a_dispatched_order(app, client, dispatched):
    page = page_text(client.get(order_page_url(dispatched)))
    assert "确认收货" in page and "自动确认收货" in page

    before = datetime.now(UTC)
    response = press_received(client, dispatched)

    assert response.status_code == 303
    done = stored(app, dispatched["number"])
    assert (done.status, done.payment_status) == ("completed", "paid")
    assert before <= done.received_at <= datetime.now(UTC)
    page = page_text(client.get(order_page_url(dispatched)))
    assert "已完成" in page and "确认收货" in page and "成活率保证与品种保证自收货之日起计算" in page


def test_pressing_the_button_twice_changes_nothing(app, client, dispatched):
    press_received(client, dispatched)
    first = stored(app, dispatched["number"]).received_at
    assert press_received(client, dispatched).status_code == 303
    assert stored(app, dispatched["number"]).received_at == first


def test_an_undispatched_order_cannot_be_received_from_its_page(app, client, desk):
    order = buy(client, (KYOHO_C2, 500))
    pay_by_transfer(desk, order)
    response = press_received(client, order)
    assert response.status_code == 303
    assert "尚未发货" in page_text(client.get(response.location))
    assert stored(app, order["number"]).status == "awaiting_dispatch"


def test_the_button_needs_the_csrf_token(app, client, dispatched):
    url = order_page_url(dispatched)
    response = client.post(f"/orders/{dispatched['number']}/received?{url.split('?')[1]}")
    assert response.status_code == 400
    assert stored(app, dispatched["number"]).status == "dispatched"


def test_a_stranger_cannot_confirm_someone_elses_order(app, client, dispatched):
    stranger = app.test_client()
    response = stranger.post(f"/orders/{dispatched['number']}/received", data={})
    assert response.status_code in (302, 400)
    assert stored(app, dispatched["number"]).status == "dispatched"


def test_the_api_completes_a_dispatched_order_once(app, client, dispatched):
    response = confirm_receipt(client, dispatched)

    assert response.status_code == 200
    document = response.get_json()
    assert (document["status"], document["payment_status"]) == ("completed", "paid")
    assert document["received_at"] == stored(app, dispatched["number"]).received_at.isoformat()
    again = confirm_receipt(client, dispatched)
    assert again.status_code == 200 and again.get_json()["received_at"] == document["received_at"]
    assert order_json(client, dispatched["number"])["labels"]["status"] == "已完成（已收货）"


def test_the_api_refuses_an_undispatched_order_with_409(app, client, desk):
    order = buy(client, (KYOHO_C2, 500))
    unpaid = confirm_receipt(client, order)
    assert unpaid.status_code == 409 and unpaid.get_json()["error"]["code"] == "not_dispatched"
    pay_by_transfer(desk, order)
    assert confirm_receipt(client, order).status_code == 409
    assert stored(app, order["number"]).received_at is None


@pytest.mark.parametrize("body", [{"phone": "13900000000"}, {}, {"phone": 13812345678}, []])
def test_the_api_needs_the_buyers_phone(app, client, dispatched, body):
    response = client.post(f"/api/v1/orders/{dispatched['number']}/received", json=body)
    assert response.status_code in (400, 404)
    assert response.get_json()["error"]["code"] in ("bad_request", "not_found")
    assert stored(app, dispatched["number"]).status == "dispatched"


def test_cron_completes_only_orders_dispatched_more_than_the_receipt_days_ago(app, client, desk):
    from shop.orders import fulfilment
    from tests.actions import database

    old, young = buy(client, (KYOHO_C2, 500)), buy(client, (KYOHO_C2, 500))
    for order in (old, young):
        pay_by_transfer(desk, order)
        dispatch(desk, order)
    sent = stored(app, old["number"]).dispatched_at
    set_order(app, young["number"], dispatched_at=sent)
    with database(app) as db:
        assert fulfilment.complete_dispatched(days=10, now=sent + timedelta(days=10)) == []  # exactly 10 days
        assert fulfilment.complete_dispatched(days=10, now=sent + timedelta(days=10, seconds=1)) == [
            old["number"], young["number"]]
        db.session.rollback()

    set_order(app, old["number"], dispatched_at=datetime.now(UTC) - timedelta(days=10, minutes=1))
    set_order(app, young["number"], dispatched_at=datetime.now(UTC) - timedelta(days=9, hours=23))
    result = run(app, "orders", "complete-dispatched")

    assert result.exit_code == 0, result.output
    assert "completed 1 dispatched order" in result.output and old["number"] in result.output
    done = stored(app, old["number"])
    assert done.status == "completed"
    assert done.received_at == done.dispatched_at + timedelta(days=10)  # when the days ran out, not when cron ran
    assert stored(app, young["number"]).status == "dispatched"
    assert "completed 0" in run(app, "orders", "complete-dispatched").output


def test_the_receipt_days_follow_the_setting(app, client, desk):
    app.config["RECEIPT_AUTO_DAYS"] = 3
    order = buy(client, (KYOHO_C2, 500))
    pay_by_transfer(desk, order)
    dispatch(desk, order)
    set_order(app, order["number"], dispatched_at=datetime.now(UTC) - timedelta(days=3, minutes=1))
    assert order["number"] in run(app, "orders", "complete-dispatched").output


def test_receipt_is_audited_with_who_confirmed(app, client, dispatched):
    import sqlalchemy as sa

    from shop.desk.models import AuditEntry
    from tests.actions import database

    confirm_receipt(client, dispatched)
    with database(app) as db:
        [entry] = db.session.execute(sa.select(AuditEntry).where(
            AuditEntry.action == "receive", AuditEntry.subject == dispatched["number"])).scalars()
        assert (entry.before["status"], entry.after["status"]) == ("dispatched", "completed")
        assert entry.actor == "buyer 5678"


def test_operators_dispatch_from_the_command_line(app, client, desk):
    order = buy(client, (KYOHO_C2, 500))
    refused = run(app, "orders", "dispatch", order["number"], "--base", "平邑", "--carrier", "顺丰",
                  "--tracking", "SF1", "--cert", "鲁检-1", "--cert-date", today(), "--by", "老王")
    assert refused.exit_code != 0 and "不能发货" in refused.output  # unpaid
    pay_by_transfer(desk, order)
    unknown = run(app, "orders", "dispatch", order["number"], "--base", "北京", "--carrier", "顺丰",
                  "--tracking", "SF1", "--cert", "鲁检-1", "--cert-date", today(), "--by", "老王")
    assert unknown.exit_code != 0 and "基地" in unknown.output

    result = run(app, "orders", "dispatch", order["number"], "--base", "平邑", "--carrier", "顺丰",
                 "--tracking", "SF1", "--cert", "鲁检-1", "--cert-date", today(), "--by", "老王")

    assert result.exit_code == 0, result.output
    sent = stored(app, order["number"])
    assert (sent.status, sent.dispatch_base, sent.tracking_number, sent.quarantine_cert) == (
        "dispatched", "平邑县种苗基地", "SF1", "鲁检-1")


def test_operators_cancel_from_the_command_line_and_the_stock_returns(app, client):
    from tests.actions import stock_of

    start = stock_of(app, KYOHO_C2)
    order = buy(client, (KYOHO_C2, 500))
    assert run(app, "orders", "cancel", order["number"], "--reason", "", "--by", "老王").exit_code != 0
    result = run(app, "orders", "cancel", order["number"], "--reason", "客户来电取消", "--by", "老王")
    assert result.exit_code == 0, result.output
    assert stored(app, order["number"]).status == "cancelled" and stock_of(app, KYOHO_C2) == start
    again = run(app, "orders", "cancel", order["number"], "--reason", "再取消", "--by", "老王")
    assert again.exit_code != 0 and "不能取消" in again.output
    assert stock_of(app, KYOHO_C2) == start
