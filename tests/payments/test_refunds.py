"""Refunds (partial, full, never more than paid), cancelling a paid order, and Stripe sessions that never
outlive their order — through the real Stripe client against the loopback stand-in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.actions import (
    KYOHO_C2,
    buy,
    cancel,
    dispatch,
    fen,
    flashes,
    open_session,
    order_json,
    page_text,
    pay_by_stripe,
    pay_by_transfer,
    refund,
    relative,
    rows,
    run,
    set_order,
    staff_client,
    stock_of,
    stored,
    stripe_sends,
)


@pytest.fixture
def desk(app):
    return staff_client(app)


def stripe_order(client, standin, quantity: int = 500) -> dict:
    """An order paid online: 500 巨峰 at ¥0.60 + postage."""
    order = buy(client, (KYOHO_C2, quantity), payment_method="stripe")
    pay_by_stripe(client, standin, order)
    return order


def test_stripe_keeps_the_payment_intent_it_will_refund(app, client, standin):
    order = stripe_order(client, standin)
    [payment] = rows(app, "Payment", order["number"])
    assert payment.payment_intent.startswith("pi_test_")
    assert payment.payment_intent == standin.sessions[payment.reference]["payment_intent"]


def test_partial_then_full_refund_through_stripe_with_idempotency_keys(app, client, standin, desk):
    order = stripe_order(client, standin)
    dispatch(desk, order)
    total = fen(order["total"])

    first = run(app, "orders", "refund", order["number"], "--amount", "100.00", "--reason", "部分苗木干枯",
                "--by", "小李")

    assert first.exit_code == 0, first.output
    assert [(r["amount"], r["idempotency_key"]) for r in standin.refunds] == [
        (10000, f"refund-{order['number']}-0-10000")]
    part = stored(app, order["number"])
    assert (part.status, part.payment_status, part.refunded_fen) == ("dispatched", "partially_refunded", 10000)
    [record] = rows(app, "Refund", order["number"])
    assert (record.method, record.amount_fen, record.reference, record.actor) == (
        "stripe", 10000, standin.refunds[0]["id"], "小李")
    assert record.idempotency_key == standin.refunds[0]["idempotency_key"]

    rest = run(app, "orders", "refund", order["number"], "--reason", "全部退款", "--by", "小李")

    assert rest.exit_code == 0, rest.output
    assert [r["amount"] for r in standin.refunds] == [10000, total - 10000]
    done = stored(app, order["number"])
    assert (done.status, done.payment_status, done.refunded_fen) == ("dispatched", "refunded", total)
    shown = order_json(client, order["number"])
    assert (shown["paid_amount"], shown["refunded_amount"]) == (order["total"], order["total"])
    assert [r["amount"] for r in shown["refunds"]] == ["100.00", f"{(total - 10000) / 100:.2f}"]

    again = run(app, "orders", "refund", order["number"], "--reason", "再退一次", "--by", "小李")
    assert again.exit_code != 0 and "没有可退的款项" in again.output
    assert len(standin.refunds) == 2 and len(rows(app, "Refund", order["number"])) == 2


def test_a_refund_over_what_is_left_is_refused(app, client, standin, desk):
    order = stripe_order(client, standin)
    dispatch(desk, order)
    total = fen(order["total"])
    over = run(app, "orders", "refund", order["number"], "--amount", f"{(total + 1) / 100:.2f}", "--reason", "x",
               "--by", "小李")
    assert over.exit_code != 0 and "超过可退金额" in over.output
    assert run(app, "orders", "refund", order["number"], "--amount", "50.00", "--reason", "x", "--by", "小李"
               ).exit_code == 0
    left = total - 5000
    over = refund(desk, order, f"{(left + 1) / 100:.2f}", "又退")
    assert over.status_code == 422 and "超过可退金额" in page_text(over)
    exact = refund(desk, order, f"{left / 100:.2f}", "退完")
    assert exact.status_code == 303
    assert stored(app, order["number"]).payment_status == "refunded"
    assert sum(r["amount"] for r in standin.refunds) == total


@pytest.mark.parametrize("amount", ["0", "0.00", "-1", "1.234", "abc"])
def test_a_refund_of_a_bad_amount_is_refused_and_nothing_moves(app, client, standin, desk, amount):
    order = stripe_order(client, standin)
    dispatch(desk, order)
    result = run(app, "orders", "refund", order["number"], "--amount", amount, "--reason", "x", "--by", "小李")
    assert result.exit_code != 0
    assert refund(desk, order, amount, "x").status_code == 422
    assert standin.refunds == [] and stored(app, order["number"]).refunded_fen == 0


def test_a_retried_refund_reuses_the_key_and_stripe_refunds_once(app, client, standin):
    """A refund Stripe made but whose commit was lost is retried with the same key: still one refund."""
    from shop.orders import service
    from shop.payments import refunds
    from tests.actions import database

    order = stripe_order(client, standin)
    with database(app) as db:
        found = service.by_number(order["number"])
        refunds.refund(found, amount_fen=5000, reason="缺苗", actor="小李")
        db.session.rollback()  # the shop crashed before committing
    with database(app) as db:
        found = service.by_number(order["number"])
        refunds.refund(found, amount_fen=5000, reason="缺苗", actor="小李")
        db.session.commit()

    asked = [params for method, path, params, _ in standin.requests if path == "/v1/refunds"]
    assert len(asked) == 2 and len(standin.refunds) == 1
    assert stored(app, order["number"]).refunded_fen == 5000


def test_stripe_down_refunds_nothing_and_says_so(app, client, standin, desk):
    order = stripe_order(client, standin)
    dispatch(desk, order)
    standin.fail_with = 500
    result = run(app, "orders", "refund", order["number"], "--amount", "10.00", "--reason", "x", "--by", "小李")
    assert result.exit_code != 0 and "Stripe 退款失败" in result.output
    standin.fail_with = None
    after = stored(app, order["number"])
    assert (after.payment_status, after.refunded_fen) == ("paid", 0) and rows(app, "Refund", order["number"]) == []


def test_cancelling_a_paid_order_refunds_it_in_full_and_returns_its_stock(app, client, standin, desk):
    start = stock_of(app, KYOHO_C2)
    order = stripe_order(client, standin)
    assert stock_of(app, KYOHO_C2) == start - 500

    response = cancel(desk, order, "客户改期")

    assert response.status_code == 303
    gone = stored(app, order["number"])
    assert (gone.status, gone.payment_status, gone.refunded_fen) == ("cancelled", "refunded", fen(order["total"]))
    assert stock_of(app, KYOHO_C2) == start
    assert [r["amount"] for r in standin.refunds] == [fen(order["total"])]
    assert "已退款" in flashes(desk, order)


def test_a_full_refund_before_dispatch_is_a_cancellation(app, client, standin):
    start = stock_of(app, KYOHO_C2)
    order = stripe_order(client, standin)
    result = run(app, "orders", "refund", order["number"], "--reason", "缺货", "--by", "小李")
    assert result.exit_code == 0, result.output
    gone = stored(app, order["number"])
    assert (gone.status, gone.payment_status) == ("cancelled", "refunded")
    assert stock_of(app, KYOHO_C2) == start


def test_a_paid_transfer_is_refunded_by_bank_with_its_reference(app, client, desk):
    order = buy(client, (KYOHO_C2, 500))
    pay_by_transfer(desk, order)
    dispatch(desk, order)
    assert refund(desk, order, "20.00", "少发20株").status_code == 422  # no bank reference
    assert refund(desk, order, "20.00", "少发20株", reference="退款网银 7788").status_code == 303
    [record] = rows(app, "Refund", order["number"])
    assert (record.method, record.amount_fen, record.reference) == ("bank_transfer", 2000, "退款网银 7788")
    assert stored(app, order["number"]).payment_status == "partially_refunded"


def test_an_unpaid_order_has_nothing_to_refund(app, client, desk):
    order = buy(client, (KYOHO_C2, 500))
    result = run(app, "orders", "refund", order["number"], "--reason", "x", "--by", "小李")
    assert result.exit_code != 0 and "没有可退的款项" in result.output
    assert stored(app, order["number"]).payment_status == "unpaid"


def test_refunds_are_audited_with_amount_and_key(app, client, standin, desk):
    import sqlalchemy as sa

    from shop.desk.models import AuditEntry
    from tests.actions import database

    order = stripe_order(client, standin)
    dispatch(desk, order)
    refund(desk, order, "30.00", "部分退款")
    with database(app) as db:
        [entry] = db.session.execute(sa.select(AuditEntry).where(
            AuditEntry.action == "refund", AuditEntry.subject == order["number"])).scalars()
    assert entry.actor == "小李" and entry.after["amount"] == "30.00"
    assert (entry.before["payment_status"], entry.after["payment_status"]) == ("paid", "partially_refunded")
    assert entry.after["idempotency_key"] == f"refund-{order['number']}-0-3000"


# --- the Checkout Session never outlives its order ------------------------------------------------------------


def test_a_session_closes_when_its_order_does(app, client, standin):
    order = buy(client, (KYOHO_C2, 500), payment_method="stripe")
    session_id = open_session(client, standin, order)
    assert standin.sessions[session_id]["expires_at"] == int(stored(app, order["number"]).expires_at.timestamp())


def test_an_order_too_close_to_expiry_gets_the_sessions_thirty_minutes(app, client, standin):
    order = buy(client, (KYOHO_C2, 500), payment_method="stripe")
    set_order(app, order["number"], expires_at=datetime.now(UTC) + timedelta(minutes=10))
    session_id = open_session(client, standin, order)
    moved = stored(app, order["number"]).expires_at
    assert timedelta(minutes=30) < moved - datetime.now(UTC) <= timedelta(minutes=31)
    assert standin.sessions[session_id]["expires_at"] == int(moved.timestamp())  # never later than the order


def test_an_expired_order_opens_no_session(app, client, standin):
    order = buy(client, (KYOHO_C2, 500), payment_method="stripe")
    set_order(app, order["number"], expires_at=datetime.now(UTC) - timedelta(seconds=1))
    response = client.get(relative(order["payment"]["url"]))
    assert response.status_code == 303 and "/orders/" in response.location
    assert standin.sessions == {}


def test_a_long_unpaid_expiry_still_gets_a_session_within_stripes_24_hours(app, client, standin):
    app.config["UNPAID_EXPIRY_HOURS"] = 72
    order = buy(client, (KYOHO_C2, 500), payment_method="stripe")
    session_id = open_session(client, standin, order)
    ends = standin.sessions[session_id]["expires_at"]
    assert ends <= int((datetime.now(UTC) + timedelta(hours=24)).timestamp())
    assert ends < int(stored(app, order["number"]).expires_at.timestamp())


def test_expiring_an_order_expires_its_session_at_stripe(app, client, standin):
    order = buy(client, (KYOHO_C2, 500), payment_method="stripe")
    session_id = open_session(client, standin, order)
    set_order(app, order["number"], expires_at=datetime.now(UTC) - timedelta(seconds=1))

    result = run(app, "orders", "expire")

    assert result.exit_code == 0 and order["number"] in result.output
    assert standin.sessions[session_id]["status"] == "expired"
    assert ("POST", f"/v1/checkout/sessions/{session_id}/expire") in [(m, p) for m, p, _, _ in standin.requests]
    assert stored(app, order["number"]).stripe_session_url == ""


def test_cancelling_an_unpaid_order_expires_its_session(app, client, standin, desk):
    order = buy(client, (KYOHO_C2, 500), payment_method="stripe")
    session_id = open_session(client, standin, order)
    assert cancel(desk, order, "客户不要了").status_code == 303
    assert standin.sessions[session_id]["status"] == "expired"


def test_a_late_payment_for_a_cancelled_order_is_refunded_automatically(app, client, standin, desk):
    order = buy(client, (KYOHO_C2, 500), payment_method="stripe")
    session = pay_by_stripe(client, standin, order, deliver=False)  # paid at Stripe; the webhook is late
    assert cancel(desk, order, "客户电话取消").status_code == 303

    response = stripe_sends(client, "checkout.session.completed", session)

    assert response.status_code == 200 and response.get_json()["outcome"] == "late_payment_refunded"
    late = stored(app, order["number"])
    assert (late.status, late.payment_status, late.paid_fen, late.refunded_fen) == (
        "cancelled", "refunded", fen(order["total"]), fen(order["total"]))
    assert [(r["amount"], r["payment_intent"]) for r in standin.refunds] == [
        (fen(order["total"]), session["payment_intent"])]
    assert [m.kind for m in rows(app, "PaymentMismatch", order["number"])] == ["late_payment_refunded"]
    assert "订单取消后才到账，已自动全额退款" in page_text(desk.get("/desk/"))
    # Stripe delivers the event again: nothing more happens
    assert stripe_sends(client, "checkout.session.completed", session).status_code == 200
    assert len(standin.refunds) == 1


# --- what the review found: resent forms, refunds Stripe refuses later, late money retried, races ---------------


def test_a_refund_form_sent_twice_refunds_once(app, client, standin, desk):
    from tests.actions import csrf_token

    order = stripe_order(client, standin)
    dispatch(desk, order)
    token = csrf_token(desk, f"/desk/orders/{order['number']}")
    form = {"amount": "100.00", "reason": "少发", "reference": "", "refunded_before": "0", "csrf_token": token}
    first = desk.post(f"/desk/orders/{order['number']}/refund", data=form)
    second = desk.post(f"/desk/orders/{order['number']}/refund", data=form)  # a second tab, or back and resend
    assert first.status_code == 303 and second.status_code == 422
    assert "打开页面后此订单已退款" in page_text(second)
    assert [r["amount"] for r in standin.refunds] == [10000]
    assert stored(app, order["number"]).refunded_fen == 10000


def test_a_refund_stripe_says_failed_refunds_nothing(app, client, standin, desk):
    order = stripe_order(client, standin)
    dispatch(desk, order)
    standin.refund_status = "failed"
    result = run(app, "orders", "refund", order["number"], "--amount", "10.00", "--reason", "x", "--by", "小李")
    assert result.exit_code != 0 and "Stripe 拒绝了退款" in result.output
    after = stored(app, order["number"])
    assert (after.payment_status, after.refunded_fen) == ("paid", 0) and rows(app, "Refund", order["number"]) == []


def test_a_pending_refund_that_fails_later_is_shown_to_staff(app, client, standin, desk):
    order = stripe_order(client, standin)
    dispatch(desk, order)
    standin.refund_status = "pending"  # e.g. WeChat Pay settles refunds later
    assert run(app, "orders", "refund", order["number"], "--amount", "10.00", "--reason", "x", "--by", "小李"
               ).exit_code == 0
    [made] = rows(app, "Refund", order["number"])
    assert made.status == "pending"
    failed = {**standin.refunds[0], "status": "failed"}
    failed.pop("idempotency_key")

    response = stripe_sends(client, "refund.failed", failed)

    assert response.status_code == 200 and response.get_json()["outcome"] == "refund_failed"
    assert rows(app, "Refund", order["number"])[0].status == "failed"
    assert [m.kind for m in rows(app, "PaymentMismatch", order["number"])] == ["refund_failed"]
    assert stripe_sends(client, "refund.updated", failed).get_json()["outcome"] == "refund_updated"  # said once
    assert len(rows(app, "PaymentMismatch", order["number"])) == 1


def test_a_late_refund_that_failed_is_tried_again_when_stripe_repeats_the_event(app, client, standin, desk):
    order = buy(client, (KYOHO_C2, 500), payment_method="stripe")
    session = pay_by_stripe(client, standin, order, deliver=False)
    cancel(desk, order, "客户电话取消")
    standin.refunds_fail_with = 500
    first = stripe_sends(client, "checkout.session.completed", session, event_id="evt_late_1")
    assert first.get_json()["outcome"] == "late_payment_refund_failed"
    assert [m.kind for m in rows(app, "PaymentMismatch", order["number"])] == ["late_payment_unrefunded"]
    assert stored(app, order["number"]).payment_status == "paid"  # the money is on record, staff see it

    standin.refunds_fail_with = None
    again = stripe_sends(client, "checkout.session.completed", session, event_id="evt_late_1")

    assert again.get_json() == {"received": True, "duplicate": True, "outcome": "late_payment_refunded"}
    assert stored(app, order["number"]).payment_status == "refunded"
    assert [m.kind for m in rows(app, "PaymentMismatch", order["number"])] == ["late_payment_refunded"]
    assert len(standin.refunds) == 1


def test_a_session_opened_while_the_order_is_cancelled_is_closed_at_once(app, client, standin, monkeypatch):
    import sqlalchemy as sa

    from shop.extensions import db
    from shop.payments import checkout as stripe_checkout

    order = buy(client, (KYOHO_C2, 500), payment_method="stripe")
    real_start = stripe_checkout.start

    def start_while_staff_cancel(found, now=None):
        session = real_start(found, now)
        with db.engine.begin() as other:  # another request cancels the order while Stripe answers
            other.execute(sa.text("UPDATE orders SET status = 'cancelled' WHERE number = :n"),
                          {"n": order["number"]})
        return session

    monkeypatch.setattr(stripe_checkout, "start", start_while_staff_cancel)
    response = client.get(relative(order["payment"]["url"]))

    assert response.status_code == 303 and "/orders/" in response.location  # not sent on to Stripe
    [session] = standin.sessions.values()
    assert session["status"] == "expired"
    assert stored(app, order["number"]).stripe_session_id == ""


def test_a_nul_in_an_order_number_is_a_400_not_a_500(client):
    for response in (client.post("/api/v1/orders/MM%00X/received", json={"phone": "13812345678"}),
                     client.post("/api/v1/orders/MM%00X/cancel", json={"phone": "13812345678"}),
                     client.get("/api/v1/orders/MM%00X?phone=13812345678"), client.get("/orders/MM%00X")):
        assert response.status_code == 400


def test_overlong_cli_options_are_refused_before_anything_is_stored(app, client, standin):
    order = stripe_order(client, standin)
    for args in (("refund", order["number"], "--reason", "x", "--by", "张" * 61),
                 ("cancel", order["number"], "--reason", "x" * 201, "--by", "小李"),
                 ("refund", order["number"], "--reason", "x", "--by", "小李", "--reference", "r" * 121)):
        result = run(app, "orders", *args)
        assert result.exit_code == 2 or "个字符" in result.output, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
    assert stored(app, order["number"]).status == "awaiting_dispatch" and standin.refunds == []
