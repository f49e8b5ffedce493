"""The nursery's staff: desk accounts, the order page's forms, the command line."""

from __future__ import annotations

import html
import re
from datetime import datetime

from .constants import SHANGHAI, STAFF_PASSWORD
from .pages import submit

FLASH = re.compile(r'<p class="flash [^"]*"[^>]*>([^<]+)<')


def make_user(app, name: str, role: str, password: str = STAFF_PASSWORD) -> None:
    """A desk account (or a non-staff account, e.g. role "dealer") written straight to the database."""
    from shop.desk.models import User
    from shop.extensions import db

    with app.app_context():
        user = User(username=name, role=role)
        user.set_password(password)
        db.session.add(user)
        db.session.commit()


def log_in(client, name: str, password: str = STAFF_PASSWORD):
    """Fill in and send the desk login form; the response."""
    return submit(client, "/desk/login", {"username": name, "password": password}, page="/desk/login")


def staff_client(app, name: str = "小李", role: str = "staff"):
    """A browser logged in to the desk as a new staff member (or admin)."""
    make_user(app, name, role)
    client = app.test_client()
    assert log_in(client, name).status_code == 303
    return client


def _number(order: dict | str) -> str:
    return order if isinstance(order, str) else order["number"]


def _desk(desk, order: dict | str, action: str, data: dict):
    number = _number(order)
    return submit(desk, f"/desk/orders/{number}/{action}", data, page=f"/desk/orders/{number}")


def pay_by_transfer(desk, order: dict | str, amount: str | None = None, reference: str = "网银 0001"):
    """Staff confirm that the bank transfer arrived (the order's total unless an amount is typed); the response."""
    today = datetime.now(SHANGHAI).date().isoformat()
    typed = order["total"] if amount is None else amount
    return _desk(desk, order, "confirm-transfer", {"amount": typed, "received_on": today, "reference": reference})


def dispatch(desk, order: dict | str, *, carrier: str = "顺丰速运", tracking: str = "SF1234567890",
             cert: str = "鲁检370000-2026-0815", base: str = "平邑县种苗基地", issued_on: str | None = None,
             vehicle: str = ""):
    """Staff record the parcel leaving a base with its plant quarantine certificate (issued today unless told
    otherwise, "" for none); the response."""
    issued = datetime.now(SHANGHAI).date().isoformat() if issued_on is None else issued_on
    return _desk(desk, order, "dispatch", {"base": base, "carrier": carrier, "tracking_number": tracking,
                                           "quarantine_cert": cert, "cert_issued_on": issued, "vehicle": vehicle})


def dispatch_together(desk, orders: list, *, cert: str, issued_on: str, vehicle: str, carrier: str = "临沂通达物流",
                      tracking: str = "", base: str = "临沭县种苗基地"):
    """Staff dispatch several orders in one vehicle under one quarantine certificate (一车一证); the response."""
    numbers = [_number(order) for order in orders]
    return submit(desk, "/desk/dispatch/batch", {
        "base": base, "carrier": carrier, "vehicle": vehicle, "tracking_number": tracking, "quarantine_cert": cert,
        "cert_issued_on": issued_on, "number": numbers}, page="/desk/dispatch/batch")


def cancel(desk, order: dict | str, reason: str = "客户电话取消", reference: str = ""):
    """Staff cancel an order before dispatch (a paid transfer needs the refund's bank reference); the response."""
    return _desk(desk, order, "cancel", {"reason": reason, "reference": reference})


def refund(desk, order: dict | str, amount: str = "", reason: str = "缺货退款", reference: str = ""):
    """Staff refund all (amount empty) or part of what was paid; the response."""
    return _desk(desk, order, "refund", {"amount": amount, "reason": reason, "reference": reference})


def flashes(desk, order: dict | str) -> str:
    """The flashed messages the desk's order page shows now, joined by spaces."""
    page = desk.get(f"/desk/orders/{_number(order)}").get_data(as_text=True)
    return " ".join(html.unescape(message) for message in FLASH.findall(page))


def run(app, *args: str):
    """`flask --app wsgi ARGS…` (an operator or cron); the result."""
    return app.test_cli_runner().invoke(args=list(args))
