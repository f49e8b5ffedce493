"""Bank transfer (银行汇款): the order page says where and how much to pay; staff confirm what arrived."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tests.actions import MM_C2, buy, fen, order_json, page_text, query, rows, stored

ACCOUNTS = "中国农业银行平邑支行 户名:示例果树种苗场 账号:6228 0000 1111|中国邮政储蓄银行 账号:6210 2222 3333"


@pytest.fixture
def app_overrides():
    """Stripe off; the nursery's two (fictitious) accounts configured."""
    return {"STRIPE_SECRET_KEY": "", "SELLER_BANK_ACCOUNTS": ACCOUNTS}


@pytest.fixture
def order(client):
    """A ¥300 goods order placed through the API, to be paid by bank transfer."""
    return buy(client, (MM_C2, 300), payment_method="bank_transfer")


def order_page(client, order) -> str:
    """The buyer opens the order's page from the link the shop gave them."""
    token = query(order["contract_url"])["t"]
    response = client.get(f"/orders/{order['number']}", query_string={"t": token})
    assert response.status_code == 200
    return page_text(response)


def confirm(runner, number: str, amount: str, *extra: str):
    """Staff run `flask orders confirm-transfer NUMBER --amount … --by 张三`."""
    return runner.invoke(args=["orders", "confirm-transfer", number, "--amount", amount, "--by", "张三", *extra])


def test_the_order_page_shows_the_accounts_the_exact_amount_and_the_note(client, order):
    page = order_page(client, order)

    assert "中国农业银行平邑支行 户名:示例果树种苗场 账号:6228 0000 1111" in page
    assert "中国邮政储蓄银行 账号:6210 2222 3333" in page and "|" not in page.split("银行汇款")[1].split("款到后")[0]
    total = f"¥{int(order['total'].split('.')[0]):,}.{order['total'].split('.')[1]}"
    assert f"请汇款 {total}" in page
    assert f"汇款附言请写订单号 {order['number']}" in page


def test_staff_confirm_the_exact_amount_and_the_order_is_paid_once(app, client, runner, order):
    before = datetime.now(UTC)

    first = confirm(runner, order["number"], order["total"], "--reference", "NB2025-88")
    second = confirm(runner, order["number"], order["total"], "--reference", "NB2025-88")

    assert first.exit_code == 0 and "paid" in first.output and "dispatch by" in first.output
    assert second.exit_code == 0 and "already_paid" in second.output
    [payment] = rows(app, "Payment", order["number"])
    assert (payment.method, payment.amount_fen, payment.confirmed_by) == ("bank_transfer", fen(order["total"]), "张三")
    assert payment.reference == "NB2025-88"
    assert abs(date.fromisoformat(payment.received_on) - before.date()) <= timedelta(days=1)  # today, by default
    paid = stored(app, order["number"])
    assert (paid.status, paid.payment_status) == ("awaiting_dispatch", "paid")
    assert before <= paid.paid_at <= datetime.now(UTC)
    assert paid.dispatch_by == paid.paid_at + timedelta(days=2)
    shown = order_json(client, order["number"])
    assert (shown["paid_at"], shown["dispatch_by"]) == (paid.paid_at.isoformat(), paid.dispatch_by.isoformat())
    page = order_page(client, order)
    assert "状态： 待发货" in page and "付款： 已付款" in page
    assert rows(app, "PaymentMismatch", order["number"]) == []


@pytest.mark.parametrize("delta_fen", [-1, +1, -fen("100.00")])
def test_a_wrong_amount_is_recorded_as_a_mismatch_and_the_order_stays_unpaid(app, runner, order, delta_fen):
    amount = fen(order["total"]) + delta_fen

    result = confirm(runner, order["number"], f"{amount // 100}.{amount % 100:02d}")

    assert result.exit_code == 0 and "mismatch" in result.output and "pending_payment" in result.output
    assert stored(app, order["number"]).status == "pending_payment"
    assert rows(app, "Payment", order["number"]) == []
    [mismatch] = rows(app, "PaymentMismatch", order["number"])
    assert (mismatch.source, mismatch.kind) == ("bank_transfer", "amount")


def test_an_unknown_order_is_a_clear_error(runner):
    result = confirm(runner, "MM20250101-XXXXXXXXXX", "1234.50")

    assert result.exit_code != 0
    assert "没有订单 MM20250101-XXXXXXXXXX" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(("args", "message"), [
    (("--amount", "12.345"), "two decimals"), (("--amount", "abc"), "not an amount"),
    (("--amount", "0"), "above zero"), (("--date", "2025-02-30"), ""), (("--by", " "), "确认人")])
def test_bad_input_is_refused_without_paying(app, runner, order, args, message):
    values = {"--amount": order["total"], "--by": "张三", **dict([args])}
    result = runner.invoke(args=["orders", "confirm-transfer", order["number"], *sum(values.items(), ())])

    assert result.exit_code != 0 and message in result.output and "Traceback" not in result.output
    assert stored(app, order["number"]).status == "pending_payment"


def test_a_date_in_the_future_is_refused(app, runner, order):
    tomorrow = (datetime.now(UTC) + timedelta(hours=8) + timedelta(days=1)).date()

    result = confirm(runner, order["number"], order["total"], "--date", tomorrow.isoformat())

    assert result.exit_code != 0 and "future" in result.output
    assert stored(app, order["number"]).status == "pending_payment"


def test_today_means_today_in_china_even_before_utc_midnight(app, order):
    from shop.extensions import db
    from shop.payments.transfers import TransferError, confirm_transfer

    one_am_in_shanghai = datetime(2025, 3, 1, 17, 0, tzinfo=UTC)  # 2025-03-02 01:00 Asia/Shanghai
    with app.app_context():
        with pytest.raises(TransferError):
            confirm_transfer(order["number"], amount_fen=fen(order["total"]), received_on=date(2025, 3, 3),
                             reference="", actor="张三", now=one_am_in_shanghai)
        outcome = confirm_transfer(order["number"], amount_fen=fen(order["total"]), received_on=date(2025, 3, 2),
                                   reference="", actor="张三", now=one_am_in_shanghai)
        db.session.commit()

    assert outcome == "paid"
    [payment] = rows(app, "Payment", order["number"])
    assert (payment.received_on, payment.reference) == ("2025-03-02", order["number"])


def test_the_real_flask_command_confirms_a_transfer(app, order):
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "STRIPE_SECRET_KEY": ""}
    flask = [sys.executable, "-m", "flask", "--app", "wsgi", "orders", "confirm-transfer", order["number"],
             "--amount", order["total"], "--by", "张三", "--date", "2025-03-02", "--reference", "银行流水 0042"]

    done = subprocess.run(flask, cwd=root, env=env, capture_output=True, text=True, timeout=120)

    assert done.returncode == 0, done.stderr
    assert f"{order['number']}: paid; status awaiting_dispatch, payment paid" in done.stdout
    [payment] = rows(app, "Payment", order["number"])
    assert (payment.received_on, payment.reference) == ("2025-03-02", "银行流水 0042")
