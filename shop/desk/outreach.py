"""Desk: outreach (回访) — whom to contact this week, each with the call script of their segment; admins edit the
scripts."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from shop.customers import labels, outreach, scripts, service
from shop.customers import segments as s
from shop.desk import bp
from shop.extensions import db
from shop.money import format_yuan

REASONS = {outreach.DUE: _l("到期回访"), outreach.CHURN: _l("流失预警"), outreach.DORMANT_VIP: _l("休眠的VIP客户")}


class ScriptForm(FlaskForm):
    """A segment's call script in 中文 and English."""

    body_zh = TextAreaField(_l("话术（中文）"), validators=[
        DataRequired(_l("请填写话术")), Length(max=scripts.MAX_SCRIPT, message=_l("话术太长"))])
    body_en = TextAreaField(_l("话术（英文）"), validators=[Length(max=scripts.MAX_SCRIPT, message=_l("话术太长"))])


@bp.get("/outreach")
def outreach_list():
    """This week's calls with their scripts."""
    found = service.archive()
    nexts = {i: c.next_contact_on for i, c in found.customers.items()}
    limit = current_app.config["CUSTOMERS_PER_PAGE"]
    calls = outreach.this_week(found.standings, nexts, found.as_of)
    texts = scripts.all_scripts()
    forms = {seg: ScriptForm(prefix=seg, body_zh=texts[seg][0], body_en=texts[seg][1]) for seg in s.SEGMENTS}
    return render_template("desk/outreach.html", calls=calls[:limit], more=max(0, len(calls) - limit),
                           people=found.customers, scripts=texts, forms=forms, reasons=REASONS, labels=labels,
                           fill=scripts.fill, yuan=format_yuan, as_of=found.as_of,
                           is_admin=current_user.role == "admin", segments=s.SEGMENTS,
                           week_days=outreach.WEEK_DAYS)


@bp.post("/outreach/scripts/<segment>")
def outreach_script(segment: str):
    """An admin saves a segment's call script (audited)."""
    if segment not in s.SEGMENTS:
        abort(404)
    if current_user.role != "admin":
        abort(403)
    form = ScriptForm(prefix=segment)
    if not form.validate_on_submit():
        flash(" ".join(str(e) for f in (form.body_zh, form.body_en) for e in f.errors) or _("请重试。"), "error")
        return redirect(url_for("desk.outreach_list") + f"#script-{segment}", 303)
    try:
        scripts.save(segment, form.body_zh.data, form.body_en.data or "", current_user.username)
    except scripts.ScriptError as err:
        db.session.rollback()
        flash(str(err), "error")
        return redirect(url_for("desk.outreach_list") + f"#script-{segment}", 303)
    db.session.commit()
    flash(_("%(segment)s的话术已保存。", segment=labels.SEGMENTS[segment]), "success")
    return redirect(url_for("desk.outreach_list") + f"#script-{segment}", 303)
