"""The buyer's phone talking to the JSON API: quotes, orders, the order page, receipt."""

from __future__ import annotations

from .constants import NAME, PHONE, PLACE
from .pages import query, submit


def lines(*pairs) -> list[dict]:
    """[("SKU", 5), …] → the API's items."""
    return [{"sku": sku, "quantity": quantity} for sku, quantity in pairs]


def order_body(*pairs, method: str = "post", phone: str = PHONE, name: str = NAME,
               payment_method: str = "bank_transfer", pickup_base: str | None = "平邑", destination: dict = PLACE,
               timing: str | None = None, **extra) -> dict:
    """A well-formed POST /api/v1/orders body for (sku, quantity) pairs, sent to destination (PLACE, in 山东).

    Pickup is from 平邑 unless told otherwise; pickup_base=None names no base, so the shop takes from any.
    timing ("reserve" or "now") is the choice for a destination out of season; None sends none.
    """
    pickup = {"pickup_base": pickup_base} if pickup_base is not None else {}
    shipping = {"method": method, **(destination if method != "pickup" else pickup)}
    if timing is not None:
        shipping["timing"] = timing
    body = {"items": lines(*pairs), "shipping": shipping, "customer": {"name": name, "phone": phone},
            "payment_method": payment_method, "accept_contract": True}
    body.update(extra)
    return body


def place(client, *pairs, **details):
    """POST /api/v1/orders for (sku, quantity) pairs; the response, whatever it is (for refusals)."""
    return client.post("/api/v1/orders", json=order_body(*pairs, **details))


def buy(client, *pairs, **details) -> dict:
    """Order through the JSON API as the buyer's phone would; the order document (asserts 201)."""
    response = place(client, *pairs, **details)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def quote(client, *pairs, method: str = "post", province: str = "山东省"):
    """POST /api/v1/quote for (sku, quantity) pairs; the response."""
    return client.post("/api/v1/quote", json={"items": lines(*pairs),
                                              "shipping": {"method": method, "province": province}})


def codes(document: dict) -> list[str]:
    """The problem codes of a quote, or of a 422's error."""
    problems = document.get("problems") or document.get("error", {}).get("problems") or []
    return [p["code"] for p in problems]


def order_json(client, number: str, phone: str = PHONE) -> dict:
    """GET /api/v1/orders/{number}?phone= as the buyer sees it."""
    response = client.get(f"/api/v1/orders/{number}", query_string={"phone": phone})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def order_page_url(order: dict) -> str:
    """The buyer's own link to the order page (signed, as in the e-mails and contract)."""
    return f"/orders/{order['number']}?t={query(order['contract_url'])['t']}"


def confirm_receipt(client, order: dict, phone: str = PHONE):
    """The buyer confirms the plants arrived, through the API; the response."""
    return client.post(f"/api/v1/orders/{order['number']}/received", json={"phone": phone})


def press_received(client, order: dict):
    """The buyer presses 确认收货 on the order page (or sends its form again once it is gone); the response."""
    url = order_page_url(order)
    return submit(client, f"/orders/{order['number']}/received?t={query(url)['t']}", page="/orders/find")


def stand_in_regions(monkeypatch) -> None:
    """Until shop/data/regions.json is in the tree, the few places these tests ship to."""
    from shop import regions

    if not regions.PATH.exists():
        monkeypatch.setattr(regions, "tree", lambda: {"山东省": {"临沂市": ["平邑县"]},
                                                       "河南省": {"洛阳市": ["孟津区"]}})
