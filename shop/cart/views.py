"""Cart pages: add from a variety page, change, remove, and see the rules applied."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from shop import i18n
from shop.cart import bp, store
from shop.catalog import tree
from shop.dealers import current
from shop.orders import service
from shop.orders.methods import shipping_label

# Still imported by shop.checkout.views (which hands it to a template that does not use it); the cart itself
# names the methods with method_names() in the visitor's language. Drop once checkout no longer imports it.
METHOD_NAMES = {code: shipping_label(code, "zh", with_note=True) for code in service.METHODS}


def method_names(lang: str) -> dict[str, str]:
    """Shipping method → its name in lang, freight with 运费到付: what the cart's select and summary show."""
    return {code: shipping_label(code, lang, with_note=True) for code in service.METHODS}


def parse_quantity(raw: str | None, maximum: int) -> int | None:
    """A whole number of plants from 1 to maximum, or None."""
    raw = (raw or "").strip()
    if not raw.isdecimal() or len(raw) > 9:  # isdecimal, not isdigit: int() refuses "²" but takes "１２"
        return None
    value = int(raw)
    return value if 1 <= value <= maximum else None


@bp.post("/add")
def add():
    """Add plants of one grade to the cart."""
    sku = request.form.get("sku", "")
    found = tree.current().grade(sku)
    if found is None or found[1].price_fen is None:
        flash(_("该规格不能在线购买，请询价。"), "error")
        return redirect(request.referrer or url_for("catalog.home"))
    variety, grade = found
    in_cart = dict(store.items()).get(sku, 0)
    room = grade.stock - in_cart  # the cart never holds more of a grade than there is
    quantity = parse_quantity(request.form.get("quantity"), room)
    if quantity is None:
        if room < 1:
            flash(_("%(name)s 的库存 %(n)s 株已全部在购物车中。", name=variety.name, n=grade.stock), "error")
        else:
            flash(_("数量须为 1 到 %(n)s 之间的整数（株）。", n=room), "error")
        return redirect(url_for("catalog.variety", slug=variety.slug))
    try:
        store.put(sku, quantity, add=True)
    except ValueError:
        flash(_("购物车最多 %(n)s 个规格。", n=store.MAX_LINES), "error")
    return redirect(url_for("cart.show"))


@bp.post("/update")
def update():
    """Change quantities, or remove a line."""
    catalog = tree.current()
    if request.form.get("remove"):
        store.remove(request.form["remove"])
        return redirect(url_for("cart.show"))
    for sku, _n in store.items():
        found = catalog.grade(sku)
        if found is None:
            store.remove(sku)
            continue
        raw = request.form.get(f"qty-{sku}")
        if raw is None:
            continue
        quantity = parse_quantity(raw, found[1].stock)
        if quantity is None:
            flash(_("%(name)s：数量须为 1 到 %(n)s 之间的整数（株）。", name=found[0].name, n=found[1].stock), "error")
            continue
        store.put(sku, quantity)
    method = request.form.get("method", "post")
    if method in service.METHODS:
        store.set_shipping_choice(method, request.form.get("province", ""))
    return redirect(url_for("cart.show"))


def cart_lines():
    """The cart's lines with their catalog names, and the quote for the chosen shipping."""
    catalog = tree.current()
    items = store.items()
    method, province = store.shipping_choice()
    quote = service.quote(items, method, province or None, context=current.context()) if items else None
    rows = []
    for sku, quantity in items:
        found = catalog.grade(sku)
        rows.append({"sku": sku, "quantity": quantity, "variety": found[0] if found else None,
                     "grade": found[1] if found else None})
    return rows, quote, method, province


@bp.get("")
def show():
    """The cart with the discount, the shipping fee and what is still missing."""
    method = request.args.get("method")
    if method in service.METHODS:
        store.set_shipping_choice(method, request.args.get("province", ""))
    rows, quote, method, province = cart_lines()
    return render_template("cart/cart.html", rows=rows, quote=quote, method=method, province=province,
                           methods=method_names(i18n.current()), provinces=service.rates().provinces())
