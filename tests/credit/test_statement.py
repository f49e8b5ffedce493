"""The monthly statement (对账单) PDF: read back, every figure is the ledger's; only its dealer and staff get it."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from pypdf import PdfReader

from shop.money import format_money
from tests.actions import (
    SHANGHAI,
    SHINE_C1,
    cancel,
    database,
    dealer_client,
    fen,
    grant_credit,
    make_dealer,
    order_on_account,
    pay_on_account,
    run,
    set_order,
    staff_client,
    stand_in_regions,
)

PHONE_A, PHONE_B = "13900000071", "13900000072"
PASSWORD = "dealer-pass-7"
MONTH = "2025-03"


@pytest.fixture(autouse=True)
def _regions(monkeypatch):
    stand_in_regions(monkeypatch)


def shanghai(day: str, hour: int = 10) -> datetime:
    """A moment on a Shanghai calendar day, as stored (UTC)."""
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI).astimezone(UTC)


def credit_account(app, phone: str, company: str, limit: str = "50000") -> tuple[int, str]:
    """An approved dealer with a web password, a credit limit and an API token: (id, token)."""
    dealer_id = make_dealer(app, phone, PASSWORD, company=company)
    grant_credit(app, phone, limit, terms_days=30)
    issued = run(app, "dealers", "token", phone)
    assert issued.exit_code == 0, issued.output
    return dealer_id, issued.output.strip()


def on_account(app, token: str, plants: int) -> dict:
    response = order_on_account(app.test_client(), token, (SHINE_C1, plants))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def paid_in(app, phone: str, amount_fen: int, day: str, reference: str):
    result = pay_on_account(app, phone, f"{amount_fen // 100}.{amount_fen % 100:02d}", date=day, reference=reference)
    assert result.exit_code == 0, result.output


@pytest.fixture
def march(app):
    """Dealer A's March 2025: an order from February still owed (the opening), an order, an order cancelled the
    next day, a part payment, an overpayment, then an order that falls due and is overdue at the month's end;
    a payment in April. Dealer B has an order of their own."""
    a_id, token = credit_account(app, PHONE_A, "临沂示例赊购经销部")
    _b_id, token_b = credit_account(app, PHONE_B, "沂南示例果苗站")
    opening, order, cancelled, late = (on_account(app, token, n) for n in (1000, 600, 400, 800))
    other = on_account(app, token_b, 100)
    desk = staff_client(app, "会计小李")
    assert cancel(desk, cancelled["number"], reason="客户改单").status_code == 303
    set_order(app, opening["number"], created_at=shanghai("2025-02-20"), dispatched_at=shanghai("2025-02-21"),
              due_at=shanghai("2025-03-05"))
    set_order(app, order["number"], created_at=shanghai("2025-03-03"))
    set_order(app, cancelled["number"], created_at=shanghai("2025-03-05"), cancelled_at=shanghai("2025-03-06"))
    set_order(app, late["number"], created_at=shanghai("2025-03-25"), dispatched_at=shanghai("2025-03-26"),
              due_at=shanghai("2025-03-28"))
    set_order(app, other["number"], created_at=shanghai("2025-03-04"))
    total = {name: fen(o["total"]) for name, o in (("opening", opening), ("order", order), ("late", late))}
    part = total["opening"] // 2
    extra = 12345
    paid_in(app, PHONE_A, part, "2025-03-10", "网银 0310")
    paid_in(app, PHONE_A, total["opening"] - part + total["order"] + extra, "2025-03-15", "网银 0315")
    paid_in(app, PHONE_A, 100, "2025-04-02", "网银 0402")
    return {"dealer_id": a_id, "numbers": {"opening": opening["number"], "order": order["number"],
                                           "cancelled": cancelled["number"], "late": late["number"],
                                           "other": other["number"]},
            "total": total, "part": part, "extra": extra, "desk": desk}


def ledger_statement(app, phone: str, year: int, month: int):
    from shop.credit import ledger
    from shop.credit import service as credit
    from shop.dealers import accounts

    with database(app):
        return ledger.statement(*credit.rows(accounts.by_phone(phone)), year, month)


# --- reading the PDF back ------------------------------------------------------------------------------------------


def placed_text(pdf: bytes) -> list[tuple[float, float, str]]:
    """(y, x, text) of every piece of text in the order the pages draw it (a table: row by row, left to right),
    without the page's header and footer lines (page numbers, 续)."""
    from shop.contracts.styles import MARGIN_BOTTOM, MARGIN_TOP, PAGE_SIZE

    found = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages):
        def visit(text, cm, tm, _font, _size, number=number):
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if text.strip() and MARGIN_BOTTOM <= y <= PAGE_SIZE[1] - MARGIN_TOP:
                found.append((round(y, 1) - number * 10_000, x, text.strip()))

        page.extract_text(visitor_text=visit)
    return found


def table_rows(pdf: bytes, widths, header: str) -> list[list[str]]:
    """The rows drawn after the table heading `header` (itself left out, also when repeated on the next page):
    pieces of text on one baseline make a row, each piece in the column whose bounds hold its x."""
    from shop.contracts.styles import MARGIN_X

    bounds = [MARGIN_X + sum(widths[:i]) for i in range(len(widths) + 1)]
    pieces = placed_text(pdf)
    start = next(i for i, (_y, _x, text) in enumerate(pieces) if text == header)
    rows: list[list[str]] = []
    last_y = None
    for y, x, text in pieces[start:]:
        column = next((i for i in range(len(widths)) if bounds[i] - 1 <= x < bounds[i + 1]), None)
        if column is None:
            continue
        if y != last_y:
            rows.append([""] * len(widths))
            last_y = y
        rows[-1][column] += text
    return [row for row in rows if row[0] != header]


def flat(pdf: bytes) -> str:
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


def test_every_figure_printed_is_the_ledgers(app, march):
    from shop.credit.statement import ENTRY_WIDTHS, KINDS, OVERDUE_WIDTHS

    expected = ledger_statement(app, PHONE_A, 2025, 3)
    numbers, total = march["numbers"], march["total"]
    # what the month holds, by construction, before comparing the PDF with the ledger
    assert expected.opening_fen == total["opening"]
    assert [(e.kind, e.reference) for e in expected.entries] == [
        ("order", numbers["order"]), ("order", numbers["cancelled"]), ("cancelled", numbers["cancelled"]),
        ("payment", "网银 0310"), ("payment", "网银 0315"), ("order", numbers["late"])]
    assert expected.entries[4].owed_after_fen == -march["extra"]  # the overpayment: a balance in the dealer's favour
    assert expected.closing_fen == total["late"] - march["extra"]
    [overdue] = expected.overdue
    assert (overdue.order.number, overdue.owed_fen) == (numbers["late"], expected.closing_fen)
    assert overdue.overdue_days >= 3  # due 28 March, 10:00; the month ends three and a half days later

    response = march["desk"].get(f"/desk/credit/{march['dealer_id']}/statement/{MONTH}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pdf = response.data
    rows = table_rows(pdf, ENTRY_WIDTHS, "日期")
    money = format_money
    printed = [[e.day.isoformat(), f"{KINDS[e.kind]}{e.reference}".replace(" ", ""),
                money(e.debit_fen) if e.debit_fen else "", money(e.credit_fen) if e.credit_fen else "",
                money(e.owed_after_fen)] for e in expected.entries]
    assert [[cell.replace(" ", "") for cell in row] for row in rows[:len(printed) + 3]] == [
        ["", "期初欠款", "", "", money(expected.opening_fen)],
        *printed,
        ["", "本月合计", money(expected.debits_fen), money(expected.credits_fen), ""],
        ["", "期末欠款", "", "", money(expected.closing_fen)],
    ]
    assert "-¥123.45" in rows[5][4]
    assert table_rows(pdf, OVERDUE_WIDTHS, "订单号")[:1] == [
        [overdue.order.number, "2025-03-28", money(overdue.owed_fen), f"{overdue.overdue_days} 天"]]
    text = flat(pdf)
    assert f"期初欠款：{money(expected.opening_fen)}" in text and f"期末欠款：{money(expected.closing_fen)}" in text
    assert "授信额度：¥50,000.00" in text and "账期：发货后30天" in text
    assert "临沂示例赊购经销部" in text and "赵经理" in text and PHONE_A in text and "示例果树种苗场（演示）" in text
    assert "对账期间：2025-03-01至2025-03-31" in text and "第1页共1页" in text and "生成时间：" in text
    assert numbers["other"] not in text and "网银0402" not in text  # dealer B's order, April's payment


def test_the_dealer_downloads_their_own_and_only_their_own(app, march):
    own = dealer_client(app, PHONE_A, PASSWORD)
    response = own.get(f"/dealer/statement/{MONTH}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert march["numbers"]["late"] in flat(response.data)

    other = dealer_client(app, PHONE_B, PASSWORD)
    theirs = flat(other.get(f"/dealer/statement/{MONTH}.pdf").data)
    assert march["numbers"]["other"] in theirs and march["numbers"]["late"] not in theirs
    refused = other.get(f"/desk/credit/{march['dealer_id']}/statement/{MONTH}.pdf")  # the desk's address
    assert refused.status_code == 302 and refused.location.startswith("/desk/login")

    anonymous = app.test_client().get(f"/dealer/statement/{MONTH}.pdf")
    assert anonymous.status_code == 302 and anonymous.location.endswith("/dealer/login")


@pytest.mark.parametrize("month", ["2025-13", "2025-00", "2025-3", "25-03", "2025-03x", "abcd-ef", "1999-12",
                                   "２０２５-03"])
def test_a_month_that_is_not_one_is_404(app, march, month):
    own = dealer_client(app, PHONE_A, PASSWORD)
    assert own.get(f"/dealer/statement/{month}.pdf").status_code == 404
    assert own.get("/dealer/statement", query_string={"month": month}).status_code == 404
    assert march["desk"].get(f"/desk/credit/{march['dealer_id']}/statement/{month}.pdf").status_code == 404


def test_a_month_to_come_is_404_and_the_picker_leads_to_the_pdf(app, march):
    now = datetime.now(SHANGHAI)
    following = (now.replace(day=28) + timedelta(days=5)).strftime("%Y-%m")
    own = dealer_client(app, PHONE_A, PASSWORD)
    assert own.get(f"/dealer/statement/{following}.pdf").status_code == 404
    picked = own.get("/dealer/statement", query_string={"month": MONTH})
    assert picked.status_code == 303 and picked.location.endswith(f"/dealer/statement/{MONTH}.pdf")
    desk = march["desk"]
    picked = desk.get(f"/desk/credit/{march['dealer_id']}/statement", query_string={"month": MONTH})
    assert picked.status_code == 303 and picked.location.endswith(f"/desk/credit/{march['dealer_id']}/statement/"
                                                                  f"{MONTH}.pdf")
    assert desk.get(f"/desk/credit/{2**40}/statement/{MONTH}.pdf").status_code == 404
    assert desk.get(f"/desk/credit/{march['dealer_id'] + 100}/statement/{MONTH}.pdf").status_code == 404


def test_this_months_statement_counts_overdue_days_to_now_not_to_the_months_end(app):
    _dealer_id, token = credit_account(app, PHONE_A, "临沂示例赊购经销部")
    order = on_account(app, token, 200)
    now = datetime.now(UTC)
    set_order(app, order["number"], created_at=now - timedelta(minutes=5), dispatched_at=now - timedelta(minutes=5),
              due_at=now - timedelta(days=3) + timedelta(hours=1))
    this_month = now.astimezone(SHANGHAI).strftime("%Y-%m")
    pdf = dealer_client(app, PHONE_A, PASSWORD).get(f"/dealer/statement/{this_month}.pdf").data
    from shop.credit import service as credit
    from shop.credit.statement import OVERDUE_WIDTHS
    from shop.dealers import accounts

    with database(app):
        days_now = credit.position(accounts.by_phone(PHONE_A), datetime.now(UTC)).oldest_overdue_days
    year, month = map(int, this_month.split("-"))
    [at_months_end] = ledger_statement(app, PHONE_A, year, month).overdue
    assert days_now in (2, 3) and at_months_end.overdue_days >= days_now
    assert "截至生成时逾期未付" in flat(pdf)
    [row] = table_rows(pdf, OVERDUE_WIDTHS, "订单号")[:1]
    assert row[0] == order["number"] and row[3] == f"{days_now} 天"


# --- the renderer alone ------------------------------------------------------------------------------------------


def render(orders, payments, year=2025, month=3):
    from shop.contracts.document import Party
    from shop.credit import ledger
    from shop.credit.statement import render_statement

    statement = ledger.statement(orders, payments, year, month)
    pdf = render_statement(statement, seller=Party("示例果树种苗场（演示）", "000-0000-0000", "山东省临沂市"),
                           dealer=Party("临沂示例赊购经销部", PHONE_A, "山东临沂", contact="钱经理"),
                           account=ledger.Account(limit_fen=5_000_000, terms_days=30),
                           generated_at=datetime(2025, 4, 1, 1, 30, tzinfo=UTC))
    return statement, pdf


def test_a_long_month_runs_over_pages_numbered_x_of_y_with_the_heading_on_each():
    from shop.credit import ledger
    from shop.credit.statement import ENTRY_WIDTHS
    from tests.actions import page_count

    orders = [ledger.CreditOrder(f"MM202503{d:02d}-{i:04d}", 1000 + i, shanghai(f"2025-03-{d:02d}", 9))
              for i, d in enumerate(list(range(1, 29)) * 4)]
    payments = [ledger.Payment(5000, shanghai(f"2025-03-{d:02d}").date(), f"网银 {d}") for d in range(2, 30, 3)]
    statement, pdf = render(orders, payments)
    pages = page_count(pdf)
    assert pages >= 3 and len(statement.entries) == len(orders) + len(payments)
    texts = [re.sub(r"\s+", "", page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]
    for number, text in enumerate(texts, start=1):
        assert f"第{number}页共{pages}页" in text and "生成时间：2025-04-0109:30" in text
        assert ("赊购订单" not in text) or "借方(应收)" in text  # a page of lines repeats the table's heading
    assert sum("赊购订单" in text for text in texts) >= 2
    rows = table_rows(pdf, ENTRY_WIDTHS, "日期")
    balances = [row[4] for row in rows[1:len(statement.entries) + 1]]
    assert balances == [format_money(e.owed_after_fen) for e in statement.entries]
    assert rows[len(statement.entries) + 1][2:4] == [format_money(statement.debits_fen),
                                                     format_money(statement.credits_fen)]


def test_a_quiet_month_states_the_balance_carried_and_nothing_overdue():
    from shop.credit import ledger
    from shop.credit.statement import ENTRY_WIDTHS

    order = ledger.CreditOrder("MM20250201-0001", 30000, shanghai("2025-02-01"))
    payment = ledger.Payment(50000, shanghai("2025-02-10").date(), "网银 0210")
    statement, pdf = render([order], [payment])
    assert (statement.opening_fen, statement.entries, statement.closing_fen) == (-20000, (), -20000)
    rows = table_rows(pdf, ENTRY_WIDTHS, "日期")
    assert rows[:3] == [["", "期初欠款", "", "", "-¥200.00"], ["", "本月合计", "¥0.00", "¥0.00", ""],
                        ["", "期末欠款", "", "", "-¥200.00"]]
    text = flat(pdf)
    assert "期初欠款：-¥200.00（预付余额）" in text and "月末逾期未付无" in text


def test_a_suspended_dealer_still_gets_their_statement(app, march):
    assert run(app, "dealers", "suspend", PHONE_A).exit_code == 0
    own = dealer_client(app, PHONE_A, PASSWORD)
    response = own.get(f"/dealer/statement/{MONTH}.pdf")
    assert response.status_code == 200 and march["numbers"]["late"] in flat(response.data)
