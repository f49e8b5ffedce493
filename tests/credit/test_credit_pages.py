"""Credit on the pages: the desk's list of dealers by usage with the 外欠款预警 and a chart, the dealer's desk page
(an admin sets limit and terms, staff record payments), the dealer's home and the credit choice when ordering."""

from __future__ import annotations

import html
import re
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.actions import (
    NAME,
    PHONE,
    PLACE,
    SHANGHAI,
    SHINE_C1,
    credit_of,
    csrf_token,
    database,
    dealer_client,
    dispatch_on_account,
    enter_list,
    errors,
    fen,
    grant_credit,
    log_in,
    make_dealer,
    make_user,
    order_on_account,
    page_text,
    run,
    set_order,
    staff_client,
    stand_in_regions,
    stored,
)

PASSWORD = "dealer-pass-8"
HUNDRED = 17500  # 100 阳光玫瑰 cuttings at the dealer price (¥2.50 × 0.7), fen
FLASH = re.compile(r'<p class="flash [^"]*"[^>]*>([^<]+)<')


@pytest.fixture(autouse=True)
def _regions(monkeypatch):
    stand_in_regions(monkeypatch)


def dealer(app, phone: str, company: str, limit_fen: int = 0, terms_days: int = 30) -> tuple[int, str]:
    """An approved dealer with a web password, a limit (if any) and an API token: (id, token)."""
    dealer_id = make_dealer(app, phone, PASSWORD, company=company)
    if limit_fen:
        grant_credit(app, phone, f"{limit_fen // 100}.{limit_fen % 100:02d}", terms_days=terms_days)
    issued = run(app, "dealers", "token", phone)
    assert issued.exit_code == 0, issued.output
    return dealer_id, issued.output.strip()


def on_account(app, token: str, plants: int = 100) -> dict:
    response = order_on_account(app.test_client(), token, (SHINE_C1, plants))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def overdue_by(app, number: str, days: int, terms_days: int = 30) -> None:
    """The order was placed and dispatched long enough ago to be `days` days (and an hour) past its due date."""
    at = datetime.now(UTC) - timedelta(days=days + terms_days, hours=1)
    set_order(app, number, created_at=at - timedelta(hours=2))
    dispatch_on_account(app, number, at=at)


def credit_rows(page: str) -> list[dict]:
    """Each dealer's row on /desk/credit: id, warning, its figures and the reasons shown."""
    found = []
    for row in re.findall(r'<tr class="credit-line[^"]*"(.*?)</tr>', page, re.S):
        figures = dict(re.findall(r'data-figure="(\w+)">([^<]*)', row))
        reasons = re.search(r'<span class="reasons">([^<]*)</span>', row)
        found.append({"id": int(re.search(r'data-dealer="(\d+)"', row).group(1)),
                      "warning": re.search(r'data-warning="(\w+)"', row).group(1) == "yes",
                      "reasons": html.unescape(reasons.group(1)) if reasons else "", **figures})
    return found


def flashed(client, response) -> str:
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    return " ".join(html.unescape(m) for m in FLASH.findall(client.get(response.location).get_data(as_text=True)))


@contextmanager
def counted_queries(app):
    """How many SQL statements run inside the block (a list holding the count)."""
    from shop.extensions import db

    count = [0]

    def one(*_args):
        count[0] += 1

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", one)
    try:
        yield count
    finally:
        sa.event.remove(engine, "before_cursor_execute", one)


# --- /desk/credit ----------------------------------------------------------------------------------------------


@pytest.fixture
def four(app):
    """Four dealers with credit: exactly 80% used, just under 80%, 12 days overdue on a small share, nothing owed;
    and one without credit, who is not listed."""
    at_80, token = dealer(app, "13900000081", "恰好八成经销部", limit_fen=HUNDRED * 100 // 80)  # ¥218.75
    on_account(app, token)
    under, token = dealer(app, "13900000082", "差一分八成经销部", limit_fen=HUNDRED * 100 // 80 + 1)  # ¥218.76
    on_account(app, token)
    late, token = dealer(app, "13900000083", "逾期示例经销部", limit_fen=1_000_000)
    overdue_by(app, on_account(app, token)["number"], 12)
    idle, _token = dealer(app, "13900000084", "未用额度经销部", limit_fen=500_000)
    dealer(app, "13900000085", "未授信经销部")
    return {"at_80": at_80, "under": under, "late": late, "idle": idle}


def test_dealers_with_credit_by_usage_with_the_warning_at_80_percent_and_overdue_days(app, four):
    desk = staff_client(app)
    response = desk.get("/desk/credit")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    rows = credit_rows(page)
    assert [r["id"] for r in rows] == [four["at_80"], four["under"], four["late"], four["idle"]]
    at_80, under, late, idle = rows
    assert (at_80["warning"], at_80["reasons"], at_80["usage"]) == (True, "已用 80%", "80%")
    assert (under["warning"], under["reasons"], under["usage"]) == (False, "", "79%")  # 79.996%: just under
    assert (late["warning"], late["reasons"]) == (True, "逾期 12 天")
    assert (late["outstanding"], late["overdue"], late["limit"], late["available"]) == (
        "¥175.00", "¥175.00", "¥10,000.00", "¥9,825.00")
    assert 'data-days="12"' in page
    assert (idle["warning"], idle["outstanding"], idle["usage"]) == (False, "¥0.00", "0%")
    assert "未授信经销部" not in page
    assert page.count("⚠") == 2 and "外欠款预警" in page


def test_the_chart_is_inline_svg_with_one_bar_per_dealer_that_fits_a_phone(app, four):
    page = staff_client(app).get("/desk/credit").get_data(as_text=True)
    svg = re.search(r"<svg id=\"credit-chart\"[^>]*>.*?</svg>", page, re.S)
    assert svg, "no chart"
    tag = re.match(r"<svg[^>]*>", svg.group(0)).group(0)
    assert re.search(r'viewBox="0 0 \d+ \d+"', tag) and 'width="100%"' in tag
    bars = re.findall(r'<rect class="bar outstanding" data-fen="(\d+)"[^>]*width="(\d+)"', svg.group(0))
    assert [int(f) for f, _w in bars] == [HUNDRED, HUNDRED, HUNDRED, 0]  # one per dealer, in the table's order
    assert [int(w) for _f, w in bars][3] == 0 and all(int(w) > 0 for _f, w in bars[:3])
    assert re.findall(r'<rect class="bar overdue" data-fen="(\d+)"', svg.group(0)) == [str(HUNDRED)]
    assert "<script" not in page and "http" not in svg.group(0).replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_the_page_runs_the_same_queries_for_two_dealers_or_five(app):
    desk = staff_client(app)
    for n in range(2):
        _id, token = dealer(app, f"1390000009{n}", f"示例经销部{n}", limit_fen=1_000_000)
        on_account(app, token)
    desk.get("/desk/credit")  # warm: the user, the catalog version
    with counted_queries(app) as two:
        assert desk.get("/desk/credit").status_code == 200
    for n in range(2, 5):
        _id, token = dealer(app, f"1390000009{n}", f"示例经销部{n}", limit_fen=1_000_000)
        on_account(app, token)
    with counted_queries(app) as five:
        page = desk.get("/desk/credit").get_data(as_text=True)
    assert len(credit_rows(page)) == 5
    assert five[0] == two[0], (two[0], five[0])


def test_in_english_the_warning_says_why_in_english(app, four):
    page = staff_client(app).get("/desk/credit?lang=en").get_data(as_text=True)
    reasons = [r["reasons"] for r in credit_rows(page)]
    assert reasons[0] == "80% used" and reasons[2] == "12 days overdue"
    assert "Arrears warning" in page


def test_only_staff_see_the_credit_desk(app, four):
    anonymous = app.test_client().get("/desk/credit")
    assert anonymous.status_code == 302 and anonymous.location.startswith("/desk/login")
    make_user(app, "代理商老赵", "dealer")
    outsider = app.test_client()
    log_in(outsider, "代理商老赵")
    assert outsider.get("/desk/credit").status_code == 403
    assert outsider.get(f"/desk/dealers/{four['late']}").status_code == 403
    assert dealer_client(app, "13900000083", PASSWORD).get("/desk/credit").status_code == 302
    assert "/desk/credit" in staff_client(app).get("/desk/").get_data(as_text=True)  # in the desk's navigation


# --- a dealer's desk page: limit and terms, payments on account ---------------------------------------------------


def set_credit(desk, dealer_id: int, limit: str, terms: str):
    page = f"/desk/dealers/{dealer_id}"
    return desk.post(f"{page}/credit", data={"limit": limit, "terms_days": terms, "csrf_token": csrf_token(desk, page)})


def record_payment(desk, dealer_id: int, amount: str, day: str | None = None, reference: str = "网银 1201"):
    page = f"/desk/dealers/{dealer_id}"
    day = day or datetime.now(SHANGHAI).date().isoformat()
    return desk.post(f"{page}/payments", data={"amount": amount, "received_on": day, "reference": reference,
                                               "csrf_token": csrf_token(desk, page)})


def account_of(app, dealer_id: int) -> tuple[int, int]:
    from shop.dealers.models import Dealer

    with database(app) as db:
        found = db.session.get(Dealer, dealer_id)
        return found.credit_limit_fen, found.credit_terms_days


def test_only_an_admin_sets_the_limit_and_terms_and_it_is_audited(app):
    from shop.desk.models import AuditEntry

    dealer_id, _token = dealer(app, "13900000086", "临沭示例经销部")
    staff = staff_client(app)
    page = staff.get(f"/desk/dealers/{dealer_id}").get_data(as_text=True)
    assert 'id="credit-form"' not in page and 'id="payment-form"' in page
    token = csrf_token(staff, f"/desk/dealers/{dealer_id}")
    refused = staff.post(f"/desk/dealers/{dealer_id}/credit", data={"limit": "80000", "terms_days": "45",
                                                                    "csrf_token": token})
    assert refused.status_code == 403 and account_of(app, dealer_id) == (0, 30)

    admin = staff_client(app, "王会计", role="admin")
    assert 'id="credit-form"' in admin.get(f"/desk/dealers/{dealer_id}").get_data(as_text=True)
    assert admin.post(f"/desk/dealers/{dealer_id}/credit", data={"limit": "80000", "terms_days": "45"}
                      ).status_code == 400  # no CSRF token
    assert account_of(app, dealer_id) == (0, 30)
    done = set_credit(admin, dealer_id, "¥80,000.50", "45")
    assert "授信额度 ¥80,000.50，账期发货后 45 天" in flashed(admin, done)
    assert account_of(app, dealer_id) == (8_000_050, 45)
    with database(app) as db:
        [entry] = db.session.execute(sa.select(AuditEntry).where(AuditEntry.action == "set_credit")).scalars()
        assert (entry.actor, entry.before, entry.after) == (
            "王会计", {"limit": "0.00", "terms_days": 30}, {"limit": "80000.50", "terms_days": 45})
    shown = page_text(admin.get(f"/desk/dealers/{dealer_id}"))
    assert "¥80,000.50" in shown and "发货后 45 天" in shown


@pytest.mark.parametrize(("limit", "terms", "message"), [
    ("五万", "30", "金额格式如 50000 或 50000.00"),
    ("-100", "30", "金额格式如 50000 或 50000.00"),
    ("100.001", "30", "金额格式如 50000 或 50000.00"),
    ("100", "三十", "账期须为 0 到 365 之间的整天数"),
    ("100", "366", "账期须为 0 到 365 之间的整天数"),
    ("100", "-1", "账期须为 0 到 365 之间的整天数"),
    ("", "30", "请填写授信额度"),
])
def test_a_bad_limit_or_terms_is_shown_on_the_form_not_a_500(app, limit, terms, message):
    dealer_id, _token = dealer(app, "13900000086", "临沭示例经销部")
    admin = staff_client(app, "王会计", role="admin")
    response = set_credit(admin, dealer_id, limit, terms)
    assert response.status_code == 422
    assert message in errors(response.get_data(as_text=True))
    assert account_of(app, dealer_id) == (0, 30)


@pytest.mark.parametrize(("lang", "message"), [
    ("zh", "代理商状态为已暂停，只能给已通过审核的代理商授信"), ("en", "the dealer is suspended: only an approved dealer can be given credit")])
def test_credit_for_a_suspended_dealer_is_refused_in_the_visitors_language(app, lang, message):
    dealer_id, _token = dealer(app, "13900000086", "临沭示例经销部")
    assert run(app, "dealers", "suspend", "13900000086").exit_code == 0
    admin = staff_client(app, "王会计", role="admin")
    admin.get(f"/desk/dealers/{dealer_id}?lang={lang}")
    response = set_credit(admin, dealer_id, "1000", "30")
    assert response.status_code == 422 and errors(response.get_data(as_text=True)) == [message]


def test_a_payment_recorded_at_the_desk_settles_the_oldest_orders_first_and_says_which(app):
    dealer_id, token = dealer(app, "13900000087", "费县示例经销部", limit_fen=1_000_000)
    first, second, third = (on_account(app, token) for _ in range(3))
    now = datetime.now(UTC)
    for i, order in enumerate((first, second, third)):  # placed in this order, a minute apart
        set_order(app, order["number"], created_at=now - timedelta(minutes=30 - i))
    desk = staff_client(app, "会计小李")
    message = flashed(desk, record_payment(desk, dealer_id, "262.50", reference="网银 0001"))
    assert "已记录回款 ¥262.50。" in message and f"已结清订单：{first['number']}。" in message
    assert f"{second['number']} 已付 ¥87.50，尚欠 ¥87.50。" in message
    assert (stored(app, first["number"]).payment_status, stored(app, second["number"]).paid_fen) == ("paid", 8750)
    assert stored(app, third["number"]).paid_fen == 0

    message = flashed(desk, record_payment(desk, dealer_id, "300.00", reference="网银 0002"))
    assert f"已结清订单：{second['number']}、{third['number']}。" in message
    assert "预付余额 ¥37.50" in message
    page = desk.get(f"/desk/dealers/{dealer_id}").get_data(as_text=True)
    assert "网银 0001" in page and "网银 0002" in page and "会计小李" in page
    assert credit_of(app.test_client(), token)["balance"] == "37.50"


@pytest.mark.parametrize(("amount", "day", "message"), [
    ("abc", None, "金额格式如 1409.50"),
    ("12.345", None, "金额格式如 1409.50"),
    ("0", None, "金额须大于零"),
    ("", None, "请填写回款金额"),
    ("100", "2026-02-30", "到账日期须为今天或以前的日期"),
    ("100", "明天", "到账日期须为今天或以前的日期"),
    ("100", "future", "到账日期须为今天或以前的日期"),
])
def test_a_bad_payment_is_shown_on_the_form_not_a_500(app, amount, day, message):
    dealer_id, token = dealer(app, "13900000087", "费县示例经销部", limit_fen=1_000_000)
    on_account(app, token)
    if day == "future":
        day = (datetime.now(SHANGHAI).date() + timedelta(days=1)).isoformat()
    desk = staff_client(app)
    response = record_payment(desk, dealer_id, amount, day)
    assert response.status_code == 422
    assert any(e.startswith(message) for e in errors(response.get_data(as_text=True))), errors(
        response.get_data(as_text=True))
    with database(app) as db:
        assert db.session.execute(sa.text("SELECT COUNT(*) FROM account_payment")).scalar() == 0


def test_the_dealers_desk_page_lists_credit_orders_with_due_dates_and_overdue_days_and_statements(app):
    dealer_id, token = dealer(app, "13900000088", "郯城示例经销部", limit_fen=1_000_000)
    late = on_account(app, token)["number"]
    fresh = on_account(app, token)["number"]
    overdue_by(app, late, 5)
    page = staff_client(app).get(f"/desk/dealers/{dealer_id}").get_data(as_text=True)
    rows = dict(re.findall(r'<tr class="credit-order[^"]*" data-number="([^"]+)">(.*?)</tr>', page, re.S))
    assert set(rows) == {late, fresh}
    due = (stored(app, late).due_at.astimezone(SHANGHAI)).date().isoformat()
    assert due in rows[late] and "5 天" in rows[late] and "¥175.00" in rows[late]
    assert "发货后起算" in rows[fresh]
    assert "外欠款预警：逾期 5 天" in html.unescape(page) and figures(page)["overdue"] == "¥175.00"
    this_month = datetime.now(SHANGHAI).strftime("%Y-%m")
    assert f'/desk/credit/{dealer_id}/statement/{this_month}.pdf' in page


# --- the dealer's own pages ------------------------------------------------------------------------------------


def figures(page: str) -> dict[str, str]:
    return {k: html.unescape(v).strip() for k, v in re.findall(r'data-figure="(\w+)">([^<]*)', page)}


def test_the_dealers_home_shows_the_same_credit_as_the_api_with_the_warning_and_statements(app):
    _id, token = dealer(app, "13900000089", "兰陵示例经销部", limit_fen=HUNDRED * 100 // 80, terms_days=20)
    on_account(app, token)
    home = dealer_client(app, "13900000089", PASSWORD).get("/dealer").get_data(as_text=True)
    api = credit_of(app.test_client(), token)
    shown = figures(home)
    assert {k: fen(shown[k].lstrip("¥").replace(",", "")) for k in ("limit", "outstanding", "available", "overdue",
                                                                     "balance")} == {
        k: fen(api[k]) for k in ("limit", "outstanding", "available", "overdue", "balance")}
    assert shown["terms_days"] == "发货后 20 天" and api["terms_days"] == 20 and api["warning"] is True
    assert "外欠款预警" in home and "已用 80%" in home
    this_month = datetime.now(SHANGHAI).strftime("%Y-%m")
    assert f'href="/dealer/statement/{this_month}.pdf"' in home


def test_a_dealer_without_credit_is_told_so_and_not_warned(app):
    dealer(app, "13900000089", "兰陵示例经销部")
    home = dealer_client(app, "13900000089", PASSWORD).get("/dealer").get_data(as_text=True)
    assert 'id="no-credit"' in home and "外欠款预警" not in home and 'data-figure="limit"' not in home


def test_the_entry_offers_credit_only_with_a_limit_and_places_the_order_on_account(app):
    dealer(app, "13900000090", "无额度经销部")
    without = dealer_client(app, "13900000090", PASSWORD)
    page = enter_list(without, f"{SHINE_C1} 100").get_data(as_text=True)
    assert 'name="payment_method"' in page and 'value="credit"' not in page

    _id, token = dealer(app, "13900000091", "有额度经销部", limit_fen=1_000_000)
    on_account(app, token)
    with_limit = dealer_client(app, "13900000091", PASSWORD)
    page = enter_list(with_limit, f"{SHINE_C1} 200").get_data(as_text=True)
    choice = re.search(r'<input[^>]*value="credit"[^>]*>\s*([^<]*)</label>', page)
    assert choice and html.unescape(choice.group(1)).strip() == "账期（赊购） · 可用 ¥9,825.00"
    placed = enter_list(with_limit, f"{SHINE_C1} 200", action="place", name=NAME, phone=PHONE, **PLACE,
                        method="post", payment_method="credit", accept_contract="y")
    assert placed.status_code == 303 and "/orders/" in placed.location
    number = placed.location.rsplit("/orders/", 1)[1].split("?")[0]
    order = stored(app, number)
    assert (order.payment_method, order.status, order.payment_status) == ("credit", "awaiting_dispatch", "on_account")
    assert credit_of(app.test_client(), token)["outstanding"] == f"{(HUNDRED + order.total_fen) / 100:.2f}"


def test_an_order_on_credit_over_the_limit_is_refused_on_the_entry_page(app):
    _id, _token = dealer(app, "13900000091", "有额度经销部", limit_fen=10_000)
    client = dealer_client(app, "13900000091", PASSWORD)
    refused = enter_list(client, f"{SHINE_C1} 200", action="place", name=NAME, phone=PHONE, **PLACE,
                         method="post", payment_method="credit", accept_contract="y")
    assert refused.status_code == 422 and "超出可用额度" in html.unescape(refused.get_data(as_text=True))


def test_a_bank_reference_too_long_is_refused_on_the_form(app):
    dealer_id, _token = dealer(app, "13900000087", "费县示例经销部", limit_fen=1_000_000)
    response = record_payment(staff_client(app), dealer_id, "100", reference="流" * 101)
    assert response.status_code == 422
    assert errors(response.get_data(as_text=True)) == ["银行流水号最多 100 个字符"]
