"""Desk: batch dispatch under one quarantine certificate (一车一证), and the certificates with their orders."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shop import i18n
from shop.desk import bp
from shop.desk.forms import BatchDispatchForm
from shop.extensions import db
from shop.orders import fulfilment, states
from shop.orders.models import Order
from shop.orders.together import dispatch_together
from shop.quarantine.models import QuarantineCertificate
from shop.quarantine.rules import CertificateRefused
from shop.quarantine.service import MAX_TOGETHER
from shop.seasons.windows import QUEUE_LEAD_DAYS, RESERVE, china_day

LISTED = 200  # certificates on the list page
ORDER_NUMBER = re.compile(r"[0-9A-Z-]{1,32}")  # what an order number may hold (shop.orders.numbers)


def _awaiting() -> list[Order]:
    """Orders that may leave now (not those reserved for a later window), soonest deadline first."""
    today = china_day(datetime.now(UTC))
    held = sa.and_(Order.ship_timing == RESERVE, Order.season_opens_on.is_not(None),
                   Order.season_opens_on > today + timedelta(days=QUEUE_LEAD_DAYS))
    return list(db.session.execute(
        sa.select(Order).where(Order.status == states.AWAITING_DISPATCH, Order.payment_status.in_(
            states.SHIPPABLE_PAYMENT), sa.not_(held)).order_by(Order.dispatch_by, Order.id)
        .limit(MAX_TOGETHER * 2)).scalars())


def _page(form: BatchDispatchForm, ticked: list[str], status: int = 200):
    return render_template("desk/dispatch_batch.html", form=form, orders=_awaiting(), ticked=set(ticked),
                           max_together=MAX_TOGETHER), status


@bp.route("/dispatch/batch", methods=["GET", "POST"])
def dispatch_batch():
    """Dispatch the ticked orders together: one certificate, carrier and vehicle; all of them or none."""
    form = BatchDispatchForm()
    sent = [n.strip().upper() for n in request.values.getlist("number") if n.strip()][:MAX_TOGETHER + 1]
    ticked = [n for n in sent if ORDER_NUMBER.fullmatch(n)]  # nothing else is ever sent to the database
    if request.method == "GET":
        return _page(form, ticked)
    if not form.validate_on_submit():
        return _page(form, ticked, 422)
    if not ticked or len(ticked) > MAX_TOGETHER or len(ticked) != len(sent):
        flash(_("请勾选要一起发货的订单（1 到 %(n)s 个）。", n=MAX_TOGETHER), "error")
        return _page(form, ticked, 422)
    orders = list(db.session.execute(sa.select(Order).where(Order.number.in_(ticked)).order_by(Order.id)).scalars())
    unknown = sorted(set(ticked) - {order.number for order in orders})
    if unknown:
        flash(_("没有订单 %(numbers)s。", numbers="、".join(unknown)), "error")
        return _page(form, ticked, 422)
    try:
        numbers = dispatch_together(
            orders, base=form.base.data, carrier=form.carrier.data.strip(), vehicle=form.vehicle.data.strip(),
            tracking_number=(form.tracking_number.data or "").strip(), quarantine_cert=form.quarantine_cert.data.strip(),
            cert_issued_on=form.cert_issued_on.data, actor=current_user.username)
    except fulfilment.HeldForItsWindow as held:
        db.session.rollback()
        flash(_("订单 %(number)s 由买家预约在适宜栽植期发货，%(day)s 起才能发出；这一车的订单都没有发货。",
                number=str(held), day=held.leaves_from.isoformat()), "error")
        return _page(form, ticked, 409)
    except fulfilment.NotDispatchable as refused:
        db.session.rollback()
        flash(_("订单 %(number)s 不是待发货（已付款）状态，这一车的订单都没有发货。", number=str(refused)), "error")
        return _page(form, ticked, 409)
    except CertificateRefused as refused:
        db.session.rollback()
        for problem in refused.problems:
            form[problem.field].errors.append(problem.message(i18n.current()))
        return _page(form, ticked, 422)
    db.session.commit()
    flash(_("已发货 %(n)s 个订单，检疫证书 %(cert)s。", n=len(numbers), cert=form.quarantine_cert.data.strip()),
          "success")
    return redirect(url_for("desk.certificates", q=form.quarantine_cert.data.strip()), 303)


@bp.get("/certificates")
def certificates():
    """Quarantine certificates, newest first, each with the orders that left under it (?q= finds a number)."""
    query = sa.select(QuarantineCertificate).order_by(QuarantineCertificate.created_at.desc(),
                                                      QuarantineCertificate.id.desc()).limit(LISTED)
    wanted = (request.args.get("q") or "").strip()[:60]
    if wanted:
        query = query.where(QuarantineCertificate.number.contains(wanted, autoescape=True))
    found = list(db.session.execute(query).scalars())
    orders: dict[int, list[Order]] = {c.id: [] for c in found}
    if found:
        for order in db.session.execute(sa.select(Order).where(Order.quarantine_cert_id.in_(orders))
                                        .order_by(Order.dispatched_at, Order.id)).scalars():
            orders[order.quarantine_cert_id].append(order)
    return render_template("desk/certificates.html", certificates=found, orders=orders, wanted=wanted)
