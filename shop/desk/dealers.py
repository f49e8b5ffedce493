"""Desk: dealer applications and accounts. Staff approve or reject (with a reason); admins suspend and
reactivate. Every decision goes through shop.dealers.accounts and is audited."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length, Optional

from shop import i18n
from shop.dealers import accounts
from shop.dealers.models import PENDING, STATUSES, Dealer
from shop.desk import bp
from shop.extensions import db
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
