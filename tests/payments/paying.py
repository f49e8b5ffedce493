"""What a buyer, Stripe and the nursery's staff do, as helpers for the payment tests."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import sqlalchemy as sa
from stripe_standin import make_event, sign_payload

WHSEC = "whsec_x"
PHONE = "13812345678"
MM_C2 = "GRP-MRZ-C2"  # 美人指 二级扦插苗 ¥1.00
JMG_C2 = "GRP-JMG-C2"  # 巨玫瑰 二级扦插苗 ¥1.00
KYOHO_C2 = "GRP-KYOHO-C2"  # 巨峰 二级扦插苗 ¥0.60
PLACE = {"province": "山东省", "city": "临沂市", "district": "平邑县", "address": "仲村镇示例路8号"}


def buy(client, *pairs, payment_method: str = "stripe", method: str = "post"):
    """POST /api/v1/orders for the lines, paying by the given method; the response."""
    shipping = {"method": method, **(PLACE if method != "pickup" else {})}
    return client.post("/api/v1/orders", json={
        "items": [{"sku": sku, "quantity": n} for sku, n in pairs], "shipping": shipping,
        "customer": {"name": "王先生", "phone": PHONE}, "payment_method": payment_method, "accept_contract": True})


def order_json(client, number: str) -> dict:
    """GET /api/v1/orders/{number}?phone= as the buyer sees it."""
    response = client.get(f"/api/v1/orders/{number}", query_string={"phone": PHONE})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def go_pay(client, order: dict):
    """Follow the order's payment.url, as the buyer's browser would; the response (a redirect)."""
    return client.get(order["payment"]["url"])


def last_checkout(standin) -> dict:
    """The parameters of the last Checkout Session the shop asked Stripe for."""
    created = [params for method, path, params, _ in standin.requests
               if (method, path) == ("POST", "/v1/checkout/sessions")]
    assert created, "the shop never asked Stripe for a Checkout Session"
    return created[-1]


def fen(yuan: str) -> int:
    """"1234.50" → 123450."""
    whole, _, part = yuan.partition(".")
    return int(whole) * 100 + int((part + "00")[:2])


def session_for(order: dict, **changes) -> dict:
    """A Checkout Session object as Stripe sends it once the order's total was paid in CNY."""
    return {"id": "cs_test_" + order["number"].replace("-", ""), "object": "checkout.session",
            "client_reference_id": order["number"], "metadata": {"order_number": order["number"]},
            "amount_total": fen(order["total"]), "currency": "cny", "payment_status": "paid",
            "payment_intent": "pi_test_1", "status": "complete", **changes}


def signed(event: dict, secret: str = WHSEC, timestamp: int | None = None) -> tuple[bytes, dict]:
    """The body and headers Stripe would send for an event."""
    body = json.dumps(event, ensure_ascii=False).encode()
    return body, {"Stripe-Signature": sign_payload(body, secret, timestamp), "Content-Type": "application/json"}


def stripe_sends(client, kind: str, session: dict, event_id: str | None = None, **signing):
    """Stripe delivers a signed event to the webhook; the response."""
    body, headers = signed(make_event(kind, session, event_id), **signing)
    return client.post("/payments/stripe/webhook", data=body, headers=headers)


def rows(app, model: str, number: str) -> list:
    """The Payment or PaymentMismatch rows stored for an order."""
    from shop.extensions import db
    from shop.orders import models

    table = getattr(models, model)
    with app.app_context():
        found = list(db.session.execute(sa.select(table).join(models.Order, table.order_id == models.Order.id)
                                        .where(models.Order.number == number)).scalars())
        db.session.expunge_all()
        db.session.remove()
        return found


def stored(app, number: str):
    """The order as the database holds it now."""
    from shop.extensions import db
    from shop.orders.models import Order

    with app.app_context():
        order = db.session.execute(sa.select(Order).where(Order.number == number)).scalar_one()
        db.session.expunge(order)
        db.session.remove()
        return order


def page_text(response) -> str:
    """A page's visible text, tags stripped, whitespace collapsed."""
    import html

    text = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return re.sub(r"\s+", " ", html.unescape(text))


def query(url: str) -> dict[str, str]:
    """The query string of a URL as a flat dict."""
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def variety_page(sku: str) -> str:
    """The variety page that sells the grade, from catalog.csv."""
    import csv
    from pathlib import Path

    with (Path(__file__).resolve().parents[2] / "catalog.csv").open(encoding="utf-8") as f:
        return "/v/" + next(row["variety_slug"] for row in csv.DictReader(f) if row["sku"] == sku)


def csrf_of(client, url: str) -> str:
    """The CSRF token of the form on a page."""
    html = client.get(url).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def fill_cart(client, *pairs) -> None:
    """Put grades in the cart from their variety pages."""
    for sku, quantity in pairs:
        added = client.post("/cart/add", data={"csrf_token": csrf_of(client, variety_page(sku)), "sku": sku,
                                               "quantity": str(quantity)})
        assert added.status_code == 302, added.status_code


def check_out_in_browser(client, *pairs, payment_method: str = "stripe"):
    """Fill the cart, fill in the checkout form and submit it; the response."""
    fill_cart(client, *pairs)
    return client.post("/checkout", data={
        "csrf_token": csrf_of(client, "/checkout"), "name": "王先生", "phone": PHONE, **PLACE, "method": "post",
        "payment_method": payment_method, "accept_contract": "y"})


def set_price(app, sku: str, price_fen: int) -> None:
    """Staff change a grade's price in the catalog."""
    from shop.catalog import stock as stock_service
    from shop.catalog.models import Grade
    from shop.extensions import db

    with app.app_context():
        db.session.execute(sa.update(Grade).where(Grade.sku == sku).values(price_fen=price_fen))
        stock_service.bump_version()
        db.session.commit()
        db.session.remove()
