"""A dealer's credit account (SPEC "Credit"), computed from plain rows and an explicit `as_of`.

Pure: no Flask, no database. Every money figure of credit — outstanding, available, overdue, balance, which
orders the payments settle, the 外欠款预警 and the monthly statement (对账单) — comes from here; the placing
code, the desk, the API, the CLI and the statement PDF only feed it rows.

The account is a ledger: a credit order charges its total when it is placed; a cancellation reverses what it
still charged; money returned to the account (a refund of a credit order) and payments on account reduce
what is owed. Payments settle the oldest orders first (FIFO by placing time), partly if need be; what is left
over is the dealer's balance, which settles the next orders as they are placed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

DEFAULT_TERMS_DAYS = 30  # 账期 for a dealer unless an admin sets other terms

# Why a credit order is refused (HTTP 422 codes).
NOT_GRANTED = "credit_not_granted"
LIMIT_EXCEEDED = "credit_limit_exceeded"
OVERDUE = "credit_overdue"


@dataclass(frozen=True)
class Account:
    """What an admin granted: the limit (0 = no credit) and the terms in days after dispatch."""

    limit_fen: int = 0
    terms_days: int = DEFAULT_TERMS_DAYS
    approved: bool = True  # only an approved dealer may buy on account


@dataclass(frozen=True)
class CreditOrder:
    """A credit order as the ledger needs it. `returns` are (when, fen) of money given back to the account."""

    number: str
    total_fen: int
    placed_at: datetime
    due_at: datetime | None = None  # dispatch + terms; None until dispatched
    cancelled_at: datetime | None = None
    returns: tuple[tuple[datetime, int], ...] = ()
    seq: int = 0  # the order's id: the order in which credit orders took the dealer's lock (FIFO follows it)


@dataclass(frozen=True)
class Payment:
    """Money the dealer paid into the account, on the bank's date."""

    amount_fen: int
    received_on: date
    reference: str = ""
    id: int = 0


@dataclass(frozen=True)
class Settled:
    """One order after the payments were applied: what it charges, what is covered, what it still owes."""

    order: CreditOrder
    charge_fen: int
    covered_fen: int
    owed_fen: int
    overdue_days: int  # 0 unless owed and past its due date

    @property
    def settled(self) -> bool:
        """Nothing owed any more (and something was charged): the order is paid."""
        return self.charge_fen > 0 and self.owed_fen == 0


@dataclass(frozen=True)
class Position:
    """The account as of a moment: what the API's `credit`, the dealer's home and the desk show."""

    limit_fen: int
    terms_days: int
    outstanding_fen: int
    available_fen: int
    overdue_fen: int
    oldest_overdue_days: int
    balance_fen: int
    orders: tuple[Settled, ...] = field(default=(), repr=False)

    @property
    def usage_percent(self) -> int:
        """Outstanding as a whole percentage of the limit (0 without a limit), rounded down."""
        return self.outstanding_fen * 100 // self.limit_fen if self.limit_fen > 0 else 0

    def warning(self, warn_percent: int) -> bool:
        """外欠款预警: at or above warn_percent of the limit, or anything overdue."""
        if self.overdue_fen > 0:
            return True
        return self.limit_fen > 0 and self.outstanding_fen * 100 >= self.limit_fen * warn_percent


def due_at(dispatched_at: datetime, terms_days: int) -> datetime:
    """When a credit order falls due: terms_days after it was dispatched."""
    return dispatched_at + timedelta(days=terms_days)


def local_day(moment: datetime) -> date:
    """The calendar day in Asia/Shanghai of a UTC moment."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(SHANGHAI).date()


def charge(order: CreditOrder, as_of: datetime) -> int:
    """What the order charges the account as of as_of: 0 before it was placed or once cancelled."""
    if order.placed_at > as_of or (order.cancelled_at is not None and order.cancelled_at <= as_of):
        return 0
    return order.total_fen - sum(fen for when, fen in order.returns if when <= as_of)


def paid_in(payments: list[Payment] | tuple[Payment, ...], as_of: datetime) -> int:
    """Fen paid into the account up to as_of's day."""
    day = local_day(as_of)
    return sum(p.amount_fen for p in payments if p.received_on <= day)


def settle(orders, payments, as_of: datetime) -> tuple[list[Settled], int]:
    """Apply the payments to the orders oldest first: (every order settled or not, the balance left over)."""
    pool = paid_in(payments, as_of)
    settled = []
    for order in sorted(orders, key=lambda o: (o.seq, o.placed_at, o.number)):
        owes = max(0, charge(order, as_of))
        covered = min(owes, pool)
        pool -= covered
        owed = owes - covered
        late = 0
        if owed > 0 and order.due_at is not None:  # overdue after the due date: from the next day in Shanghai
            late = max(0, (local_day(as_of) - local_day(order.due_at)).days)
        settled.append(Settled(order, owes, covered, owed, late))
    return settled, pool


def position(account: Account, orders, payments, as_of: datetime) -> Position:
    """Outstanding, available, overdue and balance of the account as of as_of."""
    settled, balance = settle(orders, payments, as_of)
    outstanding = sum(s.owed_fen for s in settled)
    overdue = [s for s in settled if s.overdue_days > 0]
    available = max(0, account.limit_fen - outstanding + balance) if account.limit_fen > 0 else 0
    return Position(
        limit_fen=account.limit_fen, terms_days=account.terms_days, outstanding_fen=outstanding,
        available_fen=available, overdue_fen=sum(s.owed_fen for s in overdue),
        oldest_overdue_days=max((s.overdue_days for s in overdue), default=0), balance_fen=balance,
        orders=tuple(settled),
    )


def refusal(account: Account, at: Position, total_fen: int) -> str | None:
    """Why a credit order of total_fen may not be placed (a code above), or None when it may."""
    if not account.approved or account.limit_fen <= 0:
        return NOT_GRANTED
    if at.overdue_fen > 0:
        return OVERDUE
    if total_fen > at.available_fen:
        return LIMIT_EXCEEDED
    return None


# The monthly statement (对账单).

ORDER, CANCELLED, RETURNED, PAYMENT = "order", "cancelled", "returned", "payment"


@dataclass(frozen=True)
class Entry:
    """One line of a statement: what happened on a day, charged (debit) or paid/given back (credit)."""

    day: date
    kind: str  # order | cancelled | returned | payment
    reference: str  # the order number or the bank reference
    debit_fen: int
    credit_fen: int
    owed_after_fen: int  # what the dealer owes after this line (negative: a balance in their favour)


@dataclass(frozen=True)
class Statement:
    """A month of the account: opening and closing owed, every line, and what was overdue at the month's end."""

    year: int
    month: int
    opening_fen: int
    entries: tuple[Entry, ...]
    closing_fen: int
    debits_fen: int
    credits_fen: int
    overdue: tuple[Settled, ...]


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """The first day of the month and the first day of the next one."""
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return first, following


def entries(orders, payments) -> list[tuple[date, int, str, str, int, int]]:
    """Every movement of the account as (day, order within the day, kind, reference, debit, credit), in order."""
    moves = []
    for o in orders:
        moves.append((local_day(o.placed_at), 0, o.placed_at, ORDER, o.number, o.total_fen, 0))
        for when, fen in o.returns:
            if o.cancelled_at is None or when < o.cancelled_at:
                moves.append((local_day(when), 1, when, RETURNED, o.number, 0, fen))
        if o.cancelled_at is not None:
            left = o.total_fen - sum(fen for when, fen in o.returns if when < o.cancelled_at)
            moves.append((local_day(o.cancelled_at), 1, o.cancelled_at, CANCELLED, o.number, 0, left))
    for p in payments:
        moves.append((p.received_on, 2, None, PAYMENT, p.reference, 0, p.amount_fen))
    moves.sort(key=lambda m: (m[0], m[1], m[2] or datetime.min.replace(tzinfo=UTC), m[4]))
    return [(day, rank, kind, ref, debit, credit) for day, rank, _when, kind, ref, debit, credit in moves]


def statement(orders, payments, year: int, month: int, as_of: datetime | None = None) -> Statement:
    """The 对账单 of one month (days in Asia/Shanghai): opening owed, the month's lines, closing owed, and what was
    overdue at the month's end — or as of `as_of` for the month still running."""
    first, following = month_bounds(year, month)
    owed = 0
    lines = []
    for day, _rank, kind, ref, debit, credit in entries(orders, payments):
        if day >= following:
            break
        if day < first:
            owed += debit - credit
            continue
        owed += debit - credit
        lines.append(Entry(day, kind, ref, debit, credit, owed))
    opening = lines[0].owed_after_fen - lines[0].debit_fen + lines[0].credit_fen if lines else owed
    end = datetime(following.year, following.month, following.day, tzinfo=SHANGHAI).astimezone(UTC) \
        - timedelta(microseconds=1)
    settled, _ = settle(orders, payments, min(end, as_of) if as_of is not None else end)
    return Statement(year, month, opening, tuple(lines), owed, sum(e.debit_fen for e in lines),
                     sum(e.credit_fen for e in lines), tuple(s for s in settled if s.overdue_days > 0))
