"""The customer's way to Stripe Checkout and back."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from shop.extensions import db
from shop.orders import access, service, states
from shop.orders.models import Order
from shop.payments import bp
from shop.payments import checkout as stripe_checkout
from shop.payments import stripe_gateway as gateway

log = logging.getLogger(__name__)


def _order_for_buyer(number: str):
    order = service.by_number(number.upper()) or abort(404)
    if not access.can_view(order, signed=request.values.get("t")):
        abort(404)
    return order


def _order_page(order) -> str:
    """The order's page, openable by whoever was allowed here (a signed link carries no cookie)."""
    return url_for("orders.show", number=order.number, t=access.token(order))


@bp.route("/<number>/pay", methods=["GET", "POST"])
def pay(number: str):
    """Send the buyer to Stripe's payment page; if Stripe is down, say so and keep the order payable."""
    order = _order_for_buyer(number)
    if order.status != states.PENDING_PAYMENT:
        return redirect(_order_page(order), 303)
    if not stripe_checkout.settings().configured:
        flash(_("暂不支持在线支付，请使用银行汇款。"), "error")
        return redirect(_order_page(order), 303)
    if order.stripe_session_url:  # the session made before is still open
        return redirect(order.stripe_session_url, 303)
    try:
        session = stripe_checkout.start(order)
    except stripe_checkout.OrderExpired:
        db.session.rollback()
        flash(_("订单已超过付款时限，将自动取消。如仍需要，请重新下单。"), "error")
        return redirect(_order_page(order), 303)
    except (gateway.GatewayUnavailable, ValueError) as err:
        if isinstance(err, ValueError):  # our items did not add up: a bug, but the buyer can still pay by transfer
            log.exception("order %s could not be sent to Stripe", order.number)
        db.session.rollback()
        flash(_("在线支付暂时无法连接，订单已保留。请稍后再试，或改用银行汇款。"), "error")
        return redirect(_order_page(order), 303)
    # The order may have been cancelled while Stripe answered: keep the session only if it is still unpaid.
    kept = db.session.execute(
        sa.update(Order).where(Order.id == order.id, Order.status == states.PENDING_PAYMENT)
        .values(stripe_session_id=session.id, stripe_session_url=session.url, expires_at=order.expires_at)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    if not kept:
        try:
            gateway.expire_checkout_session(stripe_checkout.settings(), session.id)
        except (gateway.SessionNotOpen, gateway.GatewayUnavailable):
            log.warning("session %s opened for order %s cancelled meanwhile", session.id, order.number)
        return redirect(_order_page(order), 303)
    return redirect(session.url, 303)


@bp.get("/<number>/success")
def success(number: str):
    """Back from Stripe: the webhook marks the order paid; show where things stand."""
    order = _order_for_buyer(number)
    return render_template("payments/back.html", order=order, cancelled=False, token=access.token(order))


@bp.get("/<number>/cancel")
def cancelled(number: str):
    """Back from Stripe without paying: the order stays payable."""
    order = _order_for_buyer(number)
    return render_template("payments/back.html", order=order, cancelled=True, token=access.token(order))

