"""Checkout: validate the form, place the order, and send the customer on to pay."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from shop import i18n, regions
from shop.cart import store
from shop.cart.views import METHOD_NAMES, cart_lines
from shop.checkout import bp
from shop.checkout.forms import CheckoutForm
from shop.dealers import current
from shop.extensions import db
from shop.orders import access, intake, methods, service
from shop.seasons import current as seasons


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
        form.method.data = method if method in methods.SHIPPING_METHODS else "post"
        form.province.data = province if province in regions.tree() else ""
        if stripe_available():
            form.payment_method.data = "stripe"
    lang = i18n.current()
    english = {p.name: p.name_en for p in service.rates().provinces()} if lang == "en" else None
    rules = service.rules()
    form.fill_choices(stripe_available(), english, rules=rules, lang=lang)
    status = 200
    if form.validate_on_submit():  # the CSRF token only: what the fields must hold is the intake's to say
        req = order_request(form, store.items())
        problems = intake.validate(req, payment_methods=intake.offered_payments(stripe=stripe_available()))
        if problems:
            show_problems(form, problems, lang)
            status = 422
        else:
            placed = place_checked(req, lang)
            if placed == OUT_OF_STOCK:
                return redirect(url_for("cart.show"), 303)
            if not isinstance(placed, int):
                store.clear()
                return to_payment(placed)
            status = placed
    elif request.method == "POST":
        status = 422
    store.set_shipping_choice(form.method.data or "post", form.province.data or "")
    rows, quote, method, province = cart_lines()
    return render_template("checkout/checkout.html", form=form, rows=rows, quote=quote, methods=METHOD_NAMES,
                           terms=_terms(current_app.config["CLAIM_WINDOW_DAYS"]), rules=rules,
                           session_lang=session.get("lang")), status


def order_request(form: CheckoutForm, items) -> intake.OrderRequest:
    """The checkout form (or a dealer's entry form, which extends it) and the lines mapped onto the intake's
    OrderRequest; nothing checked here."""
    return intake.OrderRequest(
        items=tuple(items), method=form.method.data or "", province=form.province.data or "",
        city=form.city.data or "", district=form.district.data or "", address=form.address.data or "",
        pickup_base=form.pickup_base.data or "", name=form.name.data or "", phone=form.phone.data or "",
        payment_method=form.payment_method.data or "", accept_contract=form.accept_contract.data is True,
        timing=form.timing.data or "",
    )


def show_problems(form: CheckoutForm, problems: list[intake.Problem], lang: str) -> None:
    """Each problem next to its field; those about the cart's lines as a flashed message."""
    for problem in problems:
        if problem.field in form:
            form[problem.field].errors.append(problem.message(lang))
        else:
            flash(problem.message(lang), "error")


REFUSED, OUT_OF_STOCK = 422, 409


def place_checked(req: intake.OrderRequest, lang: str):
    """Place a checked order at this buyer's price (retail, or the signed-in dealer's) and commit it; the order,
    or REFUSED / OUT_OF_STOCK with the reason flashed."""
    buyer = service.Buyer(name=req.name, phone=req.phone, province=req.province, city=req.city,
                          district=req.district, address=req.address)
    if seasons.needs_choice(req.method, req.province, req.timing):  # the page showed another destination's season
        flash(_("发往%(province)s的裸根苗现在不在适宜发货期，请在下方选择预约发货或立即发货。",
                province=seasons.province_name(req.province, lang)), "error")
        return REFUSED
    try:
        order = service.place(list(req.items), buyer=buyer, method=req.method, payment_method=req.payment_method,
                              pickup_base=req.chosen_base, lang=lang, context=current.context(), timing=req.timing)
        db.session.commit()
    except service.OrderRefused as refused:
        db.session.rollback()
        for problem in refused.problems:
            flash(problem.en if lang == "en" else problem.zh, "error")
        return REFUSED
    except service.OutOfStock as short:
        db.session.rollback()
        flash(_("库存不足：%(sku)s，请减少数量后再下单。", sku=short.sku), "error")
        return OUT_OF_STOCK
    access.remember(order.number)
    return order


def to_payment(order):
    """Where a new order goes: Stripe's page for online payment, else the order page (bank transfer, credit)."""
    if order.payment_method == "stripe":
        return redirect(url_for("payments.pay", number=order.number), 303)
    return redirect(url_for("orders.show", number=order.number), 303)


def _terms(days: int) -> list[str]:
    from shop.contracts.terms import guarantee_terms

    return guarantee_terms(days)


@bp.get("/regions/<path:province>")
def region_options(province: str):
    """Cities and districts of a province, for the address selects."""
    return {"cities": {city: regions.districts(province, city) for city in regions.cities(province)}}
