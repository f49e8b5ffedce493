"""Credit on the web pages: the statement PDF of a month, the months to offer, the warning in words, and the
service's errors in the visitor's language. Figures come from `shop.credit.ledger` through the service."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime

from flask import Response, abort, current_app
from flask_babel import gettext as _

from shop import i18n
from shop.contracts.document import Party
from shop.credit import ledger
from shop.credit import service as credit
from shop.credit.statement import render_statement
from shop.dealers.models import Dealer

MONTH = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])")  # ASCII digits only
FIRST_YEAR = 2000
RECENT_MONTHS = 6
_BILINGUAL = re.compile(r"(.*\S)\s*\((.+)\)\s*", re.S)  # "中文 (English)", as CreditError says it


def this_month(now: datetime) -> tuple[int, int]:
    """The month it is now in Asia/Shanghai."""
    day = ledger.local_day(now)
    return day.year, day.month


def month_or_404(text: str, now: datetime) -> tuple[int, int]:
    """(year, month) of a "YYYY-MM" no later than this month; 404 for anything else."""
    found = MONTH.fullmatch(text or "")
    if found is None:
        abort(404)
    year, month = int(found.group(1)), int(found.group(2))
    if year < FIRST_YEAR or (year, month) > this_month(now):
        abort(404)
    return year, month


def recent_months(now: datetime, count: int = RECENT_MONTHS) -> list[str]:
    """"YYYY-MM" of this month and the ones before it, newest first."""
    year, month = this_month(now)
    months = []
    for _step in range(count):
        months.append(f"{year}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


def statement_of(dealer: Dealer, year: int, month: int, now: datetime) -> tuple[ledger.Statement, bool]:
    """The month's statement and whether the month is over. For the month still running, what is overdue is
    taken as of now (the ledger's month-end figure would count days that have not happened yet)."""
    orders, payments = credit.rows(dealer)
    over = (year, month) < this_month(now)
    return ledger.statement(orders, payments, year, month, as_of=None if over else now), over


def seller() -> Party:
    """The nursery as the statement names it (SELLER_* settings)."""
    config = current_app.config
    return Party(name=config["SELLER_NAME"], phone=config["SELLER_PHONE"], address=config["SELLER_ADDRESS"],
                 contact=config["SELLER_CONTACT"], bank=config["SELLER_BANK_ACCOUNTS"])


def statement_response(dealer: Dealer, month_text: str, now: datetime | None = None) -> Response:
    """The dealer's 对账单 of the month as a PDF response (404 for a bad month)."""
    now = now or datetime.now(UTC)
    year, month = month_or_404(month_text, now)
    statement, closed = statement_of(dealer, year, month, now)
    body = render_statement(
        statement, seller=seller(), account=credit.account(dealer), generated_at=now, closed=closed,
        dealer=Party(name=dealer.company, phone=dealer.phone, address=dealer.region, contact=dealer.contact_name))
    name = f"statement-{dealer.phone}-{year}-{month:02d}.pdf"
    return Response(body, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{name}"', "Cache-Control": "private, no-store"})


def near_limit(at: ledger.Position, warn_percent: int) -> bool:
    """The 外欠款预警 for the share of the limit alone (Position.warning without what is overdue)."""
    return dataclasses.replace(at, overdue_fen=0).warning(warn_percent)


def warning_reasons(at: ledger.Position, warn_percent: int) -> list[str]:
    """Why the 外欠款预警 fires, in words: "已用 85%", "逾期 12 天"; empty when it does not."""
    reasons = []
    if near_limit(at, warn_percent):
        reasons.append(_("已用 %(percent)s%%", percent=at.usage_percent))
    if at.overdue_fen > 0:
        reasons.append(_("逾期 %(days)s 天", days=at.oldest_overdue_days))
    return reasons


def in_language(message, lang: str | None = None) -> str:
    """A service message in the visitor's language: a CreditError's own, or text written "中文 (English)"."""
    lang = lang or i18n.current()
    if isinstance(message, credit.CreditError):
        return message.en if lang == "en" else message.zh
    message = str(message)
    found = _BILINGUAL.fullmatch(message)
    if found is None:
        return message
    return found.group(2) if lang == "en" else found.group(1)
