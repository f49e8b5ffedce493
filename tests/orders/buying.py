"""What a buyer (and the staff behind the catalog) do, as test helpers for the order tests."""

from __future__ import annotations

import sqlalchemy as sa

MM_C2 = "GRP-MRZ-C2"  # 美人指 二级扦插苗, ¥1.00, 30 g
JMG_C2 = "GRP-JMG-C2"  # 巨玫瑰 二级扦插苗, ¥1.00, 30 g
KYOHO_C2 = "GRP-KYOHO-C2"  # 巨峰 二级扦插苗, ¥0.60, 30 g
PHONE = "13812345678"
BUYER = {"name": "王先生", "phone": PHONE}
# A real nested place from shop/data/regions.json.
PLACE = {"province": "山东省", "city": "临沂市", "district": "平邑县", "address": "仲村镇示例路8号"}


def set_grade(app, sku: str, *, price_fen: int | None = None, weight_g: int | None = None,
              stock: int | None = None) -> None:
    """Staff edit a grade in the catalog (price, weight, stock at its first base)."""
    from shop.catalog import stock as stock_service
    from shop.catalog.models import Grade
    from shop.extensions import db

    with app.app_context():
        values = {k: v for k, v in (("price_fen", price_fen), ("weight_g", weight_g)) if v is not None}
        if values:
            db.session.execute(sa.update(Grade).where(Grade.sku == sku).values(**values))
        if stock is not None:
            stock_service.set_stock(sku, stock)
        stock_service.bump_version()
        db.session.commit()


def stock_of(app, sku: str) -> int:
    """Plants of a grade in stock over all bases."""
    from shop.catalog.models import Grade, Stock
    from shop.extensions import db

    with app.app_context():
        value = db.session.execute(
            sa.select(sa.func.coalesce(sa.func.sum(Stock.quantity), 0)).join(Grade).where(Grade.sku == sku)
        ).scalar()
        db.session.remove()
        return int(value)


def orders_stored(app) -> int:
    """How many orders the database holds."""
    from shop.extensions import db
    from shop.orders.models import Order, OrderLine

    with app.app_context():
        count = db.session.execute(sa.select(sa.func.count(Order.id))).scalar()
        assert db.session.execute(sa.select(sa.func.count(OrderLine.id))).scalar() >= count
        db.session.remove()
        return count


def lines(*pairs) -> list[dict]:
    """[("SKU", 5), …] → the API's items."""
    return [{"sku": sku, "quantity": quantity} for sku, quantity in pairs]


def quote(client, *pairs, method: str = "post", province: str = "山东省"):
    """POST /api/v1/quote for the lines; the response."""
    return client.post("/api/v1/quote", json={"items": lines(*pairs),
                                              "shipping": {"method": method, "province": province}})


def order_body(*pairs, method: str = "post", phone: str = PHONE, **extra) -> dict:
    """A well-formed POST /api/v1/orders body."""
    shipping = {"method": method, **(PLACE if method != "pickup" else {})}
    body = {"items": lines(*pairs), "shipping": shipping, "customer": {**BUYER, "phone": phone},
            "payment_method": "bank_transfer", "accept_contract": True}
    body.update(extra)
    return body


def buy(client, *pairs, method: str = "post", phone: str = PHONE, **extra):
    """POST /api/v1/orders for the lines; the response."""
    return client.post("/api/v1/orders", json=order_body(*pairs, method=method, phone=phone, **extra))


def codes(document: dict) -> list[str]:
    """The problem codes of a quote, or of a 422's error."""
    problems = document.get("problems") or document.get("error", {}).get("problems") or []
    return [p["code"] for p in problems]
