"""What buyers, Stripe and the nursery's staff do, as one set of actions every test folder uses.

Each reads like the person's action: `buy(client, (SKU, 300))`, `pay_by_transfer(desk, order)`,
`dispatch(desk, order)`, `confirm_receipt(client, order)`, `refund(desk, order, "100.00")`.
"""

from __future__ import annotations

import html
import io
import json
import re
from contextlib import contextmanager
from datetime import datetime
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from pypdf import PdfReader
from stripe_standin import make_event, sign_payload

PHONE = "13812345678"
NAME = "王先生"
PLACE = {"province": "山东省", "city": "临沂市", "district": "平邑县", "address": "仲村镇示例路8号"}
STAFF_PASSWORD = "correct horse 9"
WHSEC = "whsec_x"  # the webhook secret the payments tests configure
TOKEN = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')
SHANGHAI = ZoneInfo("Asia/Shanghai")

# Grades used across the tests (from catalog.csv)
MM_C2 = "GRP-MRZ-C2"  # 美人指 二级扦插苗, ¥1.00, 30 g
JMG_C2 = "GRP-JMG-C2"  # 巨玫瑰 二级扦插苗, ¥1.00, 30 g
KYOHO_C2 = "GRP-KYOHO-C2"  # 巨峰 二级扦插苗, ¥0.60, 30 g
SHINE_C1 = "GRP-SHINE-C1"  # 阳光玫瑰 一级扦插苗


# --- pages and forms ------------------------------------------------------------------------------------------


def csrf_token(client, url: str) -> str:
    """The CSRF token of a form on the page at url, as a browser would find it."""
    page = client.get(url).get_data(as_text=True)
    match = TOKEN.search(page)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def submit(client, path: str, data: dict | None = None, *, page: str):
    """Fill in a form found on page and send it to path; the response."""
    return client.post(path, data={**(data or {}), "csrf_token": csrf_token(client, page)})


def page_text(response) -> str:
    """A page's visible text: tags stripped, entities decoded, whitespace collapsed."""
    text = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return re.sub(r"\s+", " ", html.unescape(text))


def relative(url: str) -> str:
    """A full URL from the API as a path the test client can open."""
    return re.sub(r"^https?://[^/]+", "", url)


def query(url: str) -> dict[str, str]:
    """The query string of a URL as a flat dict."""
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def order_page_url(order: dict) -> str:
    """The buyer's own link to the order page (signed, as in the e-mails and contract)."""
    return f"/orders/{order['number']}?t={query(order['contract_url'])['t']}"


def pdf_text(pdf: bytes) -> str:
    """All the text of a PDF, pages joined."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def fen(yuan: str) -> int:
    """"1234.50" → 123450."""
    whole, _, part = yuan.partition(".")
    return int(whole) * 100 + int((part + "00")[:2])


# --- the buyer ------------------------------------------------------------------------------------------------


def order_body(*pairs, method: str = "post", phone: str = PHONE, name: str = NAME,
               payment_method: str = "bank_transfer", **extra) -> dict:
    """A well-formed POST /api/v1/orders body for (sku, quantity) pairs."""
    shipping = {"method": method, **(PLACE if method != "pickup" else {"pickup_base": "平邑"})}
    body = {"items": [{"sku": sku, "quantity": n} for sku, n in pairs], "shipping": shipping,
            "customer": {"name": name, "phone": phone}, "payment_method": payment_method, "accept_contract": True}
    body.update(extra)
    return body


def buy(client, *pairs, **details) -> dict:
    """Order through the JSON API as the buyer's phone would; the order document (asserts 201)."""
    response = client.post("/api/v1/orders", json=order_body(*pairs, **details))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def order_json(client, number: str, phone: str = PHONE) -> dict:
    """GET /api/v1/orders/{number}?phone= as the buyer sees it."""
    response = client.get(f"/api/v1/orders/{number}", query_string={"phone": phone})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def confirm_receipt(client, order: dict, phone: str = PHONE):
    """The buyer confirms the plants arrived, through the API; the response."""
    return client.post(f"/api/v1/orders/{order['number']}/received", json={"phone": phone})


def press_received(client, order: dict):
    """The buyer presses 确认收货 on the order page (or sends its form again once it is gone); the response."""
    url = order_page_url(order)
    return submit(client, f"/orders/{order['number']}/received?t={query(url)['t']}", page="/orders/find")


# --- Stripe ---------------------------------------------------------------------------------------------------


def signed(event: dict, secret: str = WHSEC, timestamp: int | None = None) -> tuple[bytes, dict]:
    """The body and headers Stripe would send for an event."""
    body = json.dumps(event, ensure_ascii=False).encode()
    return body, {"Stripe-Signature": sign_payload(body, secret, timestamp), "Content-Type": "application/json"}


def stripe_sends(client, kind: str, session: dict, event_id: str | None = None, **signing):
    """Stripe delivers a signed event to the webhook; the response."""
    body, headers = signed(make_event(kind, session, event_id), **signing)
    return client.post("/payments/stripe/webhook", data=body, headers=headers)


def open_session(client, standin, order: dict) -> str:
    """The buyer follows the order's payment link to Stripe; the Checkout Session's id."""
    response = client.get(relative(order["payment"]["url"]))
    assert response.status_code == 303, response.status_code
    session_id = response.location.rsplit("/", 1)[-1]
    assert session_id in standin.sessions, response.location
    return session_id


def pay_by_stripe(client, standin, order: dict, *, deliver: bool = True) -> dict:
    """The buyer pays on Stripe's page and Stripe tells the shop (unless deliver=False); the paid session."""
    session = standin.complete(open_session(client, standin, order))
    if deliver:
        response = stripe_sends(client, "checkout.session.completed", session)
        assert response.status_code == 200, response.get_json()
    return session


# --- staff ----------------------------------------------------------------------------------------------------


def make_user(app, name: str, role: str, password: str = STAFF_PASSWORD) -> None:
    """A desk account written straight to the database."""
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


def _desk(desk, order: dict | str, action: str, data: dict):
    number = order if isinstance(order, str) else order["number"]
    return submit(desk, f"/desk/orders/{number}/{action}", data, page=f"/desk/orders/{number}")


def pay_by_transfer(desk, order: dict, amount: str | None = None, reference: str = "网银 0001"):
    """Staff confirm that the bank transfer arrived (the order's total unless told otherwise)."""
    today = datetime.now(SHANGHAI).date().isoformat()
    return _desk(desk, order, "confirm-transfer", {"amount": amount or order["total"], "received_on": today,
                                                   "reference": reference})


def dispatch(desk, order: dict | str, *, carrier: str = "顺丰速运", tracking: str = "SF1234567890",
             cert: str = "鲁检370000-2026-0815", base: str = "平邑县种苗基地"):
    """Staff record the parcel leaving a base."""
    return _desk(desk, order, "dispatch", {"base": base, "carrier": carrier, "tracking_number": tracking,
                                           "quarantine_cert": cert})


def cancel(desk, order: dict | str, reason: str = "客户电话取消", reference: str = ""):
    """Staff cancel an order before dispatch (a paid transfer needs the refund's bank reference)."""
    return _desk(desk, order, "cancel", {"reason": reason, "reference": reference})


def refund(desk, order: dict | str, amount: str = "", reason: str = "缺货退款", reference: str = ""):
    """Staff refund all (amount empty) or part of what was paid."""
    return _desk(desk, order, "refund", {"amount": amount, "reason": reason, "reference": reference})


def flashes(desk, order: dict | str) -> str:
    """The messages the desk's order page shows now."""
    number = order if isinstance(order, str) else order["number"]
    return page_text(desk.get(f"/desk/orders/{number}"))


def run(app, *args: str):
    """`flask --app wsgi ARGS…` (an operator or cron); the result."""
    return app.test_cli_runner().invoke(args=list(args))


# --- what the database holds -----------------------------------------------------------------------------------


@contextmanager
def database(app):
    """The database in an app context of its own (not conftest's `db`, which shares `g` between clients)."""
    from shop.extensions import db

    with app.app_context():
        yield db
        db.session.remove()


def stored(app, number: str):
    """The order as the database holds it now (detached, with its lines, payments and refunds loaded)."""
    from shop.orders.models import Order

    with database(app) as db:
        order = db.session.execute(sa.select(Order).where(Order.number == number)).scalar_one()
        _ = [order.lines, order.payments, order.refunds]
        db.session.expunge_all()
        return order


def rows(app, model: str, number: str) -> list:
    """The Payment, Refund or PaymentMismatch rows stored for an order."""
    from shop.orders import models

    table = getattr(models, model)
    with database(app) as db:
        found = list(db.session.execute(sa.select(table).join(models.Order, table.order_id == models.Order.id)
                                        .where(models.Order.number == number).order_by(table.id)).scalars())
        db.session.expunge_all()
        return found


def stock_of(app, sku: str) -> int:
    """Plants of a grade in stock over all bases."""
    from shop.catalog.models import Grade, Stock

    with database(app) as db:
        return int(db.session.execute(
            sa.select(sa.func.coalesce(sa.func.sum(Stock.quantity), 0)).join(Grade).where(Grade.sku == sku)
        ).scalar())


def set_order(app, number: str, **values) -> None:
    """Change stored columns of an order, as if time had passed (e.g. dispatched_at ten days ago)."""
    from shop.orders.models import Order

    with database(app) as db:
        db.session.execute(sa.update(Order).where(Order.number == number).values(**values))
        db.session.commit()
