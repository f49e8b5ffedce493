"""Desk pages: queues, one order with its actions, batch contracts, quote requests, the audit log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shop import audit
from shop.catalog.models import Base, QuoteRequest
from shop.contracts.from_order import contract_data
from shop.contracts.render import render_batch
from shop.contracts.views import pdf_bytes, verify_link
from shop.desk import bp
from shop.desk.forms import (
    AnswerQuoteForm,
    BatchForm,
    CancelForm,
    ConfirmTransferForm,
    DispatchForm,
    RefundForm,
    ResolveForm,
)
from shop.desk.models import AuditEntry
from shop.extensions import db
from shop.money import format_money, parse_yuan
from shop.orders import fulfilment, lifecycle, service, states
from shop.orders.models import Order, PaymentMismatch
from shop.payments import refunds
from shop.payments import service as payments
from shop.payments.transfers import TransferError, confirm_transfer
from shop.templating import cn_time

SHANGHAI = ZoneInfo("Asia/Shanghai")
MAX_BATCH = 500
MAX_ID = 2**31 - 1  # an id column is a 32-bit INTEGER on PostgreSQL


def _by_id(model, row_id: int):
    """The row with this id, or 404 (also for an id no INTEGER column can hold)."""
    return (db.session.get(model, row_id) if 0 < row_id <= MAX_ID else None) or abort(404)


def _orders(*conditions, order_by=None, limit: int = 200) -> list[Order]:
    query = sa.select(Order).where(*conditions).order_by(*(order_by or [Order.created_at.desc()])).limit(limit)
    return list(db.session.execute(query).scalars())


@bp.get("/")
def index():
    """The day's work: transfers to confirm, orders to dispatch (due and overdue marked), the rest."""
    now = datetime.now(UTC)
    end_of_today = datetime.now(SHANGHAI).replace(hour=23, minute=59, second=59).astimezone(UTC)
    return render_template(
        "desk/index.html", now=now, end_of_today=end_of_today,
        to_confirm=_orders(Order.status == states.PENDING_PAYMENT, Order.payment_method == "bank_transfer",
                           order_by=[Order.created_at]),
        to_dispatch=_orders(Order.status == states.AWAITING_DISPATCH, order_by=[Order.dispatch_by]),
        dispatched=_orders(Order.status == states.DISPATCHED, Order.dispatched_at >= now - timedelta(days=14),
                           order_by=[Order.dispatched_at.desc()], limit=50),
        mismatches=list(db.session.execute(
            sa.select(PaymentMismatch).where(PaymentMismatch.resolved_at.is_(None)).order_by(PaymentMismatch.id)
        ).scalars()),
        unprinted=db.session.execute(sa.select(sa.func.count(Order.id)).where(
            Order.status == states.AWAITING_DISPATCH, Order.contract_printed_at.is_(None))).scalar(),
        batch_form=BatchForm(), resolve_form=ResolveForm(), dispatch_within=service.rules().dispatch_within(),
        mismatch_kinds=_mismatch_kinds(),
    )


def _mismatch_kinds() -> dict[str, str]:
    """What went wrong with a payment, in words."""
    return {"amount": _("金额与订单不符"), "currency": _("币种不是人民币"), "paid_twice": _("重复付款，请退回一笔"),
            "late_payment": _("订单取消后才到账，请退款"), "late_payment_refunded": _("订单取消后才到账，已自动全额退款"),
            "late_payment_unrefunded": _("订单取消后才到账，自动退款失败，请手动退款")}


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
                            quarantine_cert=form.quarantine_cert.data.strip(), actor=current_user.username)
    except fulfilment.NotDispatchable:
        db.session.rollback()
        flash(_("只有待发货（已付款）的订单可以发货。"), "error")
        return redirect(url_for("desk.order", number=found.number), 303)
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
        refunded = lifecycle.refund_order(found, amount_fen=amount, reason=form.reason.data,
                                          actor=current_user.username, bank_reference=form.reference.data or "")
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


@bp.post("/contracts/batch")
def batch():
    """Print many contracts as one PDF: the ticked orders, or every paid order not printed yet."""
    form = BatchForm()
    if not form.validate_on_submit():
        abort(400)
    if form.scope.data == "unprinted":
        chosen = _orders(Order.status == states.AWAITING_DISPATCH, Order.contract_printed_at.is_(None),
                         order_by=[Order.dispatch_by], limit=MAX_BATCH)
    else:
        numbers = [n for n in request.form.getlist("number") if n][:MAX_BATCH]
        chosen = _orders(Order.number.in_(numbers), order_by=[Order.created_at], limit=MAX_BATCH) if numbers else []
    if not chosen:
        flash(_("没有要打印的合同。"), "error")
        return redirect(url_for("desk.index"), 303)
    documents = []
    for found in chosen:
        url, code = verify_link(found)
        documents.append(contract_data(found, verify_url=url, verify_code=code))
    body = render_batch(documents)
    fulfilment.mark_printed(chosen)
    db.session.commit()
    stamp = datetime.now(SHANGHAI).strftime("%Y%m%d-%H%M")
    return Response(body, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="contracts-{stamp}.pdf"'})


@bp.post("/mismatches/<int:mismatch_id>/resolve")
def resolve(mismatch_id: int):
    """Mark a payment mismatch dealt with."""
    form = ResolveForm()
    mismatch = _by_id(PaymentMismatch, mismatch_id)
    if form.validate_on_submit() and mismatch.resolved_at is None:
        mismatch.resolved_at = datetime.now(UTC)
        mismatch.detail += f"\n[{current_user.username}] {form.note.data or ''}"
        audit.record(current_user.username, "resolve_mismatch", mismatch.order.number if mismatch.order else "",
                     {"kind": mismatch.kind, "resolved": False}, {"resolved": True, "note": form.note.data or ""})
        db.session.commit()
    return redirect(url_for("desk.index"), 303)


@bp.get("/quotes")
def quotes():
    """Quote requests from the catalog, newest unanswered first."""
    rows = list(db.session.execute(sa.select(QuoteRequest).order_by(
        QuoteRequest.answered_at.is_not(None), QuoteRequest.created_at.desc()).limit(200)).scalars())
    return render_template("desk/quotes.html", quotes=rows, form=AnswerQuoteForm())


@bp.post("/quotes/<int:quote_id>/answer")
def answer_quote(quote_id: int):
    """Record the answer given to a quote request."""
    found = _by_id(QuoteRequest, quote_id)
    form = AnswerQuoteForm()
    if form.validate_on_submit():
        found.answer, found.answered_at, found.answered_by = form.answer.data.strip(), datetime.now(UTC), \
            current_user.username
        db.session.commit()
        flash(_("已记录回复。"), "success")
    else:
        flash(_("请填写回复。"), "error")
    return redirect(url_for("desk.quotes"), 303)


@bp.get("/audit")
def audit_log():
    """Every money and stock action; admins only."""
    if current_user.role != "admin":
        abort(403)
    entries = list(db.session.execute(sa.select(AuditEntry).order_by(AuditEntry.id.desc()).limit(500)).scalars())
    return render_template("desk/audit.html", entries=entries)
