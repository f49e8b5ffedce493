"""`flask customers list --json --as-of`: a history over two seasons, each rule one day each side of its line."""

from __future__ import annotations

from datetime import date

import pytest

from tests.actions import (
    KYOHO_C2,
    credit_dealer,
    customers_json,
    order_on_account,
    ordered_on,
    run,
    set_order,
    shanghai_noon,
    staff_client,
)

DEALER_PHONE = "13900000055"


@pytest.fixture
def history(app):
    """张一 orders every 60 days in spring 2026 (巨峰 ¥0.60: 500 plants = ¥300.00); 李二 three orders of 990 plants on
    one day; 王三 an unpaid one; a dealer on account last season (1000 + 100 plants at ¥0.42) and this (700)."""
    client, desk = app.test_client(), staff_client(app)
    for day in (date(2026, 1, 1), date(2026, 3, 2), date(2026, 5, 1)):
        ordered_on(app, client, desk, day, phone="13800000001", name="张一")
    for _ in range(3):
        ordered_on(app, client, desk, date(2026, 4, 1), phone="13800000002", name="李二", plants=990)
    ordered_on(app, client, desk, date(2026, 4, 2), phone="13800000003", name="王三", paid=False)
    token = credit_dealer(app, DEALER_PHONE, limit="100000.00", company="示例经销部")
    for day, plants in ((date(2026, 1, 10), 1000), (date(2026, 3, 15), 100), (date(2026, 9, 1), 700)):
        response = order_on_account(client, token, (KYOHO_C2, plants))
        assert response.status_code == 201, response.get_json()
        set_order(app, response.get_json()["number"], created_at=shanghai_noon(day))
    return {key: row for key, row in customers_json(app, "--as-of", "2026-06-30").items()}


def dealer_key(rows: dict) -> str:
    return next(k for k, r in rows.items() if r["kind"] == "dealer")


def test_each_customer_as_one_json_line_with_money_in_yuan(app, history):
    zhang, li, wang = history["retail:13800000001"], history["retail:13800000002"], history["retail:13800000003"]
    assert zhang == {"key": "retail:13800000001", "kind": "retail", "name": "张一", "phone": "13800000001",
                     "orders": 3, "value": "900.00", "grade": "A", "segment": "vip", "last_order_at": "2026-05-01",
                     "warnings": []}
    # total 3144.00: 李二 1782 then 张一 (from 1782, under 80% = 2515.20: A), the dealer from 2682 (B), 王三 C
    assert (li["value"], li["grade"], li["segment"], li["orders"]) == ("1782.00", "A", "vip", 3)
    assert (wang["orders"], wang["value"], wang["grade"], wang["segment"]) == (1, "0.00", "C", "ordinary")
    dealer = history[dealer_key(history)]
    assert (dealer["value"], dealer["orders"], dealer["name"]) == ("462.00", 2, "示例经销部")
    assert (dealer["grade"], dealer["segment"], dealer["phone"]) == ("B", "key", DEALER_PHONE)
    assert list(history) == ["retail:13800000002", "retail:13800000001", dealer_key(history), "retail:13800000003"]


def test_churn_one_day_each_side_of_the_usual_gap_plus_grace(app, history):
    assert "churn" not in customers_json(app, "--as-of", "2026-07-30")["retail:13800000001"]["warnings"]
    assert customers_json(app, "--as-of", "2026-07-31")["retail:13800000001"]["warnings"] == ["churn"]


def test_dormant_one_day_each_side_of_365_days(app, history):
    assert customers_json(app, "--as-of", "2027-04-30")["retail:13800000001"]["segment"] != "dormant"
    assert customers_json(app, "--as-of", "2027-05-01")["retail:13800000001"]["segment"] == "dormant"


def test_sales_progress_one_day_each_side_of_70_percent(app, history):
    before = customers_json(app, "--as-of", "2027-03-14")  # 294.00 against 420.00: exactly 70%
    after = customers_json(app, "--as-of", "2027-03-15")  # 294.00 against 462.00
    key = dealer_key(before)
    assert "sales_progress" not in before[key]["warnings"]
    assert "sales_progress" in after[key]["warnings"]


def test_grades_move_with_the_as_of_day(app, history):
    # On 31 March 2027 李二's orders of 1 April 2026 are on the first of the 365 days; on 1 April they have left
    assert customers_json(app, "--as-of", "2027-03-31")["retail:13800000002"]["value"] == "1782.00"
    later = customers_json(app, "--as-of", "2027-04-01")
    assert later["retail:13800000002"]["value"] == "0.00" and later["retail:13800000002"]["grade"] == "C"


def test_a_bad_as_of_day_is_a_clear_error(app):
    result = run(app, "customers", "list", "--json", "--as-of", "2027-02-30")
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output


def test_as_of_a_day_before_their_first_order_a_customer_is_not_listed_yet(app, history):
    before = customers_json(app, "--as-of", "2026-03-31")
    assert "retail:13800000001" in before  # 张一 ordered on 1 January
    assert "retail:13800000002" not in before and "retail:13800000003" not in before  # 李二 and 王三: from April
    assert "retail:13800000002" in customers_json(app, "--as-of", "2026-04-01")
