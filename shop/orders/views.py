"""The customer's order page and the order finder."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shop import i18n
from shop.extensions import db
from shop.orders import access, bp, fulfilment, lifecycle, service, states
from shop.orders.forms import FindOrderForm
from shop.seasons import current as seasons
from shop.seasons import guarantee


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


def _actor(order) -> str:
    """Who pressed the button, for the audit log: staff by name (they may help a buyer), else the buyer."""
    if access.is_staff():
        return current_user.username
    return f"buyer {order.phone[-4:]}"


def _visible(number: str):
    """The order if this visitor may see it (else None)."""
    order = service.by_number(number.upper())
    if order is None or not access.can_view(order, signed=request.values.get("t")):
        if order is None and access.is_staff():
            abort(404)
        return None
    return order


@bp.get("/<number>")
def show(number: str):
    """Lines, amounts, both statuses and what happens next."""
    order = _visible(number)
    if order is None:
        return redirect(url_for("orders.find", number=number))
    return render_template(
        "orders/order.html", order=order, token=access.token(order), rules=service.placed_rules(order),
        receipt_auto_days=current_app.config["RECEIPT_AUTO_DAYS"],
        out_of_season_clause=guarantee.OUT_OF_SEASON_EN if i18n.current() == "en" else guarantee.OUT_OF_SEASON,
        season_province=seasons.province_name(order.province, i18n.current()),
        bank_accounts=order.snapshot.get("seller", {}).get("bank_accounts")
        or current_app.config["SELLER_BANK_ACCOUNTS"])


@bp.post("/<number>/received")
def received(number: str):
    """确认收货: the buyer says the plants arrived; the order is completed and the guarantees start."""
    order = _visible(number)
    if order is None:
        return redirect(url_for("orders.find", number=number))
    try:
        changed = fulfilment.receive(order, actor=_actor(order))
    except fulfilment.NotReceivable:
        db.session.rollback()
        flash(_("订单尚未发货，不能确认收货。"), "error")
        return redirect(url_for("orders.show", number=order.number, t=access.token(order)), 303)
    db.session.commit()
    if changed:
        flash(_("已确认收货，感谢您的信任！"), "success")
    return redirect(url_for("orders.show", number=order.number, t=access.token(order)), 303)


@bp.post("/<number>/cancel")
def cancel(number: str):
    """The buyer cancels an unpaid order: its stock returns and its payment link closes."""
    order = _visible(number)
    if order is None:
        return redirect(url_for("orders.find", number=number))
    back = url_for("orders.show", number=order.number, t=access.token(order))
    if order.status != states.PENDING_PAYMENT or order.payment_status != states.UNPAID:
        flash(_("已付款的订单请联系我们取消，未发货的将全额退款。"), "error")
        return redirect(back, 303)
    try:
        lifecycle.cancel_order(order, reason=lifecycle.BUYER_CANCEL_REASON, actor=_actor(order))
    except (lifecycle.CannotCancel, lifecycle.RefundError):
        db.session.rollback()
        flash(_("订单状态已变化，不能取消。"), "error")
        return redirect(back, 303)
    db.session.commit()
    flash(_("订单已取消。"), "success")
    return redirect(back, 303)
