"""The customer's order page and the order finder."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _

from shop.orders import access, bp, service
from shop.orders.forms import FindOrderForm


@bp.route("/find", methods=["GET", "POST"])
def find():
    """Find an order by its number and the buyer's phone."""
    form = FindOrderForm()
    if request.method == "GET" and request.args.get("number"):
        form.number.data = request.args["number"]
    error = None
    if form.validate_on_submit():
        order = service.find(form.number.data, form.phone.data)
        if order is not None:
            access.remember(order.number)
            return redirect(url_for("orders.show", number=order.number), 303)
        error = _("没有找到这个订单，请核对订单号和手机号。")
    status = 404 if error else (422 if request.method == "POST" else 200)
    return render_template("orders/find.html", form=form, error=error), status


@bp.get("/<number>")
def show(number: str):
    """Lines, amounts, status and what happens next."""
    order = service.by_number(number.upper())
    if order is None or not access.can_view(order, signed=request.args.get("t")):
        if order is None and access.is_staff():
            abort(404)
        return redirect(url_for("orders.find", number=number))
    return render_template("orders/order.html", order=order, token=access.token(order),
                           bank_accounts=order.snapshot.get("seller", {}).get("bank_accounts")
                           or current_app.config["SELLER_BANK_ACCOUNTS"])
