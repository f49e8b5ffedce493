"""Helpers that read like what customers and staff do: buy, log in, confirm, dispatch, print."""

from __future__ import annotations

import io
import re
from contextlib import contextmanager

import sqlalchemy as sa
from pypdf import PdfReader

PHONE = "13800000000"
ADDRESS = {"province": "山东省", "city": "临沂市", "district": "平邑县", "address": "地方镇东岭村12号"}
STAFF_PASSWORD = "correct horse 9"
TOKEN = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')


def buy(client, sku: str, quantity: int, **details) -> dict:
    """Order quantity plants of one grade through the JSON API; the order document."""
    return buy_lines(client, [(sku, quantity)], **details)


def buy_lines(client, items: list[tuple[str, int]], *, method: str = "post", name: str = "王建国",
              phone: str = PHONE, payment: str = "bank_transfer") -> dict:
    """Place an order through the JSON API, as the customer's phone would; the order document."""
    shipping = {"method": method, **(ADDRESS if method != "pickup" else {"pickup_base": "平邑"})}
    body = {"items": [{"sku": s, "quantity": q} for s, q in items], "shipping": shipping,
            "customer": {"name": name, "phone": phone}, "payment_method": payment, "accept_contract": True}
    response = client.post("/api/v1/orders", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def relative(url: str) -> str:
    """A full URL from the API as a path the test client can open."""
    return re.sub(r"^https?://[^/]+", "", url)


def pdf_text(pdf: bytes) -> str:
    """All the text of a PDF, pages joined."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def page_count(pdf: bytes) -> int:
    """How many pages the PDF has."""
    return len(PdfReader(io.BytesIO(pdf)).pages)


def make_user(app, name: str, role: str, password: str = STAFF_PASSWORD) -> None:
    """A desk account (or a non-staff account, e.g. role "dealer") written straight to the database."""
    from shop.desk.models import User
    from shop.extensions import db

    with app.app_context():
        user = User(username=name, role=role)
        user.set_password(password)
        db.session.add(user)
        db.session.commit()


def form_token(client, url: str = "/desk/login") -> str:
    """The CSRF token a browser would find in a form on the page."""
    html = client.get(url).get_data(as_text=True)
    match = TOKEN.search(html)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def log_in(client, name: str, password: str = STAFF_PASSWORD):
    """Fill in and send the desk login form; the response."""
    return client.post("/desk/login", data={"username": name, "password": password,
                                            "csrf_token": form_token(client)})


def staff_client(app, name: str = "小李", role: str = "staff"):
    """A browser logged in to the desk as a new staff member (or admin)."""
    make_user(app, name, role)
    client = app.test_client()
    assert log_in(client, name).status_code == 303
    return client


def desk_post(client, path: str, data: dict | None = None, *, page: str = "/desk/"):
    """Submit a desk form with the token from a desk page."""
    return client.post(path, data={**(data or {}), "csrf_token": form_token(client, page)})


def confirm_transfer(desk, number: str, amount: str, reference: str = "网银 0001"):
    """Staff confirm that a bank transfer arrived."""
    return desk_post(desk, f"/desk/orders/{number}/confirm-transfer",
                     {"amount": amount, "received_on": _today(), "reference": reference},
                     page=f"/desk/orders/{number}")


def dispatch(desk, number: str, *, carrier: str = "顺丰速运", tracking: str = "SF1234567890",
             cert: str = "鲁检370000-2026-0815", base: str = "平邑县种苗基地"):
    """Staff record a parcel leaving a base."""
    return desk_post(desk, f"/desk/orders/{number}/dispatch",
                     {"base": base, "carrier": carrier, "tracking_number": tracking, "quarantine_cert": cert},
                     page=f"/desk/orders/{number}")


def cancel(desk, number: str, reason: str = "客户电话取消", reference: str = ""):
    """Staff cancel an order before dispatch (a paid bank transfer needs the refund's bank reference)."""
    return desk_post(desk, f"/desk/orders/{number}/cancel", {"reason": reason, "reference": reference},
                     page=f"/desk/orders/{number}")


def refund(desk, number: str, amount: str = "", reason: str = "缺货退款", reference: str = ""):
    """Staff refund all (amount empty) or part of what was paid."""
    return desk_post(desk, f"/desk/orders/{number}/refund", {"amount": amount, "reason": reason,
                                                              "reference": reference}, page=f"/desk/orders/{number}")


def order_row(app, number: str):
    """The order as stored now."""
    from shop.extensions import db
    from shop.orders.models import Order

    with app.app_context():
        order = db.session.execute(sa.select(Order).where(Order.number == number)).scalar_one()
        db.session.expunge(order)
        return order


def _today() -> str:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()


def stand_in_regions(monkeypatch) -> None:
    """Until shop/data/regions.json is in the tree, the few places these tests ship to."""
    from shop import regions

    if not regions.PATH.exists():
        monkeypatch.setattr(regions, "tree", lambda: {"山东省": {"临沂市": ["平邑县"]},
                                                       "河南省": {"洛阳市": ["孟津区"]}})


@contextmanager
def database(app):
    """The database in an app context of its own.

    Not conftest's `db` fixture: that keeps one app context pushed for the whole test, so every request
    shares its `g`, and Flask-Login's cached user leaks from one browser to the next.
    """
    from shop.extensions import db

    with app.app_context():
        yield db
