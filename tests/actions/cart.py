"""A buyer in a browser (Flask's test client): the cart and checkout forms, as a person fills them in."""

from __future__ import annotations

import csv
import html
import re
from functools import cache

from .constants import CATALOG, NAME, PHONE, PLACE
from .pages import csrf_token


@cache
def variety_page(sku: str) -> str:
    """The variety page that offers the grade, from catalog.csv."""
    with CATALOG.open(encoding="utf-8") as f:
        slug = next(row["variety_slug"] for row in csv.DictReader(f) if row["sku"] == sku)
    return f"/v/{slug}"


def add_to_cart(client, sku: str, quantity, *, token: str | None = None):
    """Type a quantity on the variety page and press 加入购物车; the response."""
    token = token or csrf_token(client, variety_page(sku))
    return client.post("/cart/add", data={"csrf_token": token, "sku": sku, "quantity": str(quantity)})


def fill_cart(client, *pairs) -> None:
    """Add several grades, each from its own variety page (asserts each lands in the cart)."""
    for sku, quantity in pairs:
        response = add_to_cart(client, sku, quantity)
        assert response.status_code == 302 and response.location.endswith("/cart"), response.location


def cart(client, method: str = "post", province: str = "山东省") -> str:
    """The cart page for a shipping choice, as text with the markup's entities decoded."""
    response = client.get("/cart", query_string={"method": method, "province": province})
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def update_cart(client, quantities: dict[str, object], *, remove: str | None = None,
                method: str = "post", province: str = "山东省"):
    """Edit quantities in the cart form and press 更新购物车 (or ✕ on a line); the response."""
    data = {"csrf_token": csrf_token(client, "/cart"), "method": method, "province": province}
    data.update({f"qty-{sku}": str(n) for sku, n in quantities.items()})
    if remove:
        data["remove"] = remove
    return client.post("/cart/update", data=data)


def cart_lines(page: str) -> dict[str, int]:
    """{sku: plants} as the cart page shows them."""
    return {sku: int(n) for sku, n in re.findall(r'name="qty-([^"]+)" value="(\d+)"', page)}


def hints(page: str) -> list[str]:
    """The "还差 … / 再加 …" lines under the cart's amounts."""
    return re.findall(r'<p class="hint">([^<]*)</p>', page)


def amount(page: str, element_id: str) -> str:
    """An amount cell of the cart summary by its id (subtotal, discount, shipping, total)."""
    match = re.search(rf'id="{element_id}">([^<]*)<', page)
    assert match, element_id
    return match.group(1).strip()


def checkout(client, **fields):
    """Fill in the checkout form and press 提交订单; fields left out are left empty; the response."""
    data = {"csrf_token": csrf_token(client, "/checkout"), **{k: v for k, v in fields.items() if v is not None}}
    return client.post("/checkout", data=data)


def check_out_in_browser(client, *pairs, payment_method: str = "stripe"):
    """Fill the cart, fill in the checkout form with good details and submit it; the response."""
    fill_cart(client, *pairs)
    return checkout(client, name=NAME, phone=PHONE, **PLACE, method="post", payment_method=payment_method,
                    accept_contract="y")
