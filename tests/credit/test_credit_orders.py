"""Credit orders (账期) end to end: granted, refused, never overdrawn under concurrency, overdue, settled oldest
first by payments on account, freed by cancellation. Both databases."""

from __future__ import annotations

import http.client
import json
import threading
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from tests.actions import (
    CREDIT_DEALER_PHONE,
    KYOHO_C2,
    credit_body,
    credit_dealer,
    credit_of,
    dispatch_on_account,
    fen,
    grant_credit,
    order_body,
    order_on_account,
    pay_on_account,
    pdf_text,
    relative,
    run,
    stored,
)
from tests.actions.records import database

KYOHO_20 = 840  # 20 巨峰 cuttings at the dealer price (¥0.60 × 0.7), fen


def test_a_credit_order_waits_for_dispatch_on_account_and_falls_due_the_terms_after_dispatch(app, client):
    token = credit_dealer(app, limit="1000.00", terms_days=45)
    before = datetime.now(UTC)
    response = order_on_account(client, token)
    assert response.status_code == 201, response.get_json()
    order = response.get_json()
    assert (order["status"], order["payment_status"]) == ("awaiting_dispatch", "on_account")
    assert order["labels"]["payment_status"] == "账期（挂账）"
    assert order["payment"]["method"] == "credit" and order["payment"]["url"] is None
    placed = datetime.fromisoformat(order["created_at"])
    assert datetime.fromisoformat(order["dispatch_by"]) == placed + timedelta(days=2)  # placed + 2 days on credit
    assert placed >= before - timedelta(seconds=1) and order["due_at"] is None
    assert credit_of(client, token)["outstanding"] == order["total"] == "8.40"

    dispatch_on_account(app, order["number"], at=placed + timedelta(hours=5))
    kept = stored(app, order["number"])
    assert kept.due_at == placed + timedelta(hours=5, days=45)
    shown = client.get(f"/api/v1/orders/{order['number']}", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert datetime.fromisoformat(shown["due_at"]) == kept.due_at


@pytest.mark.parametrize("who", ["retail", "dealer without a limit", "suspended dealer"])
def test_credit_is_not_granted_to_retail_buyers_or_dealers_without_an_approved_limit(app, client, who):
    headers = {}
    if who != "retail":
        token = credit_dealer(app, limit="" if who == "dealer without a limit" else "500.00")
        headers = {"Authorization": f"Bearer {token}"}
        if who == "suspended dealer":
            assert run(app, "dealers", "suspend", CREDIT_DEALER_PHONE).exit_code == 0
    body = order_body((KYOHO_C2, 20), method="pickup", payment_method="credit")
    response = client.post("/api/v1/orders", json=body, headers=headers)
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "credit_not_granted"
    with database(app) as db:
        assert db.session.execute(sa.text("SELECT COUNT(*) FROM orders")).scalar() == 0


def test_an_order_over_what_is_available_is_refused_saying_what_is_available(app, client):
    token = credit_dealer(app, limit="10.00")
    assert order_on_account(client, token).status_code == 201  # 8.40 of 10.00
    refused = order_on_account(client, token, (KYOHO_C2, 5))  # 2.10 > 1.60 available
    assert refused.status_code == 422
    error = refused.get_json()["error"]
    assert error["code"] == "credit_limit_exceeded"
    assert "可用 ¥1.60" in error["message"]
    english = client.post("/api/v1/orders?lang=en", json=credit_body((KYOHO_C2, 5)),
                          headers={"Authorization": f"Bearer {token}"}).get_json()["error"]
    assert "1.60 yuan" in english["message"]
    over = order_on_account(client, token, (KYOHO_C2, 4))  # 4 × 0.42 = 1.68: 8 fen over
    assert over.status_code == 422 and over.get_json()["error"]["code"] == "credit_limit_exceeded"
    fits = order_on_account(client, token, (KYOHO_C2, 3))  # 1.26 ≤ 1.60
    assert fits.status_code == 201
    assert credit_of(client, token)["available"] == "0.34"


# --- never overdrawn ---------------------------------------------------------------------------------------------

@pytest.fixture
def server(app):
    """The shop served by werkzeug with a thread per request, on a free local port."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_port
    httpd.shutdown()
    thread.join(timeout=10)


def _post(port: int, body: dict, token: str) -> tuple[int, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request("POST", "/api/v1/orders", body=json.dumps(body),
                           headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
        response = connection.getresponse()
        raw = response.read()
        return response.status, json.loads(raw) if raw else {}
    finally:
        connection.close()


def test_ten_racing_credit_orders_of_30_percent_of_the_limit_accept_exactly_three(app, client, server):
    token = credit_dealer(app, limit="28.00")  # each order is 8.40: 30% of the limit
    start = threading.Barrier(10)
    results: list = [None] * 10

    def dealer_terminal(i: int) -> None:
        start.wait()
        try:
            results[i] = _post(server, credit_body((KYOHO_C2, 20)), token)
        except Exception as err:  # a dropped connection is the server's failure
            results[i] = (599, {"error": {"code": repr(err)}})

    threads = [threading.Thread(target=dealer_terminal, args=(i,)) for i in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=180)
    statuses = sorted(status for status, _ in results)
    assert statuses == [201] * 3 + [422] * 7, results
    assert {body["error"]["code"] for status, body in results if status == 422} == {"credit_limit_exceeded"}
    accepted = [body for status, body in results if status == 201]
    credit = credit_of(client, token)
    assert fen(credit["outstanding"]) == sum(fen(o["total"]) for o in accepted) == 3 * KYOHO_20
    with database(app) as db:
        assert db.session.execute(sa.text("SELECT COUNT(*) FROM orders WHERE payment_method = 'credit'")).scalar() == 3


# --- overdue -----------------------------------------------------------------------------------------------------

def test_an_overdue_dealer_is_refused_until_a_payment_covers_what_is_overdue(app, client):
    token = credit_dealer(app, limit="1000.00", terms_days=30)
    first = order_on_account(client, token).get_json()
    now = datetime.now(UTC)
    # Dispatched 30 days ago less a minute: due in a minute, not overdue yet.
    dispatch_on_account(app, first["number"], at=now - timedelta(days=30) + timedelta(minutes=1))
    assert order_on_account(client, token, (KYOHO_C2, 1)).status_code == 201
    assert credit_of(client, token)["overdue"] == "0.00"

    # The same order dispatched a day earlier: a day past due.
    with database(app) as db:
        db.session.execute(sa.text("UPDATE orders SET due_at = :due WHERE number = :n"),
                           {"due": now - timedelta(days=1), "n": first["number"]})
        db.session.commit()
    credit = credit_of(client, token)
    assert (credit["overdue"], credit["oldest_overdue_days"], credit["warning"]) == ("8.40", 1, True)
    refused = order_on_account(client, token, (KYOHO_C2, 1))
    assert refused.status_code == 422 and refused.get_json()["error"]["code"] == "credit_overdue"
    assert "¥8.40" in refused.get_json()["error"]["message"]

    assert pay_on_account(app, CREDIT_DEALER_PHONE, "8.39", reference="HX001").exit_code == 0  # a fen short
    assert order_on_account(client, token, (KYOHO_C2, 1)).get_json()["error"]["code"] == "credit_overdue"
    assert pay_on_account(app, CREDIT_DEALER_PHONE, "0.01", reference="HX002").exit_code == 0
    assert order_on_account(client, token, (KYOHO_C2, 1)).status_code == 201
    assert stored(app, first["number"]).payment_status == "paid"


# --- payments on account ----------------------------------------------------------------------------------------

def test_payments_settle_the_oldest_orders_first_partly_and_an_overpayment_stays_as_balance(app, client):
    token = credit_dealer(app, limit="1000.00")
    numbers = [order_on_account(client, token, (KYOHO_C2, n)).get_json()["number"] for n in (20, 10, 5)]
    # 8.40, 4.20, 2.10 owed: pay 10.00 → the first in full, 1.60 of the second.
    result = pay_on_account(app, CREDIT_DEALER_PHONE, "10.00", reference="BOC-0001", date="2026-11-30")
    assert result.exit_code == 0, result.output
    assert numbers[0] in result.output
    first, second, third = (stored(app, n) for n in numbers)
    assert (first.payment_status, first.paid_fen) == ("paid", 840)
    assert (second.payment_status, second.paid_fen) == ("on_account", 160)
    assert (third.payment_status, third.paid_fen) == ("on_account", 0)
    credit = credit_of(client, token)
    assert (credit["outstanding"], credit["balance"], credit["available"]) == ("4.70", "0.00", "995.30")

    # 10.00 more: the second and third settle, 5.30 stays as the dealer's balance…
    assert pay_on_account(app, CREDIT_DEALER_PHONE, "10.00", reference="BOC-0002").exit_code == 0
    assert [stored(app, n).payment_status for n in numbers] == ["paid", "paid", "paid"]
    credit = credit_of(client, token)
    assert (credit["outstanding"], credit["balance"], credit["available"]) == ("0.00", "5.30", "1005.30")
    # … which settles the next order as it is placed: 4.20 in full, then 1.10 of 2.10.
    fourth = order_on_account(client, token, (KYOHO_C2, 10)).get_json()
    assert fourth["payment_status"] == "paid"
    fifth = order_on_account(client, token, (KYOHO_C2, 5)).get_json()
    assert (fifth["payment_status"], fifth["paid_amount"]) == ("on_account", "1.10")
    credit = credit_of(client, token)
    assert (credit["outstanding"], credit["balance"]) == ("1.00", "0.00")


def test_recording_a_payment_is_audited_and_bad_input_is_refused_plainly(app, client):
    credit_dealer(app, limit="100.00")
    tomorrow = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()
    assert "不能晚于今天" in pay_on_account(app, CREDIT_DEALER_PHONE, "10.00", date=tomorrow).output
    for amount in ("0", "-5", "abc", "1.001"):
        refused = pay_on_account(app, CREDIT_DEALER_PHONE, amount)
        assert refused.exit_code != 0 and "Traceback" not in refused.output
    assert pay_on_account(app, "13800000000", "1.00").exit_code != 0  # no such dealer
    assert pay_on_account(app, CREDIT_DEALER_PHONE, "12.34", reference="ICBC-77").exit_code == 0
    with database(app) as db:
        entry = db.session.execute(sa.text("SELECT actor, after FROM audit_entry WHERE action = "
                                           "'record_account_payment'")).one()
    assert entry.actor == "会计小李"
    assert "12.34" in str(entry.after) and "ICBC-77" in str(entry.after)


def test_set_credit_is_audited_with_before_and_after_and_refuses_bad_figures(app):
    credit_dealer(app)
    grant_credit(app, CREDIT_DEALER_PHONE, "50000.00", terms_days=30)
    grant_credit(app, CREDIT_DEALER_PHONE, "80000.00", terms_days=45, by="admin2")
    with database(app) as db:
        rows = db.session.execute(sa.text("SELECT actor, before, after FROM audit_entry WHERE action = 'set_credit' "
                                          "ORDER BY id")).all()
    assert [r.actor for r in rows] == ["admin", "admin2"]
    last = [json.loads(r) if isinstance(r, str) else r for r in (rows[1].before, rows[1].after)]
    assert last == [{"limit": "50000.00", "terms_days": 30}, {"limit": "80000.00", "terms_days": 45}]
    for args in (["--limit", "-1"], ["--limit", "abc"], ["--limit", "100", "--terms-days", "366"],
                 ["--limit", "100", "--terms-days", "-1"]):
        refused = run(app, "dealers", "set-credit", CREDIT_DEALER_PHONE, *args)
        assert refused.exit_code != 0 and "Traceback" not in refused.output, args
    pending = run(app, "dealers", "suspend", CREDIT_DEALER_PHONE)
    assert pending.exit_code == 0
    assert "approved" in run(app, "dealers", "set-credit", CREDIT_DEALER_PHONE, "--limit", "10").output


# --- cancelling -----------------------------------------------------------------------------------------------------

def test_cancelling_a_credit_order_frees_its_amount(app, client):
    token = credit_dealer(app, limit="8.40")
    first = order_on_account(client, token).get_json()
    assert order_on_account(client, token, (KYOHO_C2, 1)).get_json()["error"]["code"] == "credit_limit_exceeded"
    cancelled = run(app, "orders", "cancel", first["number"], "--reason", "代理商改单", "--by", "staff")
    assert cancelled.exit_code == 0, cancelled.output
    kept = stored(app, first["number"])
    assert (kept.status, kept.payment_status, kept.refunded_fen) == ("cancelled", "unpaid", 0)
    assert credit_of(client, token)["outstanding"] == "0.00"
    assert order_on_account(client, token).status_code == 201


def test_cancelling_a_settled_credit_order_returns_its_money_to_the_balance(app, client):
    token = credit_dealer(app, limit="100.00")
    first = order_on_account(client, token).get_json()
    second = order_on_account(client, token, (KYOHO_C2, 10)).get_json()
    assert pay_on_account(app, CREDIT_DEALER_PHONE, "10.00").exit_code == 0  # first paid, 1.60 of the second
    assert run(app, "orders", "cancel", first["number"], "--reason", "缺货改期", "--by", "staff").exit_code == 0
    kept = stored(app, first["number"])
    assert (kept.status, kept.payment_status, kept.refunded_fen) == ("cancelled", "refunded", 840)
    # The 8.40 it had taken now settles the second order (4.20) and 5.80 stays as balance.
    assert stored(app, second["number"]).payment_status == "paid"
    credit = credit_of(client, token)
    assert (credit["outstanding"], credit["balance"]) == ("0.00", "5.80")


def test_the_contract_of_a_credit_order_states_the_terms_and_after_dispatch_the_due_date(app, client):
    token = credit_dealer(app, limit="1000.00", terms_days=45)
    order = order_on_account(client, token).get_json()
    text = pdf_text(client.get(relative(order["contract_url"])).data).replace(" ", "")
    assert "付款方式：账期（赊购）" in text and "付款状态：账期（挂账）" in text
    assert "甲方发货后45日内付清货款" in text and "到期日" not in text
    assert "账期订单自下单之时起两日内发货" in text
    dispatch_on_account(app, order["number"], at=datetime(2026, 11, 20, 2, 0, tzinfo=UTC))
    text = pdf_text(client.get(relative(order["contract_url"])).data).replace(" ", "")
    assert "到期日：2027-01-04" in text  # 20 November + 45 days


def test_an_order_that_took_the_lock_first_is_settled_first_whatever_its_clock_says(app, client):
    """A request that began earlier but waited for the dealer's lock is placed after the one that got it."""
    from shop.dealers import accounts
    from shop.dealers.context import BuyerContext
    from shop.orders import service

    token = credit_dealer(app, limit="100.00")
    assert pay_on_account(app, CREDIT_DEALER_PHONE, "10.00").exit_code == 0
    first = order_on_account(client, token).get_json()  # 8.40: settled from the balance at once
    assert first["payment_status"] == "paid"
    with database(app) as db:
        dealer = accounts.by_phone(CREDIT_DEALER_PHONE)
        began = datetime.fromisoformat(first["created_at"]) - timedelta(seconds=1)
        second = service.place([(KYOHO_C2, 10)], buyer=service.Buyer(name="钱经理", phone=CREDIT_DEALER_PHONE),
                               method="pickup", payment_method="credit", pickup_base="平邑",
                               context=BuyerContext.of(dealer), now=began)
        db.session.commit()
        number = second.number
    assert stored(app, first["number"]).payment_status == "paid"
    later = stored(app, number)
    assert (later.payment_status, later.paid_fen) == ("on_account", 160)  # what was left of the 10.00
    assert credit_of(client, token)["outstanding"] == "2.60"


def test_money_returned_to_the_account_settles_the_next_unpaid_order_at_once(app, client):
    token = credit_dealer(app, limit="100.00")
    first = order_on_account(client, token).get_json()  # 8.40
    second = order_on_account(client, token, (KYOHO_C2, 10)).get_json()  # 4.20
    assert pay_on_account(app, CREDIT_DEALER_PHONE, "8.40").exit_code == 0
    dispatch_on_account(app, first["number"], at=datetime.now(UTC))
    refunded = run(app, "orders", "refund", first["number"], "--amount", "5.00", "--reason", "到货少苗", "--by", "小李")
    assert refunded.exit_code == 0, refunded.output
    assert stored(app, first["number"]).payment_status == "partially_refunded"
    assert stored(app, second["number"]).payment_status == "paid"  # 5.00 back in the account covers its 4.20
    assert (credit_of(client, token)["outstanding"], credit_of(client, token)["balance"]) == ("0.00", "0.80")
