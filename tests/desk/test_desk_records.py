"""Printing contracts at the desk, answering quote requests, and the audit log."""

import re

import sqlalchemy as sa

from shop.money import format_yuan
from tests.actions import (
    buy,
    cancel,
    csrf_token,
    database,
    dispatch,
    page_count,
    pay_by_transfer,
    pdf_text,
    staff_client,
    stored,
    submit,
)

SKU = "GRP-SHINE-C1"
MANY = [(sku, 40) for sku in ("GRP-SHINE-C1", "GRP-SHINE-C2", "GRP-SHINE-GR", "GRP-BEET-C1")]


def paid(client, desk, items=None) -> str:
    order = buy(client, *(items or [(SKU, 100)]))
    assert pay_by_transfer(desk, order).status_code == 303
    return order["number"]


def pages_of(desk, number: str) -> int:
    """Pages of one contract, fetched without marking it printed."""
    return page_count(desk.get(f"/orders/{number}/contract.pdf").data)


def print_batch(desk, scope: str, numbers: list[str] = ()):
    """Tick orders on the desk's front page and press one of the two print buttons."""
    return desk.post("/desk/contracts/batch", data={"csrf_token": csrf_token(desk, "/desk/"), "scope": scope,
                                                    "number": list(numbers)})


# Printing


def test_printing_one_contract_marks_it_printed_once(app, client, desk):
    number = paid(client, desk)
    assert stored(app, number).contract_printed_at is None
    assert "合同未打印" in desk.get("/desk/").get_data(as_text=True)
    response = desk.get(f"/desk/orders/{number}/contract.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert number in pdf_text(response.data)
    first = stored(app, number).contract_printed_at
    assert first is not None
    desk.get(f"/desk/orders/{number}/contract.pdf")
    assert stored(app, number).contract_printed_at == first
    assert "合同未打印" not in desk.get("/desk/").get_data(as_text=True)


def test_a_batch_of_the_ticked_orders_is_one_pdf_with_every_page(app, client, desk):
    one, two, left_out = paid(client, desk), paid(client, desk, MANY), paid(client, desk)
    expected = pages_of(desk, one) + pages_of(desk, two)
    response = print_batch(desk, "selected", [one, two])
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert page_count(response.data) == expected
    text = pdf_text(response.data)
    assert one in text and two in text and left_out not in text
    assert stored(app, one).contract_printed_at and stored(app, two).contract_printed_at
    assert stored(app, left_out).contract_printed_at is None


def test_all_paid_unprinted_contracts_in_one_pdf_then_nothing_left(app, client, desk):
    printed, first, second = paid(client, desk), paid(client, desk), paid(client, desk, MANY)
    unpaid = buy(client, (SKU, 100))["number"]
    desk.get(f"/desk/orders/{printed}/contract.pdf")
    response = print_batch(desk, "unprinted")
    assert response.status_code == 200
    assert page_count(response.data) == pages_of(desk, first) + pages_of(desk, second)
    text = pdf_text(response.data)
    assert first in text and second in text
    assert printed not in text and unpaid not in text
    again = print_batch(desk, "unprinted")
    assert again.status_code == 303
    assert "没有要打印的合同" in desk.get("/desk/").get_data(as_text=True)


def test_a_batch_with_nothing_ticked_or_unknown_numbers_prints_nothing(app, client, desk):
    assert print_batch(desk, "selected").status_code == 303
    assert print_batch(desk, "selected", ["MM20260101-NOSUCHORDER"]).status_code == 303
    assert print_batch(desk, "everything").status_code == 400


# Quote requests


def ask_for_a_price(client, slug: str = "greening-hibiscus", quantity: int = 500):
    page = f"/v/{slug}/quote"
    return client.post(page, data={"name": "孙经理", "phone": "13700001234", "quantity": quantity,
                                   "message": "绿化工程用，3月到货", "csrf_token": csrf_token(client, page)})


def test_quote_requests_are_listed_and_answered(app, client, desk):
    assert ask_for_a_price(client).status_code == 302
    html = desk.get("/desk/quotes").get_data(as_text=True)
    assert "木槿花" in html and "孙经理" in html and "13700001234" in html and "3月到货" in html
    quote_id = re.search(r'/desk/quotes/(\d+)/answer', html).group(1)
    response = submit(desk, f"/desk/quotes/{quote_id}/answer", {"answer": "高1.2米 每株8元，已电话告知"},
                      page="/desk/quotes")
    assert response.status_code == 303
    html = desk.get("/desk/quotes").get_data(as_text=True)
    assert "已回复" in html and "每株8元" in html and "小李" in html
    assert f"/desk/quotes/{quote_id}/answer" not in html


def test_an_empty_answer_is_not_recorded(app, client, desk):
    from shop.catalog.models import QuoteRequest

    ask_for_a_price(client)
    with database(app) as db:
        quote_id = db.session.execute(sa.select(QuoteRequest.id)).scalar_one()
    submit(desk, f"/desk/quotes/{quote_id}/answer", {"answer": "   "}, page="/desk/quotes")
    with database(app) as db:
        assert db.session.get(QuoteRequest, quote_id).answered_at is None
    for unknown in ("999999", "2147483648", "9" * 20):
        assert submit(desk, f"/desk/quotes/{unknown}/answer", {"answer": "x"}, page="/desk/").status_code == 404
        assert submit(desk, f"/desk/mismatches/{unknown}/resolve", {"note": "x"}, page="/desk/").status_code == 404


# The audit log


def entries(app, action: str, subject: str):
    from shop.desk.models import AuditEntry

    with database(app) as db:
        found = list(db.session.execute(sa.select(AuditEntry).where(AuditEntry.action == action,
                                                                    AuditEntry.subject == subject)).scalars())
        db.session.expunge_all()
    return found


def test_confirm_dispatch_and_cancel_are_audited_with_who_and_before_after(app, client, desk):
    number = paid(client, desk)
    dispatch(desk, number, tracking="SF0001")
    unpaid = buy(client, (SKU, 300))["number"]
    cancel(desk, unpaid, "重复下单")

    [confirmed] = entries(app, "payment_received", number)
    assert confirmed.actor == "小李" and confirmed.at is not None
    assert (confirmed.before["status"], confirmed.after["status"]) == ("pending_payment", "awaiting_dispatch")
    assert (confirmed.before["payment_status"], confirmed.after["payment_status"]) == ("unpaid", "paid")
    assert confirmed.after["amount"] == format_yuan(stored(app, number).total_fen)
    [sent] = entries(app, "dispatch", number)
    assert sent.actor == "小李" and sent.before["status"] == "awaiting_dispatch" and sent.after["tracking_number"] == "SF0001"
    [cancelled] = entries(app, "cancel_order", unpaid)
    assert cancelled.actor == "小李" and cancelled.after["reason"] == "重复下单"
    assert cancelled.after["stock_returned"] == {SKU: 300}


def test_set_stock_is_audited(app, runner):
    result = runner.invoke(args=["catalog", "set-stock", SKU, "5000", "--base", "平邑"])
    assert result.exit_code == 0, result.output
    [entry] = entries(app, "set_stock", SKU)
    assert entry.after == {"平邑": 5000} and entry.before["平邑"] != 5000
    assert entry.actor.startswith("cli:")  # the login name of whoever ran it

    result = runner.invoke(args=["catalog", "set-stock", SKU, "4000", "--base", "平邑", "--by", "王会计"])
    assert result.exit_code == 0, result.output
    assert [e.actor for e in entries(app, "set_stock", SKU)][-1] == "王会计"


def test_only_admins_read_the_audit_log(app, client, desk):
    number = paid(client, desk)
    assert desk.get("/desk/audit").status_code == 403
    assert "审计日志" not in desk.get("/desk/").get_data(as_text=True)
    admin = staff_client(app, "老板", role="admin")
    page = admin.get("/desk/audit")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "确认收款" in html and number in html and "小李" in html and "payment_received" not in html
