"""Desk: dealer applications and accounts. Staff approve or reject (with a reason); admins suspend and
reactivate. Every decision goes through shop.dealers.accounts and is audited. A dealer's page shows their
credit: admins set the limit and terms, staff record payments on account (shop.desk.credit has the forms)."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length, Optional

from shop import i18n
from shop.credit import ledger
from shop.credit import service as credit
from shop.credit import web as credit_web
from shop.dealers import accounts
from shop.dealers.models import PENDING, STATUSES, Dealer
from shop.desk import bp
from shop.desk.credit import (
    AccountPaymentForm,
    CreditForm,
    credit_forms,
    dealer_credit,
    parse_day,
    parse_terms,
)
from shop.extensions import db
from shop.money import format_money, parse_yuan
from shop.orders.models import Order

MAX_ID = 2**31 - 1


class DecisionForm(FlaskForm):
    """The reason for a decision (required to reject or suspend)."""

    reason = StringField(validators=[Optional(), Length(max=200)])


def _dealer(dealer_id: int) -> Dealer:
    return (db.session.get(Dealer, dealer_id) if 0 < dealer_id <= MAX_ID else None) or abort(404)


@bp.get("/dealers")
def dealers():
    """Applications waiting first, then every dealer by status; filter with ?status=."""
    wanted = request.args.get("status", "")
    query = sa.select(Dealer).order_by(Dealer.status != PENDING, Dealer.created_at.desc()).limit(500)
    if wanted in STATUSES:
        query = query.where(Dealer.status == wanted)
    rows = list(db.session.execute(query).scalars())
    counts = dict(db.session.execute(
        sa.select(Order.dealer_id, sa.func.count(Order.id)).where(Order.dealer_id.in_([d.id for d in rows]))
        .group_by(Order.dealer_id)).all()) if rows else {}
    names = {s: Dealer(status=s).status_label(i18n.current()) for s in STATUSES}
    return render_template("desk/dealers.html", dealers=rows, counts=counts, form=DecisionForm(), wanted=wanted,
                           statuses=STATUSES, status_names=names, is_admin=current_user.role == "admin")


def decide_dealer(dealer_id: int, action: str):
    """Approve, reject, suspend or reactivate one dealer."""
    found = _dealer(dealer_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        flash(_("原因最多200个字。"), "error")
        return redirect(url_for("desk.dealers"), 303)
    if (action in ("suspend", "reactivate")) and current_user.role != "admin":
        abort(403)
    try:
        accounts.act(found, action, actor=current_user.username, reason=form.reason.data or "")
    except accounts.AccountError as err:
        db.session.rollback()
        flash(str(err), "error")
        return redirect(url_for("desk.dealers"), 303)
    db.session.commit()
    flash(_("%(company)s：%(status)s", company=found.company, status=found.status_label()), "success")
    return redirect(url_for("desk.dealers"), 303)


for _action in accounts.ACTIONS:  # /desk/dealers/<id>/approve, …/reject, …/suspend, …/reactivate
    bp.add_url_rule(f"/dealers/<int:dealer_id>/{_action}", "decide_dealer", decide_dealer, methods=["POST"],
                    defaults={"action": _action})


# --- one dealer: the account and its credit ---------------------------------------------------------------------


def _is_admin() -> bool:
    return current_user.role == "admin"


def dealer_page(found: Dealer, *, status: int = 200, credit_form: CreditForm | None = None,
                payment_form: AccountPaymentForm | None = None):
    """The dealer's page; a form that was refused is shown again with its messages."""
    now = datetime.now(UTC)
    blank_credit, blank_payment = credit_forms(found, now)
    orders = db.session.execute(sa.select(sa.func.count(Order.id)).where(Order.dealer_id == found.id)).scalar()
    return render_template("desk/dealer.html", dealer=found, order_count=orders, is_admin=_is_admin(),
                           credit_form=credit_form or blank_credit, payment_form=payment_form or blank_payment,
                           status_name=found.status_label(i18n.current()), **dealer_credit(found, now)), status


@bp.get("/dealers/<int:dealer_id>")
def dealer(dealer_id: int):
    """One dealer: the account, the credit figures, credit orders, payments on account and statements."""
    return dealer_page(_dealer(dealer_id))


@bp.post("/dealers/<int:dealer_id>/credit")
def set_credit(dealer_id: int):
    """An admin sets the dealer's limit and terms (audited by the service)."""
    if not _is_admin():
        abort(403)
    found = _dealer(dealer_id)
    form = CreditForm()
    if not form.validate_on_submit():
        return dealer_page(found, status=422, credit_form=form)
    try:
        limit_fen = parse_yuan(form.limit.data)
    except ValueError:
        form.limit.errors.append(_("金额格式如 50000 或 50000.00"))
    try:
        terms_days = parse_terms(form.terms_days.data)
    except ValueError:
        form.terms_days.errors.append(_("账期须为 0 到 %(max)s 之间的整天数", max=credit.MAX_TERMS_DAYS))
    if form.limit.errors or form.terms_days.errors:
        return dealer_page(found, status=422, credit_form=form)
    try:
        credit.set_credit(found, limit_fen=limit_fen, terms_days=terms_days, actor=current_user.username)
    except credit.CreditError as err:
        db.session.rollback()
        form.limit.errors.append(credit_web.in_language(err))
        return dealer_page(found, status=422, credit_form=form)
    db.session.commit()
    flash(_("%(company)s：授信额度 %(limit)s，账期发货后 %(days)s 天。", company=found.company,
            limit=format_money(found.credit_limit_fen), days=found.credit_terms_days), "success")
    return redirect(url_for("desk.dealer", dealer_id=found.id), 303)


@bp.post("/dealers/<int:dealer_id>/payments")
def record_payment(dealer_id: int):
    """Staff record money the dealer paid into the account; it settles the oldest credit orders first."""
    found = _dealer(dealer_id)
    form = AccountPaymentForm()
    now = datetime.now(UTC)
    if not form.validate_on_submit():
        return dealer_page(found, status=422, payment_form=form)
    try:
        amount_fen = parse_yuan(form.amount.data)
    except ValueError:
        form.amount.errors.append(_("金额格式如 1409.50"))
    try:
        received_on = parse_day(form.received_on.data, now)
    except ValueError:
        form.received_on.errors.append(_("到账日期须为今天或以前的日期，如 %(day)s", day=ledger.local_day(now)))
    if form.amount.errors or form.received_on.errors:
        return dealer_page(found, status=422, payment_form=form)
    try:
        _payment, settled = credit.record_payment(found, amount_fen=amount_fen, received_on=received_on,
                                                  reference=form.reference.data or "", actor=current_user.username,
                                                  now=now)
    except credit.CreditError as err:
        db.session.rollback()
        form.amount.errors.append(credit_web.in_language(err))
        return dealer_page(found, status=422, payment_form=form)
    at = credit.position(found, now)
    db.session.commit()
    flash(_settled_message(amount_fen, settled, at), "success")
    return redirect(url_for("desk.dealer", dealer_id=found.id), 303)


def _settled_message(amount_fen: int, settled: list[str], at) -> str:
    """What a payment did, in words: the orders it paid in full, the one it paid in part, the balance left."""
    parts = [_("已记录回款 %(amount)s。", amount=format_money(amount_fen))]
    if settled:
        parts.append(_("已结清订单：%(numbers)s。", numbers="、".join(settled) if i18n.current() != "en"
                       else ", ".join(settled)))
    else:
        parts.append(_("没有订单因此全部结清。"))
    part = [line for line in at.orders if line.covered_fen > 0 and line.owed_fen > 0]
    for line in part:
        parts.append(_("%(number)s 已付 %(paid)s，尚欠 %(owed)s。", number=line.order.number,
                       paid=format_money(line.covered_fen), owed=format_money(line.owed_fen)))
    if at.balance_fen > 0:
        parts.append(_("预付余额 %(amount)s，将冲抵以后的赊购订单。", amount=format_money(at.balance_fen)))
    return " ".join(parts)
