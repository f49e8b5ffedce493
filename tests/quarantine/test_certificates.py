"""Quarantine at dispatch (植物检疫条例 Art. 7; 一车一证): no dispatch without a certificate number and issue date, none
under a certificate older than QUARANTINE_CERT_DAYS, and batch dispatch of orders leaving together in one vehicle."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.actions import (
    KYOHO_C2,
    SHANGHAI,
    buy,
    database,
    dispatch,
    dispatch_together,
    errors,
    order_json,
    order_page_url,
    pay_by_transfer,
    pdf_text,
    relative,
    run,
    staff_client,
    stored,
)

CERT = "鲁检(临)2026-1201-07"
PLATE = "鲁Q·A1234"


def today() -> date:
    return datetime.now(SHANGHAI).date()


def days_ago(days: int) -> str:
    return (today() - timedelta(days=days)).isoformat()


@pytest.fixture
def desk(app):
    return staff_client(app)


@pytest.fixture
def paid(client, desk):
    """A paid order awaiting dispatch."""
    order = buy(client, (KYOHO_C2, 500))
    assert pay_by_transfer(desk, order).status_code == 303
    return order


def certificates(app) -> list:
    from shop.quarantine.models import QuarantineCertificate

    with database(app) as db:
        found = list(db.session.execute(sa.select(QuarantineCertificate).order_by(QuarantineCertificate.id)).scalars())
        db.session.expunge_all()
        return found


# --- one order at the desk -------------------------------------------------------------------------------------------


def test_a_dispatch_without_a_certificate_number_or_date_is_refused_with_a_clear_error(app, desk, paid):
    response = dispatch(desk, paid, cert="", issued_on="")
    assert response.status_code == 422
    assert {"请填写植物检疫证书编号", "请填写检疫证书签发日期"} <= set(errors(response.get_data(as_text=True)))
    assert stored(app, paid["number"]).status == "awaiting_dispatch"
    response = dispatch(desk, paid, issued_on="")
    assert response.status_code == 422 and "请填写检疫证书签发日期" in errors(response.get_data(as_text=True))
    assert stored(app, paid["number"]).status == "awaiting_dispatch" and certificates(app) == []


def test_a_certificate_of_the_configured_age_dispatches_and_one_a_day_older_is_refused(app, client, desk, paid):
    limit = app.config["QUARANTINE_CERT_DAYS"]
    stale = dispatch(desk, paid, issued_on=days_ago(limit + 1))
    assert stale.status_code == 422
    [message] = errors(stale.get_data(as_text=True))
    assert f"已超过{limit}天" in message and "重新办理调运检疫" in message
    assert stored(app, paid["number"]).status == "awaiting_dispatch" and certificates(app) == []
    future = dispatch(desk, paid, issued_on=(today() + timedelta(days=1)).isoformat())
    assert future.status_code == 422 and "晚于今天" in errors(future.get_data(as_text=True))[0]

    assert dispatch(desk, paid, cert=CERT, issued_on=days_ago(limit)).status_code == 303
    sent = stored(app, paid["number"])
    assert (sent.status, sent.quarantine_cert) == ("dispatched", CERT)
    [cert] = certificates(app)
    assert (cert.number, cert.issued_on, cert.vehicle, cert.recorded_by) == (CERT, today() - timedelta(days=limit),
                                                                           "", "小李")
    document = order_json(client, paid["number"])["dispatch"]
    assert document["quarantine_cert"] == CERT and document["quarantine_cert_issued_on"] == days_ago(limit)
    page = client.get(order_page_url(paid)).get_data(as_text=True)
    assert f"植物检疫证书编号：{CERT}" in page.replace("&lt;", "<")
    contract = "".join(pdf_text(client.get(relative(paid["contract_url"])).data).split())
    assert f"植物检疫证书编号：{CERT}" in contract


@pytest.mark.parametrize("app_overrides", [{"QUARANTINE_CERT_DAYS": 3}])
def test_the_age_limit_is_the_setting(app, desk, paid):
    assert dispatch(desk, paid, issued_on=days_ago(4)).status_code == 422
    assert dispatch(desk, paid, issued_on=days_ago(3)).status_code == 303


def test_the_english_desk_says_it_in_english(app, desk, paid):
    desk.get("/desk/?lang=en")
    response = dispatch(desk, paid, issued_on=days_ago(app.config["QUARANTINE_CERT_DAYS"] + 5))
    assert response.status_code == 422
    assert "have the consignment inspected again" in errors(response.get_data(as_text=True))[0]


def test_a_certificate_number_comes_back_only_with_its_first_issue_date_and_vehicle(app, client, desk):
    first, second, third = (buy(client, (KYOHO_C2, 400)) for _ in range(3))
    for order in (first, second, third):
        pay_by_transfer(desk, order)
    assert dispatch(desk, first, cert=CERT, issued_on=days_ago(1), vehicle=PLATE).status_code == 303
    other_day = dispatch(desk, second, cert=CERT, issued_on=days_ago(2))
    assert other_day.status_code == 422 and "已登记，签发日期为" in errors(other_day.get_data(as_text=True))[0]
    other_truck = dispatch(desk, second, cert=CERT, issued_on=days_ago(1), vehicle="鲁Q·B9999")
    assert other_truck.status_code == 422 and "一车一证" in errors(other_truck.get_data(as_text=True))[0]
    assert dispatch(desk, second, cert=CERT, issued_on=days_ago(1)).status_code == 303  # same truck, plate left out
    assert len(certificates(app)) == 1
    assert order_json(client, second["number"])["dispatch"]["vehicle"] == PLATE


# --- the command line ----------------------------------------------------------------------------------------------------


def cli_dispatch(app, number: str, *extra: str):
    return run(app, "orders", "dispatch", number, "--base", "平邑", "--carrier", "顺丰", "--tracking", "SF1",
               "--cert", CERT, "--by", "老王", *extra)


def test_the_command_line_needs_the_certificate_date_too(app, paid):
    missing = cli_dispatch(app, paid["number"])
    assert missing.exit_code != 0 and "--cert-date" in missing.output
    garbled = cli_dispatch(app, paid["number"], "--cert-date", "1 Dec")
    assert garbled.exit_code != 0 and "YYYY-MM-DD" in garbled.output
    stale = cli_dispatch(app, paid["number"], "--cert-date", days_ago(app.config["QUARANTINE_CERT_DAYS"] + 1))
    assert stale.exit_code != 0 and "重新办理调运检疫" in stale.output
    assert stored(app, paid["number"]).status == "awaiting_dispatch"
    done = cli_dispatch(app, paid["number"], "--cert-date", days_ago(0), "--vehicle", PLATE)
    assert done.exit_code == 0, done.output
    assert certificates(app)[0].vehicle == PLATE


# --- batch dispatch: one certificate, carrier and vehicle for the orders that leave together -------------------------


def batch(desk, numbers: list[str], **changes):
    """Staff fill in the batch dispatch form once and tick the orders; the response."""
    details = {"cert": CERT, "issued_on": days_ago(2), "vehicle": PLATE, "tracking": "TD-20261201", **changes}
    return dispatch_together(desk, numbers, **details)


def test_three_orders_leave_together_under_one_certificate(app, client, desk):
    orders = [buy(client, (KYOHO_C2, 400 + n)) for n in range(3)]
    waiting = buy(client, (KYOHO_C2, 350))  # paid too, but stays behind
    for order in (*orders, waiting):
        assert pay_by_transfer(desk, order).status_code == 303
    form = desk.get("/desk/dispatch/batch").get_data(as_text=True)
    assert all(order["number"] in form for order in orders) and 'name="csrf_token"' in form

    response = batch(desk, [order["number"] for order in orders])
    assert response.status_code == 303, errors(response.get_data(as_text=True))
    [cert] = certificates(app)
    assert (cert.number, cert.issued_on, cert.vehicle) == (CERT, today() - timedelta(days=2), PLATE)
    for order in orders:
        sent = stored(app, order["number"])
        assert (sent.status, sent.quarantine_cert_id, sent.carrier, sent.dispatch_base, sent.tracking_number) == (
            "dispatched", cert.id, "临沂通达物流", "临沭县种苗基地", "TD-20261201")
        shown = order_json(client, order["number"])["dispatch"]
        assert (shown["quarantine_cert"], shown["quarantine_cert_issued_on"], shown["vehicle"]) == (
            CERT, days_ago(2), PLATE)
    assert stored(app, waiting["number"]).status == "awaiting_dispatch"

    listed = desk.get(response.location).get_data(as_text=True)
    block = listed[listed.index(CERT):]
    assert all(order["number"] in block for order in orders) and waiting["number"] not in listed
    assert PLATE in block and days_ago(2) in block
    from shop.desk.models import AuditEntry

    with database(app) as db:
        entries = list(db.session.execute(sa.select(AuditEntry).where(AuditEntry.action == "dispatch")).scalars())
        assert sorted(e.subject for e in entries) == sorted(o["number"] for o in orders)
        assert all(e.after["quarantine_cert"] == CERT and e.after["vehicle"] == PLATE for e in entries)


def test_a_batch_goes_all_together_or_not_at_all(app, client, desk):
    paid_orders = [buy(client, (KYOHO_C2, 400)) for _ in range(2)]
    for order in paid_orders:
        pay_by_transfer(desk, order)
    unpaid = buy(client, (KYOHO_C2, 400))
    numbers = [o["number"] for o in paid_orders] + [unpaid["number"]]
    response = batch(desk, numbers)
    assert response.status_code == 409 and unpaid["number"] in response.get_data(as_text=True)
    assert {stored(app, n).status for n in numbers[:2]} == {"awaiting_dispatch"} and certificates(app) == []

    assert batch(desk, numbers[:2], vehicle="").status_code == 422
    stale = batch(desk, numbers[:2], issued_on=days_ago(app.config["QUARANTINE_CERT_DAYS"] + 1))
    assert stale.status_code == 422 and "重新办理调运检疫" in " ".join(errors(stale.get_data(as_text=True)))
    assert batch(desk, []).status_code == 422
    assert batch(desk, ["MM20990101-NOSUCHORD"]).status_code == 422
    assert batch(desk, [numbers[0], "MM2026\x00'; --"]).status_code == 422  # never reaches the database
    assert {stored(app, n).status for n in numbers[:2]} == {"awaiting_dispatch"} and certificates(app) == []


def test_certificates_from_before_issue_dates_were_recorded_get_their_date_when_used_again(app, client, desk):
    from shop.quarantine.models import QuarantineCertificate

    first, second = buy(client, (KYOHO_C2, 400)), buy(client, (KYOHO_C2, 400))
    for order in (first, second):
        pay_by_transfer(desk, order)
    dispatch(desk, first, cert=CERT, issued_on=days_ago(1))
    with database(app) as db:  # as migration 0005 leaves an old certificate: no issue date
        db.session.execute(sa.update(QuarantineCertificate).values(issued_on=None))
        db.session.commit()
    assert order_json(client, first["number"])["dispatch"]["quarantine_cert_issued_on"] is None
    assert dispatch(desk, second, cert=CERT, issued_on=days_ago(1)).status_code == 303
    assert certificates(app)[0].issued_on == today() - timedelta(days=1)


def test_two_dispatches_naming_a_new_certificate_at_once_record_it_once(app, client, desk):
    """The certificate is inserted with ON CONFLICT DO NOTHING, then read: a second insert is a no-op."""
    from shop.quarantine.service import certificate_for

    now = datetime.now(UTC)
    with database(app) as db:
        one = certificate_for(CERT, today(), actor="小李", now=now)
        two = certificate_for(CERT, today(), actor="老王", now=now)
        assert one.id == two.id and two.recorded_by == "小李"
        db.session.commit()
    assert len(certificates(app)) == 1


def test_migration_0005_turns_certificate_numbers_already_used_into_certificates(app, client, desk):
    """Orders dispatched before 0005 kept only the number: it becomes one certificate (issue date unknown) for them."""
    first, second = buy(client, (KYOHO_C2, 400)), buy(client, (KYOHO_C2, 400))
    for order in (first, second):
        pay_by_transfer(desk, order)
        assert dispatch(desk, order, cert=CERT, issued_on=days_ago(1)).status_code == 303
    downgrade = app.test_cli_runner().invoke(args=["db", "downgrade", "0004"])
    assert downgrade.exit_code == 0, downgrade.output
    with database(app) as db:
        kept = db.session.execute(sa.text("SELECT DISTINCT quarantine_cert FROM orders")).scalars().all()
        assert kept == [CERT]
    upgrade = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert upgrade.exit_code == 0, upgrade.output
    [cert] = certificates(app)
    assert (cert.number, cert.issued_on, cert.recorded_by) == (CERT, None, "migration 0005")
    assert {stored(app, o["number"]).quarantine_cert_id for o in (first, second)} == {cert.id}
    assert order_json(client, first["number"])["dispatch"]["quarantine_cert_issued_on"] is None


def test_a_certificate_number_is_the_same_whatever_its_case_or_width(app, client, desk):
    first, second = (buy(client, (KYOHO_C2, 400 + n)) for n in range(2))
    for order in (first, second):
        assert pay_by_transfer(desk, order).status_code == 303
    assert batch(desk, [first["number"]], cert="c-15").status_code == 303
    other_vehicle = batch(desk, [second["number"]], cert="Ｃ－１５", vehicle="鲁Q99999")
    assert other_vehicle.status_code == 422  # the same certificate: one vehicle
    assert [c.number for c in certificates(app)] == ["C-15"]
