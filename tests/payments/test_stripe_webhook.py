"""POST /payments/stripe/webhook: signed events mark an order paid exactly once, and only for the right money."""

from __future__ import annotations

import threading
import time
import urllib.request
from datetime import timedelta

import pytest
from stripe_standin import make_event
from werkzeug.serving import make_server

from tests.actions import (
    MM_C2,
    buy,
    fen,
    go_pay,
    order_json,
    page_text,
    query,
    rows,
    session_for,
    signed,
    stored,
    stripe_sends,
)

PAID, ASYNC_PAID = "checkout.session.completed", "checkout.session.async_payment_succeeded"


@pytest.fixture
def order(client):
    """A ¥300 goods order (plus postage) placed through the API, to be paid by Stripe."""
    return buy(client, (MM_C2, 300), payment_method="stripe")


def test_a_paid_session_marks_the_order_paid_and_starts_the_dispatch_clock(app, client, order):
    response = stripe_sends(client, PAID, session_for(order))

    assert response.status_code == 200
    paid = stored(app, order["number"])
    assert (paid.status, paid.payment_status, paid.paid_fen) == ("awaiting_dispatch", "paid", fen(order["total"]))
    assert paid.paid_at is not None
    assert paid.dispatch_by == paid.paid_at + timedelta(days=2)
    [payment] = rows(app, "Payment", order["number"])
    assert (payment.method, payment.amount_fen, payment.currency) == ("stripe", fen(order["total"]), "cny")
    assert payment.reference == session_for(order)["id"] and payment.payment_intent == "pi_test_1"
    shown = order_json(client, order["number"])
    assert (shown["status"], shown["payment_status"]) == ("awaiting_dispatch", "paid")
    assert shown["payment"]["url"] is None and shown["paid_amount"] == order["total"]
    assert shown["paid_at"] == paid.paid_at.isoformat() and shown["dispatch_by"] == paid.dispatch_by.isoformat()
    page = page_text(client.get(f"/orders/{order['number']}", query_string={"t": query(order["payment"]["url"])["t"]}))
    assert "待发货" in page and "已付款" in page and "款到两日内发货" in page
    shanghai = (paid.dispatch_by + timedelta(hours=8)).strftime("%H:%M")
    assert shanghai in page


def test_the_same_event_twice_pays_once(app, client, order):
    event = make_event(PAID, session_for(order))
    body, headers = signed(event)

    first = client.post("/payments/stripe/webhook", data=body, headers=headers)
    second = client.post("/payments/stripe/webhook", data=body, headers=headers)

    assert first.status_code == 200 and second.status_code == 200
    assert second.get_json().get("duplicate") is True
    assert len(rows(app, "Payment", order["number"])) == 1
    assert rows(app, "PaymentMismatch", order["number"]) == []


def test_twenty_concurrent_copies_of_one_event_pay_once(app, client, order):
    body, headers = signed(make_event(PAID, session_for(order)))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}/payments/stripe/webhook"
    start, statuses = threading.Barrier(20), []

    def deliver():
        start.wait()
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        with urllib.request.urlopen(request, timeout=60) as response:
            statuses.append(response.status)

    try:
        senders = [threading.Thread(target=deliver) for _ in range(20)]
        for sender in senders:
            sender.start()
        for sender in senders:
            sender.join(90)
    finally:
        server.shutdown()
        thread.join(5)

    assert len(statuses) == 20 and all(200 <= s < 300 for s in statuses), statuses
    assert len(rows(app, "Payment", order["number"])) == 1
    assert stored(app, order["number"]).payment_status == "paid"


def test_completed_then_async_succeeded_for_one_session_pays_once(app, client, order):
    session = session_for(order)

    first = stripe_sends(client, PAID, session)
    paid_at = stored(app, order["number"]).paid_at
    second = stripe_sends(client, ASYNC_PAID, session)

    assert first.status_code == second.status_code == 200
    assert second.get_json()["outcome"] == "already_paid"
    assert len(rows(app, "Payment", order["number"])) == 1
    assert stored(app, order["number"]).paid_at == paid_at
    assert rows(app, "PaymentMismatch", order["number"]) == []


def test_a_second_session_paid_for_a_paid_order_is_flagged_for_a_refund(app, client, order):
    stripe_sends(client, PAID, session_for(order))

    response = stripe_sends(client, PAID, session_for(order, id="cs_test_second", payment_intent="pi_test_2"))

    assert response.status_code == 200
    assert len(rows(app, "Payment", order["number"])) == 1
    [flagged] = rows(app, "PaymentMismatch", order["number"])
    assert flagged.kind == "paid_twice" and "cs_test_second" in flagged.detail


@pytest.mark.parametrize(("changes", "kind"), [
    ({"amount_total": -1}, "amount"), ({"amount_total": +1}, "amount"), ({"amount_total": None}, "amount"),
    ({"amount_total": "total as text"}, "amount"), ({"currency": "usd"}, "currency"), ({"currency": "hkd"}, "currency")])
def test_money_that_does_not_match_is_recorded_and_the_order_stays_unpaid(app, client, order, changes, kind):
    if isinstance(changes.get("amount_total"), int):  # one fen short or over
        changes = {"amount_total": fen(order["total"]) + changes["amount_total"]}
    elif changes.get("amount_total") == "total as text":
        changes = {"amount_total": str(fen(order["total"]))}
    response = stripe_sends(client, PAID, session_for(order, **changes))

    assert response.status_code == 200
    assert stored(app, order["number"]).status == "pending_payment"
    assert rows(app, "Payment", order["number"]) == []
    [mismatch] = rows(app, "PaymentMismatch", order["number"])
    assert (mismatch.source, mismatch.kind) == ("stripe", kind)
    assert order_json(client, order["number"])["payment"]["url"] == order["payment"]["url"]


def test_a_completed_but_unpaid_session_leaves_the_order_waiting(app, client, order):
    response = stripe_sends(client, PAID, session_for(order, payment_status="unpaid"))

    assert response.status_code == 200
    assert stored(app, order["number"]).status == "pending_payment"
    assert rows(app, "Payment", order["number"]) == [] and rows(app, "PaymentMismatch", order["number"]) == []


@pytest.mark.parametrize("kind", ["checkout.session.async_payment_failed", "checkout.session.expired"])
def test_a_failed_or_expired_session_leaves_the_order_payable_with_a_new_session(app, client, standin, order, kind):
    first = go_pay(client, order).location
    session_id = first.rsplit("/", 1)[-1]

    response = stripe_sends(client, kind, session_for(order, id=session_id, payment_status="unpaid"))

    assert response.status_code == 200
    assert stored(app, order["number"]).status == "pending_payment"
    again = go_pay(client, order)
    assert again.status_code == 303 and again.location.startswith(standin.url) and again.location != first
    assert len(standin.sessions) == 2


def test_a_bad_signature_is_refused_and_changes_nothing(app, client, order):
    body, headers = signed(make_event(PAID, session_for(order)), secret="whsec_someone_else")

    response = client.post("/payments/stripe/webhook", data=body, headers=headers)
    unsigned = client.post("/payments/stripe/webhook", data=body, headers={"Content-Type": "application/json"})

    assert response.status_code == 400 and response.get_json()["error"]["code"] == "bad_signature"
    assert unsigned.status_code == 400
    assert stored(app, order["number"]).status == "pending_payment"


@pytest.mark.parametrize(("age_s", "status"), [(301, 400), (3600, 400), (280, 200)])
def test_a_signature_older_than_five_minutes_is_refused(app, client, order, age_s, status):
    response = stripe_sends(client, PAID, session_for(order), timestamp=int(time.time()) - age_s)

    assert response.status_code == status
    assert stored(app, order["number"]).payment_status == ("paid" if status == 200 else "unpaid")


def test_an_event_about_an_unknown_order_is_acknowledged_and_changes_nothing(app, client, order):
    stranger = {**order, "number": "MM20250101-XXXXXXXXXX"}

    response = stripe_sends(client, PAID, session_for(stranger))

    assert response.status_code == 200 and response.get_json()["outcome"] == "unknown_order"
    assert stored(app, order["number"]).status == "pending_payment"
    assert rows(app, "Payment", order["number"]) == [] and rows(app, "PaymentMismatch", order["number"]) == []


def test_a_late_payment_stripe_cannot_refund_is_kept_and_shown_to_staff(app, client, order):
    from shop.extensions import db
    from shop.orders import service

    with app.app_context():
        assert service.release(service.by_number(order["number"]), "超时未付款", actor="expiry")
        db.session.commit()

    response = stripe_sends(client, PAID, session_for(order))  # pi_test_1: a PaymentIntent Stripe does not know

    assert response.status_code == 200 and response.get_json()["outcome"] == "late_payment_refund_failed"
    late = stored(app, order["number"])
    assert (late.status, late.payment_status, late.paid_fen, late.refunded_fen) == (
        "cancelled", "paid", fen(order["total"]), 0)
    assert [m.kind for m in rows(app, "PaymentMismatch", order["number"])] == ["late_payment_unrefunded"]
    assert len(rows(app, "Payment", order["number"])) == 1  # the money is on record, for staff to refund


@pytest.mark.parametrize("data", [{"object": ["not", "a", "session"]}, ["x"], {"object": {"metadata": "x"}}])
def test_a_signed_but_odd_event_is_acknowledged_without_an_error(client, order, data):
    event = {**make_event(PAID, {}), "data": data}
    body, headers = signed(event)

    response = client.post("/payments/stripe/webhook", data=body, headers=headers)

    assert response.status_code == 200 and response.get_json()["outcome"] == "unknown_order"
