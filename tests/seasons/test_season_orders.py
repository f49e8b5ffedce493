"""Ordering out of season (SPEC "Seasons"): the window in quotes, orders, cart and checkout; reserve (stock held,
due when the window opens) or now (the contract's exclusion); pickup unaffected; the desk's reserved queue.

Windows are made for today (conftest): Shandong opens in OPENS_IN_DAYS, Henan in HENAN_OPENS_IN_DAYS, Guangdong is
open; every other province all year."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from season_files import HENAN, JIANGSU, today

from shop.seasons import guarantee
from shop.seasons.windows import start_of
from tests.actions import (
    KYOHO_C2,
    PLACE,
    buy,
    cart,
    checkout,
    database,
    errors,
    fill_cart,
    order_json,
    pay_by_transfer,
    pdf_text,
    quote,
    relative,
    staff_client,
    stock_of,
    stored,
)

GUANGDONG = {"province": "广东省", "city": "广州市", "district": "天河区", "address": "五山路示例8号"}


@pytest.fixture
def desk(app):
    return staff_client(app)


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def deadline_after(app, moment: datetime) -> datetime:
    return moment + timedelta(days=app.config["DISPATCH_DAYS"])


# --- the window in the API ---------------------------------------------------------------------------------------------


def test_a_quote_says_the_destinations_window(client, opening):
    closed = quote(client, (KYOHO_C2, 500), province="山东省").get_json()
    assert closed["ship_window"]["open"] is False
    assert closed["ship_window"]["opens_on"] == opening.isoformat()
    assert closed["ship_window"]["closes_on"] == (opening + timedelta(days=30)).isoformat()
    assert closed["can_order"] is True  # out of season is a choice, not a refusal

    open_ = quote(client, (KYOHO_C2, 500), province="广东省").get_json()["ship_window"]
    assert open_ == {"open": True, "opens_on": None, "closes_on": (today() + timedelta(days=20)).isoformat()}
    assert quote(client, (KYOHO_C2, 500), method="pickup", province="").get_json()["ship_window"] == {
        "open": True, "opens_on": None, "closes_on": None}
    assert quote(client, (KYOHO_C2, 500), province="火星").get_json()["ship_window"] is None


def test_a_timing_other_than_reserve_or_now_is_a_422_naming_the_field(client):
    body = {"items": [{"sku": KYOHO_C2, "quantity": 500}],
            "shipping": {"method": "post", **PLACE, "timing": "later"},
            "customer": {"name": "王先生", "phone": "13812345678"}, "payment_method": "bank_transfer",
            "accept_contract": True}
    response = client.post("/api/v1/orders", json=body)
    assert response.status_code == 422
    assert [(p["field"], p["code"]) for p in response.get_json()["error"]["problems"]] == [
        ("shipping.timing", "bad_timing")]
    body["shipping"]["timing"] = 7
    assert client.post("/api/v1/orders", json=body).status_code == 400
    assert client.post("/api/v1/quote", json={"items": body["items"], "shipping": {
        "method": "post", "province": "山东省", "timing": "later"}}).status_code == 422


def test_the_openapi_document_lists_timing_and_the_window(client):
    document = client.get("/api/v1/openapi.json").get_json()
    order_op = document["paths"]["/api/v1/orders"]["post"]
    shipping = order_op["requestBody"]["content"]["application/json"]["schema"]["properties"]["shipping"]
    assert shipping["properties"]["timing"]["enum"] == ["reserve", "now"]
    assert shipping["properties"]["timing"]["default"] == "reserve"
    order = order_op["responses"]["201"]["content"]["application/json"]["schema"]["properties"]
    assert set(order["ship_window"]["properties"]) == {"open", "opens_on", "closes_on"}
    assert {"quarantine_cert", "quarantine_cert_issued_on", "vehicle"} <= set(order["dispatch"]["properties"])
    quote_op = document["paths"]["/api/v1/quote"]["post"]
    assert "ship_window" in quote_op["responses"]["200"]["content"]["application/json"]["schema"]["properties"]


# --- reserve (the default) -----------------------------------------------------------------------------------------------


def test_reserve_holds_the_stock_and_is_due_two_rule_days_after_the_window_opens(app, client, desk, opening):
    before = stock_of(app, KYOHO_C2)
    order = buy(client, (KYOHO_C2, 500))  # no timing: reserve
    assert order["shipping"]["timing"] == "reserve" and order["shipping"]["season_opens_on"] == opening.isoformat()
    assert order["ship_window"]["open"] is False and order["ship_window"]["opens_on"] == opening.isoformat()
    assert stock_of(app, KYOHO_C2) == before - 500  # held now
    placed = datetime.fromisoformat(order["created_at"])
    assert datetime.fromisoformat(order["expires_at"]) - placed == timedelta(hours=app.config["UNPAID_EXPIRY_HOURS"])

    assert pay_by_transfer(desk, order).status_code == 303
    paid = order_json(client, order["number"])
    assert datetime.fromisoformat(paid["dispatch_by"]) == deadline_after(app, start_of(opening))
    page = client.get(f"/orders/{order['number']}?t=" + order["contract_url"].split("t=")[1]).get_data(as_text=True)
    assert "按您的预约" in page and f"{opening.year}年{opening.month}月{opening.day}日" in page

    contract = flat(pdf_text(client.get(relative(order["contract_url"])).data))
    assert "乙方选择预约发货" in contract and f"{opening.year}年{opening.month}月{opening.day}日开始" in contract
    assert flat(guarantee.OUT_OF_SEASON) not in contract


def test_reserve_paid_after_the_window_opened_is_due_two_rule_days_after_payment(app, client, opening):
    from shop.orders import service
    from shop.payments.service import PAID, record_payment

    order = buy(client, (KYOHO_C2, 500))
    later = start_of(opening) + timedelta(days=3, hours=5)
    with database(app) as db:
        found = service.by_number(order["number"])
        assert record_payment(found, method="bank_transfer", amount_fen=found.total_fen, currency="cny",
                              reference="网银", actor="小李", now=later) == PAID
        db.session.commit()
    assert stored(app, order["number"]).dispatch_by == deadline_after(app, later)


def test_an_unpaid_reserved_order_still_expires(app, client):
    from shop.orders import lifecycle

    order = buy(client, (KYOHO_C2, 500))
    expiry = datetime.fromisoformat(order["expires_at"])
    with database(app) as db:
        assert lifecycle.expire_unpaid(expiry + timedelta(minutes=1)) == [order["number"]]
        db.session.commit()
    assert stored(app, order["number"]).status == "cancelled"


# --- now --------------------------------------------------------------------------------------------------------------


def test_now_ships_within_the_rules_days_of_payment_and_the_contract_excludes_frost_and_heat(app, client, desk):
    order = buy(client, (KYOHO_C2, 500), timing="now")
    assert order["shipping"]["timing"] == "now"
    assert pay_by_transfer(desk, order).status_code == 303
    paid = order_json(client, order["number"])
    assert datetime.fromisoformat(paid["dispatch_by"]) == deadline_after(app, datetime.fromisoformat(paid["paid_at"]))

    contract = flat(pdf_text(client.get(relative(order["contract_url"])).data))
    assert flat(f"4.{guarantee.HEADING}：{guarantee.OUT_OF_SEASON}") in contract
    assert "成活率100%保证不包括非适宜季节栽植造成的冻害或热害" in contract
    with database(app):
        from shop.orders import service

        timing = service.by_number(order["number"]).ship_timing
    assert guarantee.survival_claim_refusal(timing, guarantee.FROST).zh == guarantee.OUT_OF_SEASON
    page = client.get(f"/orders/{order['number']}?t=" + order["contract_url"].split("t=")[1]).get_data(as_text=True)
    assert guarantee.OUT_OF_SEASON in page


def test_in_season_the_timing_is_ignored_and_the_contract_has_no_exclusion(app, client):
    order = buy(client, (KYOHO_C2, 500), timing="now", destination=GUANGDONG)
    assert order["shipping"]["timing"] is None and order["shipping"]["season_opens_on"] is None
    assert order["ship_window"]["open"] is True
    contract = flat(pdf_text(client.get(relative(order["contract_url"])).data))
    assert flat(guarantee.OUT_OF_SEASON) not in contract and "预约发货" not in contract


def test_pickup_at_a_base_is_never_refused_nor_held_back(app, client, desk):
    order = buy(client, (KYOHO_C2, 500), method="pickup", timing="now")
    assert order["ship_window"] == {"open": True, "opens_on": None, "closes_on": None}
    assert order["shipping"]["timing"] is None
    assert pay_by_transfer(desk, order).status_code == 303
    paid = order_json(client, order["number"])
    assert datetime.fromisoformat(paid["dispatch_by"]) == deadline_after(app, datetime.fromisoformat(paid["paid_at"]))


# --- the cart and checkout say it before payment -----------------------------------------------------------------------


def test_the_cart_says_the_window_in_words(client, opening):
    fill_cart(client, (KYOHO_C2, 500))
    page = cart(client, province="山东省")
    assert "现在不在适宜期" in page and f"下一个适宜期为 {opening.year}年{opening.month}月{opening.day}日" in page
    assert "预约发货" in page and "冻害或热害" in page
    assert "现在正是适宜期" in cart(client, province="广东省")
    assert "不受栽植季节限制" in cart(client, method="pickup", province="山东省")
    cart(client, province="山东省")
    english = client.get("/cart?lang=en").get_data(as_text=True)
    assert "It is out of season now; the next season runs from" in english
    assert f"{opening.day} {opening.strftime('%b')} {opening.year}" in english
    assert "out-of-season planting" in english


GOOD = {"name": "王先生", "phone": "13812345678", **PLACE, "method": "post", "payment_method": "bank_transfer",
        "accept_contract": "y"}


def test_checkout_offers_reserve_or_now_with_the_contracts_words(app, client):
    fill_cart(client, (KYOHO_C2, 500))
    cart(client, province="山东省")
    page = client.get("/checkout").get_data(as_text=True)
    assert re.search(r'<input type="radio" name="timing" value="reserve" id="timing-reserve"\s+checked>', page)
    assert 'name="timing" value="now"' in page and guarantee.OUT_OF_SEASON in page
    assert 'name="csrf_token"' in page
    response = checkout(client, **GOOD, timing="now")
    assert response.status_code == 303, errors(response.get_data(as_text=True))
    number = response.location.rsplit("/", 1)[1]
    assert stored(app, number).ship_timing == "now"


def test_checkout_asks_when_the_page_showed_no_choice(app, client, opening):
    fill_cart(client, (KYOHO_C2, 500))
    cart(client, province="广东省")  # in season: the page shows no choice
    assert 'name="timing"' not in client.get("/checkout").get_data(as_text=True)
    response = checkout(client, **GOOD)  # but the buyer picked Shandong in the form
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "请在下方选择预约发货或立即发货" in page and 'name="timing" value="reserve"' in page
    response = checkout(client, **GOOD, timing="reserve")
    assert response.status_code == 303
    found = stored(app, response.location.rsplit("/", 1)[1])
    assert (found.ship_timing, found.season_opens_on) == ("reserve", opening)


def test_checkout_refuses_a_made_up_timing(client):
    fill_cart(client, (KYOHO_C2, 500))
    cart(client, province="山东省")
    response = checkout(client, **GOOD, timing="whenever")
    assert response.status_code == 422 and "发货时间请选择" in response.get_data(as_text=True)


# --- the desk keeps reserved orders apart until their week -------------------------------------------------------------


def test_the_desk_shows_reserved_orders_apart_until_the_week_before_their_window(app, client, desk):
    later = buy(client, (KYOHO_C2, 500))  # Shandong: opens in 10 days
    day_before_its_week = buy(client, (KYOHO_C2, 500), destination=JIANGSU)  # opens in 8 days
    soon = buy(client, (KYOHO_C2, 500), destination=HENAN)  # opens in 7 days: its week has come
    at_once = buy(client, (KYOHO_C2, 500), timing="now")
    for order in (later, day_before_its_week, soon, at_once):
        assert pay_by_transfer(desk, order).status_code == 303
    home = desk.get("/desk/").get_data(as_text=True)
    reserved = home[home.index('id="queue-reserved"'):]
    reserved = reserved[:reserved.index("</section>")]
    to_dispatch = home[home.index('id="queue-dispatch"'):]
    to_dispatch = to_dispatch[:to_dispatch.index("</section>")]
    assert later["number"] in reserved and later["number"] not in to_dispatch
    assert day_before_its_week["number"] in reserved and day_before_its_week["number"] not in to_dispatch
    assert soon["number"] in to_dispatch and soon["number"] not in reserved
    assert at_once["number"] in to_dispatch and "非适宜期立即发货" in to_dispatch
    assert "预约：" in reserved


def test_a_reserved_credit_order_is_due_the_rule_days_after_its_window_opens(app, client, opening):
    from tests.actions import credit_dealer, order_on_account

    token = credit_dealer(app, limit="1000.00")
    order = order_on_account(client, token, (KYOHO_C2, 600), shipping={"method": "post", **PLACE}).get_json()
    assert (order["status"], order["payment_status"]) == ("awaiting_dispatch", "on_account")
    assert order["shipping"]["timing"] == "reserve"
    assert datetime.fromisoformat(order["dispatch_by"]) == deadline_after(app, start_of(opening))
    now = order_on_account(client, token, (KYOHO_C2, 600), shipping={"method": "post", "timing": "now", **PLACE})
    placed = now.get_json()
    assert datetime.fromisoformat(placed["dispatch_by"]) == deadline_after(
        app, datetime.fromisoformat(placed["created_at"]))


def test_a_reserved_order_cannot_leave_before_the_week_its_window_opens(app, client, desk, opening):
    from tests.actions import dispatch, dispatch_together, flashes, run

    held = buy(client, (KYOHO_C2, 500))  # Shandong, reserved: opens in 10 days
    due = buy(client, (KYOHO_C2, 500), destination=HENAN)  # opens in 7 days: its week has come
    for order in (held, due):
        assert pay_by_transfer(desk, order).status_code == 303

    assert dispatch(desk, held).status_code == 303
    assert stored(app, held["number"]).status == "awaiting_dispatch"
    leaves = (opening - timedelta(days=7)).isoformat()
    said = flashes(desk, held)
    assert leaves in said and "预约" in said
    refused = run(app, "orders", "dispatch", held["number"], "--base", "平邑", "--carrier", "顺丰速运", "--tracking",
                  "SF1", "--cert", "鲁检-1", "--cert-date", today().isoformat(), "--by", "小李")
    assert refused.exit_code != 0 and leaves in refused.output

    batch_page = desk.get("/desk/dispatch/batch").get_data(as_text=True)
    assert due["number"] in batch_page and held["number"] not in batch_page
    together = dispatch_together(desk, [due, held], cert="鲁检-2", issued_on=today().isoformat(), vehicle="鲁Q1")
    assert together.status_code == 409
    assert [stored(app, o["number"]).status for o in (due, held)] == ["awaiting_dispatch"] * 2  # all or none

    assert dispatch(desk, due).status_code == 303
    assert stored(app, due["number"]).status == "dispatched"


def test_shipped_now_out_of_season_it_leaves_at_once(app, client, desk):
    from tests.actions import dispatch

    order = buy(client, (KYOHO_C2, 500), shipping={"method": "post", "timing": "now", **PLACE})
    assert order["shipping"]["timing"] == "now"
    assert pay_by_transfer(desk, order).status_code == 303
    assert dispatch(desk, order).status_code == 303
    assert stored(app, order["number"]).status == "dispatched"


def test_a_reserved_credit_orders_contract_counts_dispatch_from_the_window(app, client, opening):
    from tests.actions import credit_dealer, order_on_account

    token = credit_dealer(app, limit="1000.00")
    order = order_on_account(client, token, (KYOHO_C2, 600), shipping={"method": "post", **PLACE}).get_json()
    contract = flat(pdf_text(client.get(relative(order["contract_url"])).data))
    assert f"适宜栽植期开始之日（{opening.year}年{opening.month}月{opening.day}日）起两日内发货" in contract
    assert "自下单之时起" not in contract
