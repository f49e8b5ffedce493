"""Every customer's order history as of a day, summed by the database (one `History` each, in one query): what
shop.customers.segments reads, instead of every order row. The rules stay in segments; here they are spelled in
SQL that SQLite and PostgreSQL both run, and tests/customers/test_history_sql.py holds the two to the same answers.

Days are Asia/Shanghai days: a window of days is compared as UTC moments against the UTC moments its first and
next days begin, so no row is converted; each customer's order days (for the usual gap) come joined in one text.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from shop.customers import segments
from shop.extensions import db
from shop.orders import states
from shop.orders.models import Order

CREDIT = "credit"  # the payment method of a dealer's credit order (shop.credit.service.CREDIT)
SINCE_TEXT = segments.UTC_PLUS_8_SINCE.strftime("%Y-%m-%d")


def start_of(day: date) -> datetime:
    """The first moment of a day in Asia/Shanghai, in UTC."""
    return datetime.combine(day, time(), segments.SHANGHAI).astimezone(UTC)


def _positive(fen):
    return sa.case((fen > 0, fen), else_=0)


def _fen_between(first: date | None, last: date):
    """SUM of the fen counted on the days first (or ever) … last: segments.counted as a CASE."""
    def on_days(moment):
        hi = moment < start_of(last + timedelta(days=1))
        return hi if first is None else sa.and_(moment >= start_of(first), hi)

    return sa.func.coalesce(sa.func.sum(sa.case(
        (Order.payment_method == CREDIT,
         sa.case((sa.and_(Order.status != states.CANCELLED, on_days(Order.created_at)),
                  _positive(Order.total_fen - Order.refunded_fen)), else_=0)),
        (sa.and_(Order.paid_fen > 0, Order.paid_at.is_not(None), on_days(Order.paid_at)),
         _positive(Order.paid_fen - Order.refunded_fen)),
        else_=0)), 0)


def _orders(as_of: date):
    """The WHERE of the orders that exist as of the day (segments.is_order, placed by then)."""
    return sa.and_(sa.or_(Order.status != states.CANCELLED, Order.paid_fen > 0),
                   Order.created_at < start_of(as_of + timedelta(days=1)))


def _days():
    """The aggregate of each customer's order days, joined by commas: on PostgreSQL their numbers (date.toordinal()
    of the day in Asia/Shanghai); on SQLite the moments as stored, which _ordinals reads."""
    if db.engine.dialect.name == "postgresql":
        local = sa.cast(sa.func.timezone(segments.SHANGHAI.key, Order.created_at), sa.Date)
        return sa.func.aggregate_strings(sa.cast(local - sa.cast(sa.literal("0001-01-01"), sa.Date) + 1, sa.String),
                                         ",")
    return sa.func.aggregate_strings(Order.created_at, ",")


def _ordinals(joined: str, cache: dict[str, int]) -> list[int]:
    """The distinct order days (date.toordinal()), ascending, from _days. SQLite keeps a moment as text in UTC,
    'YYYY-MM-DD HH:MM:SS.ffffff': its day in Asia/Shanghai is its date, or the next from 16:00 (UTC+8, which the
    zone has kept since segments.UTC_PLUS_8_SINCE; an older moment goes through the zone's own rules)."""
    days = set()
    for text in joined.split(","):
        hour = text[:13]
        day = cache.get(hour)
        if day is None:
            if text.isdigit():
                day = int(text)
            elif text < SINCE_TEXT:
                day = segments.local_day(datetime.fromisoformat(text)).toordinal()
            else:
                day = cache[hour] = date.fromisoformat(text[:10]).toordinal() + (text[11:13] >= "16")
        days.add(day)
    return sorted(days)


def histories(as_of: date, rules: segments.Rules) -> dict[int, segments.History]:
    """Every customer's History as of the day (a customer with no order has none), in one query."""
    w = segments.windows(as_of, rules)
    whose = Order.customer_id + 0  # so SQLite reads the table through once, not row by row along the index
    rows = db.session.connection().execute(
        sa.select(whose, sa.func.count(), _fen_between(w.value_from, as_of), _fen_between(None, as_of),
                  _fen_between(w.season_from, as_of), _fen_between(w.last_from, w.last_to), _days())
        .where(_orders(as_of)).group_by(whose))
    found, cache = {}, {}
    for c, n, value, whole, season, last_season, joined in rows:
        days = _ordinals(joined, cache)
        found[c] = segments.History(
            orders=n, first_order=date.fromordinal(days[0]), last_order=date.fromordinal(days[-1]),
            usual_gap=segments.median_gap(days, rules), value_fen=int(value), lifetime_fen=int(whole),
            season_fen=int(season), last_season_fen=int(last_season))
    return found
