"""Desk: the customer archive (客户档案) — the list with filters, the CSV export, one customer's page with notes,
the contact log (回访记录) and the 重大变故 flag, and the charts. The rules are in shop.customers.segments."""

from __future__ import annotations

from datetime import UTC, datetime, time

import sqlalchemy as sa
from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from shop import audit
from shop.customers import archive as lists
from shop.customers import charts, export, labels, service
from shop.customers.models import Contact, Customer
from shop.desk import bp
from shop.extensions import db
from shop.money import format_yuan
from shop.orders.models import Order

MAX_ID = 2**31 - 1
HISTORY = 200  # orders shown on a customer's page, newest first


class NotesForm(FlaskForm):
    """Staff's notes on the customer."""

    notes = TextAreaField(_l("备注"), validators=[Length(max=4000, message=_l("备注最多4000个字"))])


class ContactForm(FlaskForm):
    """回访记录: when, how, the outcome, and when to call next."""

    at = DateField(_l("回访日期"), validators=[Optional()])
    channel = SelectField(_l("方式"), choices=list(labels.CHANNELS.items()))
    outcome = StringField(_l("结果"), validators=[DataRequired(_l("请填写回访结果")),
                                                 Length(max=500, message=_l("结果最多500个字"))])
    next_contact_on = DateField(_l("下次联系日期"), validators=[Optional()])


class MajorChangeForm(FlaskForm):
    """重大变故: a flag staff set (and clear) with what happened."""

    flagged = BooleanField(_l("有重大变故"))
    note = StringField(_l("说明"), validators=[Length(max=200, message=_l("说明最多200个字"))])


def _customer(customer_id: int) -> Customer:
    return (db.session.get(Customer, customer_id) if 0 < customer_id <= MAX_ID else None) or abort(404)


def _page_number() -> int:
    raw = request.args.get("page", "1")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 7 else 1


def _listed():
    found = service.archive()
    wanted = lists.Filters.parse(request.args)
    regions = {i: c.region for i, c in found.customers.items()}
    return found, wanted, lists.select(found.standings, regions, wanted)


@bp.get("/customers")
def customers():
    """The archive: every customer's grade, segment and warnings; filter, sort, 50 a page."""
    found, wanted, rows = _listed()
    shown, pages = lists.page_of(rows, _page_number(), current_app.config["CUSTOMERS_PER_PAGE"])
    page = min(max(1, _page_number()), pages)
    return render_template("desk/customers.html", rows=shown, people=found.customers, wanted=wanted, pages=pages,
                           page=page, total=len(rows), all_count=len(found.standings), as_of=found.as_of,
                           labels=labels, yuan=format_yuan, value_days=current_app.config["CUSTOMER_VALUE_DAYS"])


@bp.get("/customers.csv")
def customers_csv():
    """The archive (as filtered) as CSV for Excel: UTF-8 with BOM, formula cells neutralised."""
    found, _wanted, rows = _listed()
    header = [_("客户"), _("类型"), _("电话"), _("地区"), _("订单数"), _("近%(days)s天价值（元）", days=current_app.config["CUSTOMER_VALUE_DAYS"]), _("等级"), _("类别"),
              _("首次下单"), _("最近下单"), _("预警"), _("备注")]
    body = []
    for x in rows:
        c = found.customers[x.id]
        body.append([c.name, str(labels.KINDS[x.kind]), c.phone, c.region, x.orders, format_yuan(x.value_fen),
                     x.grade, str(labels.SEGMENTS[x.segment]), x.first_order or "", x.last_order or "",
                     "、".join(str(labels.WARNINGS[w]) for w in x.warnings), c.notes])
    name = f"customers-{found.as_of.isoformat()}.csv"
    return Response(export.csv_bytes(header, body), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/customers/<int:customer_id>")
def customer(customer_id: int):
    """One customer: standing, history of orders, notes, the contact log and the 重大变故 flag."""
    person = _customer(customer_id)
    found = service.archive()
    orders = list(db.session.execute(sa.select(Order).where(Order.customer_id == person.id)
                                     .order_by(Order.created_at.desc(), Order.id.desc()).limit(HISTORY)).scalars())
    return render_template("desk/customer.html", person=person, standing=found.of(person.id), orders=orders,
                           contacts=person.contacts, notes_form=NotesForm(notes=person.notes),
                           contact_form=ContactForm(),
                           change_form=MajorChangeForm(flagged=person.major_change, note=person.major_change_note),
                           labels=labels, yuan=format_yuan, as_of=found.as_of,
                           value_days=current_app.config["CUSTOMER_VALUE_DAYS"])


def _back(person: Customer, anchor: str):
    return redirect(url_for("desk.customer", customer_id=person.id) + anchor, 303)


@bp.post("/customers/<int:customer_id>/notes")
def customer_notes(customer_id: int):
    """Save staff's notes."""
    person = _customer(customer_id)
    form = NotesForm()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for e in form.notes.errors) or _("请重试。"), "error")
        return _back(person, "#notes")
    audit.record(current_user.username, "customer_notes", person.key, {"notes": person.notes},
                 {"notes": form.notes.data.strip()})
    person.notes = form.notes.data.strip()
    db.session.commit()
    flash(_("备注已保存。"), "success")
    return _back(person, "#notes")


@bp.post("/customers/<int:customer_id>/contacts")
def customer_contact(customer_id: int):
    """Log a contact (回访记录); its next-contact date becomes the customer's."""
    person = _customer(customer_id)
    form = ContactForm()
    if not form.validate_on_submit():
        problems = [str(e) for field in (form.at, form.channel, form.outcome, form.next_contact_on)
                    for e in field.errors]
        flash(" ".join(problems) or _("请重试。"), "error")
        return _back(person, "#contacts")
    now = datetime.now(UTC)
    when = datetime.combine(form.at.data, time(4), UTC) if form.at.data else now  # a typed day: its noon in China
    db.session.add(Contact(customer_id=person.id, at=when, channel=form.channel.data,
                           outcome=form.outcome.data.strip(), next_contact_on=form.next_contact_on.data,
                           recorded_by=current_user.username))
    person.next_contact_on = form.next_contact_on.data
    db.session.commit()
    flash(_("回访记录已保存。"), "success")
    return _back(person, "#contacts")


@bp.post("/customers/<int:customer_id>/major-change")
def customer_major_change(customer_id: int):
    """Set or clear the 重大变故 flag, audited."""
    person = _customer(customer_id)
    form = MajorChangeForm()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for e in form.note.errors) or _("请重试。"), "error")
        return _back(person, "#major-change")
    before = {"flagged": person.major_change, "note": person.major_change_note}
    person.major_change, person.major_change_note = bool(form.flagged.data), (form.note.data or "").strip()
    audit.record(current_user.username, "customer_major_change", person.key, before,
                 {"flagged": person.major_change, "note": person.major_change_note})
    db.session.commit()
    flash(_("已标记重大变故。") if person.major_change else _("已取消重大变故标记。"), "success")
    return _back(person, "#major-change")


@bp.get("/customers/charts")
def customer_charts():
    """Sales by month (this season against last), by category, and value by grade, drawn as SVG on the server."""
    found = service.archive()
    monthly = charts.season_months(service.order_rows(), found.as_of)
    by_category = service.category_sales(found.as_of)
    by_grade = charts.value_by_grade(found.standings)
    return render_template("desk/customer_charts.html", as_of=found.as_of,
                           value_days=current_app.config["CUSTOMER_VALUE_DAYS"],
                           months_svg=charts.months_chart(monthly, _("本季"), _("上季")),
                           category_svg=charts.bar_chart(by_category),
                           grade_svg=charts.bar_chart([(f"{g} ({n})", fen) for g, n, fen in by_grade]))
