"""Grades, segments and warnings of the customer archive (SPEC "Customers", 篇3, 篇5, 篇7), from plain rows
(order rows, or each customer's History summed from them).

Pure: no flask, no database. Everything is computed as of a calendar day in Asia/Shanghai (`as_of`); orders and
payments after that day do not exist yet. The figures come in a `Rules` (the service builds it from config).

- An order counts as an order unless it was cancelled with nothing paid (an abandoned or expired order).
- Money counts on the day it came in: paid − refunded of an order, on the day it was paid. A dealer's credit
  order (账期) counts its total − refunds on the day it was placed, since the dealer owes it from then;
  a cancelled credit order counts nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
RETAIL, DEALER = "retail", "dealer"
A, B, C = "A", "B", "C"
GRADES = (A, B, C)
VIP, KEY, ORDINARY, DORMANT = "vip", "key", "ordinary", "dormant"
SEGMENTS = (VIP, KEY, ORDINARY, DORMANT)
CHURN, SALES_PROGRESS, ARREARS, MAJOR_CHANGE = "churn", "sales_progress", "arrears", "major_change"
WARNINGS = (CHURN, SALES_PROGRESS, ARREARS, MAJOR_CHANGE)
SEASON_MONTH = 7  # a season runs 1 July – 30 June (苗木: autumn and the next spring's planting together)
UTC_PLUS_8_SINCE = datetime(1992, 1, 1, tzinfo=UTC)  # Asia/Shanghai's last daylight saving ended in September 1991


@dataclass(frozen=True)
class Rules:
    """The figures of SPEC "Customers"; shop.config holds the configured ones."""

    value_days: int = 365
    grade_a_percent: int = 80
    grade_b_percent: int = 15
    dormant_days: int = 365
    churn_grace_days: int = 30
    one_order_gap_days: int = 365
    sales_progress_percent: int = 70


class CustomerRow(NamedTuple):
    """A customer as the archive knows them: the flags staff set and credit's warning come in with them."""

    id: int
    key: str
    kind: str = RETAIL
    major_change: bool = False
    arrears: bool = False


@dataclass(frozen=True)
class OrderRow:
    """The columns of one order that the rules read."""

    customer_id: int
    placed_at: datetime
    paid_at: datetime | None = None
    paid_fen: int = 0
    refunded_fen: int = 0
    total_fen: int = 0
    on_credit: bool = False
    cancelled: bool = False


class History(NamedTuple):
    """One customer's orders as of a day, summed: all the rules read of them (shop.customers.history sums them in
    the database; `summarise` here, from order rows). A tuple: ten thousand of them are made per page."""

    orders: int = 0
    first_order: date | None = None
    last_order: date | None = None
    usual_gap: float | None = None
    value_fen: int = 0
    lifetime_fen: int = 0
    season_fen: int = 0
    last_season_fen: int = 0


@dataclass(frozen=True)
class Windows:
    """The days money is summed over as of a day: value from value_from, the season to date from season_from, and
    last season's same period last_from … last_to (each window ends on as_of unless it says otherwise)."""

    value_from: date
    season_from: date
    last_from: date
    last_to: date


@dataclass(frozen=True, slots=True)
class Standing:
    """One customer as of a day: history, value, grade, segment and warnings."""

    id: int
    key: str
    kind: str
    orders: int
    first_order: date | None
    last_order: date | None
    days_since: int | None
    usual_gap: float | None
    value_fen: int
    lifetime_fen: int
    season_fen: int
    last_season_fen: int
    grade: str
    lifetime_grade: str
    segment: str
    warnings: tuple[str, ...] = field(default=())


def local_day(moment: datetime) -> date:
    """The calendar day in Asia/Shanghai of a moment (naive means UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(SHANGHAI).date()


def is_order(row: OrderRow) -> bool:
    """An order counts unless it was cancelled with nothing paid."""
    return not row.cancelled or row.paid_fen > 0


def counted(row: OrderRow) -> tuple[date, int] | None:
    """(the day, the fen) the order adds to its customer's value; None when it adds nothing."""
    if row.on_credit:
        if row.cancelled:
            return None
        return local_day(row.placed_at), max(0, row.total_fen - row.refunded_fen)
    if row.paid_at is None or row.paid_fen <= 0:
        return None
    return local_day(row.paid_at), max(0, row.paid_fen - row.refunded_fen)


def season_start(day: date) -> date:
    """1 July of the season the day falls in."""
    return date(day.year if day.month >= SEASON_MONTH else day.year - 1, SEASON_MONTH, 1)


def year_before(day: date) -> date:
    """The same day a year earlier (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def grades(values: Iterable[tuple[str, int]], rules: Rules = Rules()) -> dict[str, str]:
    """ABC by Pareto: ranked by value (then key), A up to and including the one that crosses A's share of the
    total, B up to the one that crosses A + B, C the rest; a customer of no value is C."""
    ranked = sorted(values, key=lambda kv: (-kv[1], kv[0]))
    total = sum(max(0, v) for _, v in ranked)
    found, before = {}, 0
    a_line, b_line = rules.grade_a_percent, rules.grade_a_percent + rules.grade_b_percent
    for key, value in ranked:
        if value <= 0:
            found[key] = C
        elif before * 100 < total * a_line:
            found[key] = A
        elif before * 100 < total * b_line:
            found[key] = B
        else:
            found[key] = C
        before += max(0, value)
    return found


def usual_gap(days: list[date], rules: Rules = Rules()) -> float | None:
    """The median of the days between consecutive order days; one_order_gap_days for one order day."""
    return median_gap(sorted({d.toordinal() for d in days}), rules)


def median_gap(days: list[int], rules: Rules = Rules()) -> float | None:
    """usual_gap of distinct order days given as ascending day numbers (date.toordinal())."""
    if not days:
        return None
    if len(days) == 1:
        return float(rules.one_order_gap_days)
    gaps = sorted([b - a for a, b in zip(days, days[1:], strict=False)])
    middle = len(gaps) // 2
    return float(gaps[middle]) if len(gaps) % 2 else (gaps[middle - 1] + gaps[middle]) / 2


def segment(grade: str, days_since: int | None, rules: Rules = Rules()) -> str:
    """休眠 when there has been no order for dormant_days (or never); else VIP for A, 重点 for B, 普通 for C."""
    if days_since is None or days_since >= rules.dormant_days:
        return DORMANT
    return {A: VIP, B: KEY}.get(grade, ORDINARY)


def churning(days_since: int | None, gap: float | None, rules: Rules = Rules()) -> bool:
    """流失预警: the days since the last order exceed the usual gap by more than the grace days."""
    return days_since is not None and gap is not None and days_since > gap + rules.churn_grace_days


def behind_last_season(season_fen: int, last_season_fen: int, rules: Rules = Rules()) -> bool:
    """销售进度预警: this season to date under sales_progress_percent of the same period last season."""
    return last_season_fen > 0 and season_fen * 100 < last_season_fen * rules.sales_progress_percent


def windows(as_of: date, rules: Rules = Rules()) -> Windows:
    """The windows of money as of the day: the value_days days ending on it, the season to date, and the same
    period of last season."""
    season_from = season_start(as_of)
    return Windows(value_from=as_of - timedelta(days=rules.value_days - 1), season_from=season_from,
                   last_from=year_before(season_from), last_to=year_before(as_of))


def summarise(customer_ids: Iterable[int], orders: Iterable[OrderRow], as_of: date,
              rules: Rules = Rules()) -> dict[int, History]:
    """Each customer's History as of the day, from their order rows (a customer with no order has none)."""
    w = windows(as_of, rules)
    days: dict[int, list[date]] = {i: [] for i in customer_ids}
    money = {i: [0, 0, 0, 0] for i in days}  # value, lifetime, season to date, last season same period
    for row in orders:
        if row.customer_id not in days or not is_order(row):
            continue
        placed = local_day(row.placed_at)
        if placed > as_of:
            continue
        days[row.customer_id].append(placed)
        got = counted(row)
        if got is None or got[0] > as_of:
            continue
        day, fen = got
        sums = money[row.customer_id]
        sums[1] += fen
        if day >= w.value_from:
            sums[0] += fen
        if day >= w.season_from:
            sums[2] += fen
        if w.last_from <= day <= w.last_to:
            sums[3] += fen
    return {i: History(orders=len(mine), first_order=min(mine), last_order=max(mine),
                       usual_gap=usual_gap(mine, rules), value_fen=money[i][0], lifetime_fen=money[i][1],
                       season_fen=money[i][2], last_season_fen=money[i][3])
            for i, mine in days.items() if mine}


def judge(customers: Iterable[CustomerRow], histories: dict[int, History], as_of: date,
          rules: Rules = Rules()) -> list[Standing]:
    """Every customer's standing as of the day from their History, in the customers' order."""
    people = list(customers)
    none = History()
    mine = {c.id: histories.get(c.id, none) for c in people}
    graded = grades(((c.key, mine[c.id].value_fen) for c in people), rules)
    lifetime = grades(((c.key, mine[c.id].lifetime_fen) for c in people), rules)
    found = []
    for c in people:
        h = mine[c.id]
        since = (as_of - h.last_order).days if h.last_order else None
        warnings = [w for w, on in ((CHURN, churning(since, h.usual_gap, rules)),
                                    (SALES_PROGRESS, c.kind == DEALER
                                     and behind_last_season(h.season_fen, h.last_season_fen, rules)),
                                    (ARREARS, c.arrears), (MAJOR_CHANGE, c.major_change)) if on]
        found.append(Standing(
            id=c.id, key=c.key, kind=c.kind, orders=h.orders, first_order=h.first_order, last_order=h.last_order,
            days_since=since, usual_gap=h.usual_gap, value_fen=h.value_fen, lifetime_fen=h.lifetime_fen,
            season_fen=h.season_fen, last_season_fen=h.last_season_fen, grade=graded[c.key],
            lifetime_grade=lifetime[c.key], segment=segment(graded[c.key], since, rules), warnings=tuple(warnings)))
    return found


def standings(customers: Iterable[CustomerRow], orders: Iterable[OrderRow], as_of: date,
              rules: Rules = Rules()) -> list[Standing]:
    """Every customer's standing as of the day, from their order rows, in the customers' order."""
    people = list(customers)
    return judge(people, summarise((c.id for c in people), orders, as_of, rules), as_of, rules)
