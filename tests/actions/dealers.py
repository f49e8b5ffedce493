"""Dealers (代理商) in a browser (Flask's test client): apply, log in, enter a list, order from it."""

from __future__ import annotations

import re

from .constants import NAME, PHONE, PLACE
from .pages import csrf_token
from .records import database

DEALER_PHONE = "13955550001"
DEALER_PASSWORD = "dealer-pass-1"
CREDIT_CODE = "91371300MA3C123450"  # a 统一社会信用代码 with a right check digit

__all__ = ["CREDIT_CODE", "DEALER_PASSWORD", "DEALER_PHONE", "application", "apply_as_dealer", "dealer_client",
           "dealer_log_in", "decide_dealer", "enter_list", "entry_lines", "make_dealer", "order_from_list"]


def application(**fields) -> dict:
    """A complete, valid application; fields given replace its values."""
    details = {"company": "临沂果苗有限公司", "contact_name": "赵经理", "phone": DEALER_PHONE, "region": "山东临沂",
               "credit_code": CREDIT_CODE, "password": DEALER_PASSWORD, "confirm": DEALER_PASSWORD}
    details.update(fields)
    return details


def apply_as_dealer(client, **fields):
    """Fill in /dealers/apply and press 提交申请; the response."""
    data = {"csrf_token": csrf_token(client, "/dealers/apply"), **application(**fields)}
    return client.post("/dealers/apply", data=data)


def make_dealer(app, phone: str = DEALER_PHONE, password: str = DEALER_PASSWORD, status: str = "approved",
                company: str = "临沂果苗有限公司") -> int:
    """A dealer account as staff would leave it (approved unless told otherwise); its id."""
    from shop.dealers import accounts

    with database(app) as db:
        dealer = accounts.create(company=company, name="赵经理", phone=phone, region="山东", password=password,
                                 status=status, actor="test")
        db.session.commit()
        return dealer.id


def decide_dealer(app, phone: str, status: str, reason: str = "测试") -> None:
    """Staff approve, reject, suspend or reactivate the dealer (shop.dealers.accounts.decide, committed)."""
    from shop.dealers import accounts

    with database(app) as db:
        accounts.decide(accounts.by_phone(phone), status, actor="staff", reason=reason)
        db.session.commit()


def dealer_log_in(client, phone: str = DEALER_PHONE, password: str = DEALER_PASSWORD):
    """Log in at /dealer/login; the response."""
    data = {"csrf_token": csrf_token(client, "/dealer/login"), "phone": phone, "password": password}
    return client.post("/dealer/login", data=data)


def dealer_client(app, phone: str = DEALER_PHONE, password: str = DEALER_PASSWORD):
    """A browser with the dealer logged in (asserts the login worked)."""
    client = app.test_client()
    response = dealer_log_in(client, phone, password)
    assert response.status_code == 303 and response.location.endswith("/dealer"), response.status_code
    return client


def enter_list(client, text: str = "", *, action: str = "preview", lines: list[str] | None = None,
               files: dict | None = None, **fields):
    """Send the entry page: the paste box, the lines on screen, a CSV (csv=(io, name)); the response."""
    data = {"csrf_token": csrf_token(client, "/dealer/order"), "text": text, "action": action, **fields}
    if lines is not None:
        data["line"] = lines
    if files:
        data.update(files)
    return client.post("/dealer/order", data=data, content_type="multipart/form-data" if files else None)


def order_from_list(client, text: str, **fields):
    """Paste a list and press the place button with good shipping details (delivered in Shandong, by post,
    bank transfer, contract accepted); the response."""
    details = {"name": NAME, "phone": PHONE, **PLACE, "method": "post", "payment_method": "bank_transfer",
               "accept_contract": "y", **fields}
    return enter_list(client, text, action="place", **details)


ENTRY_LINE = re.compile(r'<tr class="entry-line [^"]*" data-status="([^"]+)" data-row="(\d+)"(?: data-sku="([^"]*)")?>'
                        r'.*?name="line" value="([^"]*)"', re.S)


def entry_lines(page: str) -> list[tuple[str, str | None, str]]:
    """(status, sku, text) of each line the preview shows, in order."""
    import html

    return [(status, sku or None, html.unescape(text)) for status, _row, sku, text in ENTRY_LINE.findall(page)]
