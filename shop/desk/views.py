"""Desk pages: the day's queues, batch contracts, payment problems, quote requests, the audit log.

One order's page and its actions are in shop/desk/orders.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shop import audit
from shop.catalog.models import QuoteRequest
from shop.contracts.from_order import contract_data
from shop.contracts.render import render_batch
from shop.contracts.views import verify_link
from shop.desk import bp
from shop.desk.forms import AnswerQuoteForm, BatchForm, ResolveForm
from shop.desk.models import AuditEntry
from shop.extensions import db
from shop.orders import fulfilment, service, states
from shop.orders.models import Order, PaymentMismatch
from shop.seasons.windows import QUEUE_LEAD_DAYS, RESERVE, china_day

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
        to_dispatch=_orders(Order.status == states.AWAITING_DISPATCH, sa.not_(_reserved_for_later(now)),
                            order_by=[Order.dispatch_by]),
        reserved=_orders(Order.status == states.AWAITING_DISPATCH, _reserved_for_later(now),
                         order_by=[Order.season_opens_on, Order.dispatch_by]),
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


def _reserved_for_later(now: datetime):
    """Orders reserved for a window that opens more than a week from today: the queue shows them apart until then."""
    week_before = china_day(now) + timedelta(days=QUEUE_LEAD_DAYS)
    return sa.and_(Order.ship_timing == RESERVE, Order.season_opens_on.is_not(None), Order.season_opens_on > week_before)


def _mismatch_kinds() -> dict[str, str]:
    """What went wrong with a payment, in words."""
    return {"amount": _("金额与订单不符"), "currency": _("币种不是人民币"), "paid_twice": _("重复付款，请退回一笔"),
            "late_payment": _("订单取消后才到账，请退款"), "late_payment_refunded": _("订单取消后才到账，已自动全额退款"),
            "late_payment_unrefunded": _("订单取消后才到账，自动退款失败，请手动退款")}


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
    return render_template("desk/audit.html", entries=entries, actions=_actions(), shown=_shown)


def _actions() -> dict[str, str]:
    """What each audited action is, in words."""
    return {"payment_received": _("确认收款"), "late_payment_received": _("取消后到账"), "dispatch": _("发货"),
            "receive": _("确认收货"), "refund": _("退款"), "cancel_order": _("取消订单"),
            "payment_mismatch": _("付款异常"), "resolve_mismatch": _("处理付款异常"), "set_stock": _("修改库存")}


def _shown(values: dict) -> list[tuple[str, str]]:
    """An audit entry's before/after as (name, value) pairs, statuses by their names."""
    lang = "en" if request.args.get("lang") == "en" else "zh"
    out = []
    for key, value in (values or {}).items():
        if key == "status":
            value = states.status_label(str(value), lang)
        elif key == "payment_status":
            value = states.payment_label(str(value), lang)
        elif isinstance(value, dict | list):
            value = ", ".join(f"{k} {v}" for k, v in value.items()) if isinstance(value, dict) else ", ".join(
                map(str, value))
        out.append((key, str(value)))
    return out
