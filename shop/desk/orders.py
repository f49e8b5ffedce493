"""Desk: one order's page and the actions its state allows (confirm a transfer, dispatch, cancel, refund, print)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shop import i18n
from shop.catalog.models import Base
from shop.contracts.views import pdf_bytes
from shop.desk import bp
from shop.desk.forms import CancelForm, ConfirmTransferForm, DispatchForm, RefundForm
from shop.extensions import db
from shop.money import format_money, parse_yuan
from shop.orders import fulfilment, lifecycle, service, states
from shop.orders.models import Order
from shop.payments import refunds
from shop.payments import service as payments
from shop.payments.transfers import TransferError, confirm_transfer
from shop.quarantine.rules import CertificateRefused
from shop.templating import cn_time


def _order(number: str) -> Order:
    return service.by_number(number.upper()) or abort(404)


def _order_page(found: Order, status: int = 200, **forms):
    """The order's desk page; a form that failed validation is shown again with its messages."""
    blank = {"confirm_form": ConfirmTransferForm, "dispatch_form": DispatchForm, "cancel_form": CancelForm,
             "refund_form": RefundForm}
    context = {name: forms[name] if name in forms else make() for name, make in blank.items()}
    bases = dict(db.session.execute(sa.select(Base.id, Base.name)).all())
    return render_template("desk/order.html", order=found, bases=bases, refundable=refunds.refundable(found),
                           cancellable=found.status in states.CANCELLABLE, **context), status


@bp.get("/orders/<number>")
def order(number: str):
    """One order with the actions its state allows."""
    return _order_page(_order(number))


@bp.post("/orders/<number>/confirm-transfer")
def confirm(number: str):
    """Confirm a bank transfer: paid if the amount matches, else a mismatch for review."""
    found = _order(number)
    form = ConfirmTransferForm()
    if not form.validate_on_submit():
        return _order_page(found, 422, confirm_form=form)
    try:
        outcome = confirm_transfer(found.number, amount_fen=parse_yuan(form.amount.data),
                                   received_on=form.received_on.data, reference=form.reference.data or "",
                                   actor=current_user.username)
    except (ValueError, TransferError) as err:
        db.session.rollback()
        flash(str(err), "error")
        return redirect(url_for("desk.order", number=found.number), 303)
    db.session.commit()
    messages = {payments.PAID: _("已确认收款，请在 %(by)s 前发货。", by=cn_time(found.dispatch_by)),
                payments.ALREADY_PAID: _("此订单已付款。"),
                payments.MISMATCH: _("金额与订单不符，已记入付款异常，订单仍为待付款。"),
                payments.LATE: _("订单已取消后才到账：已记入付款异常，请退款给客户。")}
    flash(messages[outcome], "success" if outcome == payments.PAID else "error")
    return redirect(url_for("desk.order", number=found.number), 303)


@bp.post("/orders/<number>/dispatch")
def dispatch(number: str):
    """Record the dispatch: base, carrier, tracking number, quarantine certificate."""
    found = _order(number)
    form = DispatchForm()
    if not form.validate_on_submit():
        return _order_page(found, 422, dispatch_form=form)
    try:
        fulfilment.dispatch(found, base=form.base.data, carrier=form.carrier.data.strip(),
                            tracking_number=form.tracking_number.data.strip(),
                            quarantine_cert=form.quarantine_cert.data.strip(), actor=current_user.username,
                            cert_issued_on=form.cert_issued_on.data, vehicle=form.vehicle.data or "")
    except fulfilment.HeldForItsWindow as held:
        db.session.rollback()
        flash(_("买家预约在适宜栽植期发货：此订单 %(day)s 起才能发出（%(opens)s 开始栽植期）。",
                day=held.leaves_from.isoformat(), opens=held.opens_on.isoformat()), "error")
        return redirect(url_for("desk.order", number=found.number), 303)
    except fulfilment.NotDispatchable:
        db.session.rollback()
        flash(_("只有待发货（已付款）的订单可以发货。"), "error")
        return redirect(url_for("desk.order", number=found.number), 303)
    except CertificateRefused as refused:
        db.session.rollback()
        for problem in refused.problems:
            form[problem.field].errors.append(problem.message(i18n.current()))
        return _order_page(found, 422, dispatch_form=form)
    db.session.commit()
    flash(_("已发货。"), "success")
    return redirect(url_for("desk.order", number=found.number), 303)


@bp.post("/orders/<number>/cancel")
def cancel(number: str):
    """Cancel an order before dispatch with a reason: its stock returns, what was paid is refunded in full."""
    found = _order(number)
    form = CancelForm()
    if not form.validate_on_submit():
        return _order_page(found, 422, cancel_form=form)
    try:
        refunded = lifecycle.cancel_order(found, reason=form.reason.data, actor=current_user.username,
                                          bank_reference=form.reference.data or "")
    except (lifecycle.CannotCancel, lifecycle.RefundError) as err:
        db.session.rollback()
        form.reason.errors = [str(err)]
        return _order_page(found, 422, cancel_form=form)
    db.session.commit()
    flash(_("订单已取消，库存已退回，已退款 %(amount)s。", amount=format_money(refunded)) if refunded
          else _("订单已取消，库存已退回。"), "success")
    return redirect(url_for("desk.order", number=found.number), 303)


@bp.post("/orders/<number>/refund")
def refund(number: str):
    """Refund all or part of what was paid (never more), with a reason; by Stripe, or recorded by bank."""
    found = _order(number)
    form = RefundForm()
    if not form.validate_on_submit():
        return _order_page(found, 422, refund_form=form)
    try:
        amount = parse_yuan(form.amount.data) if (form.amount.data or "").strip() else None
        seen = int(form.refunded_before.data) if form.refunded_before.data else None
        refunded = lifecycle.refund_order(found, amount_fen=amount, reason=form.reason.data,
                                          actor=current_user.username, bank_reference=form.reference.data or "",
                                          seen_refunded_fen=seen)
    except (ValueError, lifecycle.CannotCancel, lifecycle.RefundError) as err:
        db.session.rollback()
        form.amount.errors = [str(err)]
        return _order_page(found, 422, refund_form=form)
    db.session.commit()
    flash(_("已退款 %(amount)s。", amount=format_money(refunded)), "success")
    return redirect(url_for("desk.order", number=found.number), 303)


@bp.get("/orders/<number>/contract.pdf")
def contract(number: str):
    """Print one contract."""
    found = _order(number)
    body = pdf_bytes(found)
    fulfilment.mark_printed([found])
    db.session.commit()
    return Response(body, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="contract-{found.number}.pdf"'})
