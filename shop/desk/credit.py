"""Desk: dealer credit (账期). Every dealer with credit by how much of the limit is used, with the 外欠款预警 and a
chart; a dealer's statement PDF; the forms of the dealer's page (an admin sets limit and terms, staff record a
payment on account). Figures come from shop.credit.ledger through the service, which also audits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from fractions import Fraction

import sqlalchemy as sa
from flask import redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from shop.credit import ledger
from shop.credit import service as credit
from shop.credit import web as credit_web
from shop.credit.models import AccountPayment
from shop.dealers.models import Dealer
from shop.desk import bp
from shop.desk.views import _by_id
from shop.extensions import db
from shop.money import format_yuan
from shop.orders.models import Order

CHART_WIDTH = 320  # the SVG's own units; it is drawn at the width of the page (100%)
CHART_ROW = 34  # a name line and a bar under it
CHART_BAR = 12
REFERENCE_LENGTH = AccountPayment.__table__.c.reference.type.length  # what the column holds


class CreditForm(FlaskForm):
    """An admin grants a limit in yuan (0 = no credit) and the terms in days after dispatch."""

    limit = StringField(_l("授信额度（元，0 为不授信）"), validators=[DataRequired(_l("请填写授信额度")), Length(max=40)])
    terms_days = StringField(_l("账期（发货后天数）"), validators=[DataRequired(_l("请填写账期天数")), Length(max=10)],
                             render_kw={"inputmode": "numeric"})


class AccountPaymentForm(FlaskForm):
    """Money the dealer paid into the account: amount, the bank's date and reference."""

    amount = StringField(_l("回款金额（元）"), validators=[DataRequired(_l("请填写回款金额")), Length(max=40)])
    received_on = StringField(_l("到账日期"), validators=[DataRequired(_l("请填写到账日期")), Length(max=10)],
                              render_kw={"type": "date"})
    reference = StringField(_l("银行流水号 / 附言"), validators=[
        Length(max=REFERENCE_LENGTH, message=_l("银行流水号最多 %(max)s 个字符"))])


def parse_terms(text: str) -> int:
    """Whole days from 0 to the most terms allowed; ValueError if not."""
    text = (text or "").strip()
    if not text.isascii() or not text.isdigit() or int(text) > credit.MAX_TERMS_DAYS:
        raise ValueError(text)
    return int(text)


def parse_day(text: str, now: datetime) -> date:
    """A YYYY-MM-DD no later than today in Shanghai; ValueError if not."""
    day = date.fromisoformat((text or "").strip())
    if day > ledger.local_day(now) or day.year < credit_web.FIRST_YEAR:
        raise ValueError(text)
    return day


def credit_forms(found: Dealer, now: datetime) -> tuple[CreditForm, AccountPaymentForm]:
    """Both forms of the dealer's page filled with what is set now and today's date."""
    grant = CreditForm(formdata=None, limit=format_yuan(found.credit_limit_fen), terms_days=found.credit_terms_days)
    paid = AccountPaymentForm(formdata=None, received_on=ledger.local_day(now).isoformat())
    return grant, paid


def dealer_credit(found: Dealer, now: datetime) -> dict:
    """What the dealer's desk page shows of their credit: figures, warning, orders, payments, statements."""
    orders = credit.credit_orders([found.id])[found.id]
    payments = credit.payments_of([found.id])[found.id]
    at = ledger.position(credit.account(found), [credit.order_row(o) for o in orders],
                         [credit.payment_row(p) for p in payments], now)
    warn = credit.warn_percent()
    return {"credit": at, "credit_warning": at.warning(warn), "credit_reasons": credit_web.warning_reasons(at, warn),
            "credit_orders": list(reversed(at.orders)), "account_payments": list(reversed(payments)),
            "months": credit_web.recent_months(now), "local_day": ledger.local_day}


# --- every dealer with credit ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One dealer on the credit page."""

    dealer: Dealer
    at: ledger.Position
    warning: bool
    reasons: list[str]

    @property
    def usage(self) -> Fraction:
        """Outstanding over the limit; above every share when something is owed without a limit."""
        if self.at.limit_fen > 0:
            return Fraction(self.at.outstanding_fen, self.at.limit_fen)
        return Fraction(10**18) if self.at.outstanding_fen > 0 else Fraction(0)


def with_credit(now: datetime) -> list[Line]:
    """Dealers with a limit, or with credit orders or payments on account, most of their limit used first
    (three queries whatever the number of dealers)."""
    credit_dealers = sa.select(Order.dealer_id).where(Order.payment_method == credit.CREDIT)
    paying = sa.select(AccountPayment.dealer_id)
    dealers = list(db.session.execute(sa.select(Dealer).where(sa.or_(
        Dealer.credit_limit_fen > 0, Dealer.id.in_(credit_dealers), Dealer.id.in_(paying)))).scalars())
    positions = credit.positions(dealers, now)
    warn = credit.warn_percent()
    lines = [Line(d, positions[d.id], positions[d.id].warning(warn), credit_web.warning_reasons(positions[d.id], warn))
             for d in dealers]
    lines = [line for line in lines if line.at.limit_fen > 0 or line.at.outstanding_fen > 0 or line.at.balance_fen > 0]
    return sorted(lines, key=lambda line: (-line.usage, -line.at.overdue_fen, -line.at.outstanding_fen,
                                           line.dealer.company, line.dealer.id))


def chart(lines: list[Line]) -> dict:
    """A bar per dealer in SVG units, the most outstanding the full width: outstanding, the overdue part of it
    in red over it."""
    scale = max([line.at.outstanding_fen for line in lines] + [1])
    bars = []
    for i, line in enumerate(lines):
        top = i * CHART_ROW
        bars.append({"dealer": line.dealer, "at": line.at, "warning": line.warning, "label_y": top + 12,
                     "bar_y": top + 16, "outstanding": line.at.outstanding_fen * CHART_WIDTH // scale,
                     "overdue": line.at.overdue_fen * CHART_WIDTH // scale})
    return {"width": CHART_WIDTH, "height": max(len(lines), 1) * CHART_ROW, "bar": CHART_BAR, "bars": bars}


@bp.get("/credit")
def credit_overview():
    """Every dealer with credit, most of their limit used first, warnings marked, with a chart."""
    lines = with_credit(datetime.now(UTC))
    return render_template("desk/credit.html", lines=lines, chart=chart(lines), warn_percent=credit.warn_percent())


@bp.get("/credit/<int:dealer_id>/statement")
def statement_month(dealer_id: int):
    """The month picker's answer (?month=YYYY-MM): on to the dealer's PDF of that month."""
    _by_id(Dealer, dealer_id)
    month = request.args.get("month", "")
    credit_web.month_or_404(month, datetime.now(UTC))
    return redirect(url_for("desk.statement", dealer_id=dealer_id, month=month), 303)


@bp.get("/credit/<int:dealer_id>/statement/<month>.pdf")
def statement(dealer_id: int, month: str):
    """A dealer's statement (对账单) of a month, for any staff member."""
    return credit_web.statement_response(_by_id(Dealer, dealer_id), month)
