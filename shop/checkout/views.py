"""Checkout: validate the form, place the order, and send the customer on to pay."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from shop import i18n, regions
from shop.cart import store
from shop.cart.views import METHOD_NAMES, cart_lines
from shop.checkout import bp
from shop.checkout.forms import CheckoutForm
from shop.extensions import db
from shop.orders import access, service


def stripe_available() -> bool:
    """Stripe is offered only when it is configured."""
    return bool(current_app.config.get("STRIPE_SECRET_KEY"))


@bp.route("", methods=["GET", "POST"])
def start():
    """The checkout form; placing the order re-prices everything on the server."""
    if not store.items():
        return redirect(url_for("cart.show"))
    form = CheckoutForm()
    if request.method == "GET":
        method, province = store.shipping_choice()
        form.method.data = method if method in service.METHODS else "post"
        form.province.data = province if province in regions.tree() else ""
        if stripe_available():
            form.payment_method.data = "stripe"
    english = {p.name: p.name_en for p in service.rates().provinces()} if i18n.current() == "en" else None
    form.fill_choices(stripe_available(), english)
    status = 200
    if form.validate_on_submit():
        method = form.method.data
        buyer = service.Buyer(
            name=form.name.data.strip(), phone=form.phone.data.strip(),
            province=form.province.data if method != "pickup" else (form.province.data or ""),
            city=form.city.data or "", district=form.district.data or "", address=(form.address.data or "").strip(),
        )
        try:
            order = service.place(store.items(), buyer=buyer, method=method,
                                  payment_method=form.payment_method.data,
                                  pickup_base=form.pickup_base.data if method == "pickup" else "",
                                  lang=i18n.current())
            db.session.commit()
        except service.OrderRefused as refused:
            db.session.rollback()
            for problem in refused.problems:
                flash(problem.en if i18n.current() == "en" else problem.zh, "error")
            status = 422
        except service.OutOfStock as short:
            db.session.rollback()
            flash(_("库存不足：%(sku)s，请减少数量后再下单。", sku=short.sku), "error")
            return redirect(url_for("cart.show")), 303
        else:
            store.clear()
            access.remember(order.number)
            if order.payment_method == "stripe":
                return redirect(url_for("payments.pay", number=order.number), 303)
            return redirect(url_for("orders.show", number=order.number), 303)
    elif request.method == "POST":
        status = 422
    store.set_shipping_choice(form.method.data or "post", form.province.data or "")
    rows, quote, method, province = cart_lines()
    return render_template("checkout/checkout.html", form=form, rows=rows, quote=quote, methods=METHOD_NAMES,
                           terms=_terms(current_app.config["CLAIM_WINDOW_DAYS"]),
                           session_lang=session.get("lang")), status


def _terms(days: int) -> list[str]:
    from shop.contracts.terms import guarantee_terms

    return guarantee_terms(days)


@bp.get("/regions/<path:province>")
def region_options(province: str):
    """Cities and districts of a province, for the address selects."""
    return {"cities": {city: regions.districts(province, city) for city in regions.cities(province)}}
