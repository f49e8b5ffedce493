"""The credit ledger (pure): boundaries of due, overdue, the warning and the limit; FIFO settlement; statements."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from shop.credit import ledger
from shop.credit.ledger import Account, CreditOrder, Payment

T0 = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


def order(number: str, yuan: int, placed: datetime = T0, **extra) -> CreditOrder:
    return CreditOrder(number=number, total_fen=yuan * 100, placed_at=placed, **extra)


def test_an_order_falls_due_the_terms_after_dispatch_and_is_overdue_from_the_next_day_in_shanghai():
    due = ledger.due_at(T0, 30)  # 2 December 10:00 in Shanghai
    assert due == T0 + timedelta(days=30)
    rows = [order("A", 100, due_at=due)]

    def late(moment):
        at = ledger.position(Account(10_000_00), rows, [], moment)
        return at.overdue_fen, at.oldest_overdue_days

    assert late(due) == (0, 0)
    assert late(datetime(2026, 12, 2, 15, 59, 59, tzinfo=UTC)) == (0, 0)  # 23:59:59 on the due date: not yet
    assert late(datetime(2026, 12, 2, 16, 0, tzinfo=UTC)) == (100_00, 1)  # 00:00 the day after: one day overdue
    assert late(datetime(2026, 12, 4, 15, 0, tzinfo=UTC)) == (100_00, 2)  # 47 hours after due: two days
    assert late(due + timedelta(days=12, hours=3)) == (100_00, 12)
    undispatched = ledger.position(Account(10_000_00), [order("B", 100)], [], T0 + timedelta(days=400))
    assert undispatched.overdue_fen == 0 and undispatched.outstanding_fen == 100_00  # owed, never due yet


def test_payments_follow_the_order_the_orders_took_the_lock_in_not_their_clocks():
    # B took the dealer's lock first (lower id) though its request began later than A's.
    first, second = CreditOrder("B", 840, T0 + timedelta(seconds=1), seq=7), CreditOrder("A", 420, T0, seq=8)
    settled, balance = ledger.settle([second, first], [Payment(1000, date(2026, 11, 2))], T0 + timedelta(hours=1))
    assert [(s.order.number, s.covered_fen) for s in settled] == [("B", 840), ("A", 160)] and balance == 0


def test_the_warning_fires_at_80_percent_of_the_limit_and_not_a_fen_below():
    account = Account(limit_fen=1000_00)
    at = ledger.position(account, [order("A", 800)], [], T0)
    assert at.usage_percent == 80 and at.warning(80)
    below = ledger.position(account, [CreditOrder("A", 800_00 - 1, T0)], [], T0)
    assert below.usage_percent == 79 and not below.warning(80)
    overdue = ledger.position(account, [order("A", 1, due_at=T0)], [], T0 + timedelta(days=1))
    assert overdue.warning(80)  # anything overdue, however small
    assert not ledger.position(Account(0), [], [], T0).warning(80)


def test_refusals_in_order_not_granted_then_overdue_then_over_the_limit():
    rows = [order("A", 600, due_at=T0)]
    late = T0 + timedelta(days=1)  # the day after the due date
    assert ledger.refusal(Account(0), ledger.position(Account(0), [], [], T0), 1) == ledger.NOT_GRANTED
    unapproved = Account(1000_00, approved=False)
    assert ledger.refusal(unapproved, ledger.position(unapproved, [], [], T0), 1) == ledger.NOT_GRANTED
    account = Account(1000_00)
    assert ledger.refusal(account, ledger.position(account, rows, [], late), 1) == ledger.OVERDUE
    at = ledger.position(account, rows, [], T0)
    assert at.available_fen == 400_00
    assert ledger.refusal(account, at, 400_00) is None  # exactly what is available fits
    assert ledger.refusal(account, at, 400_01) == ledger.LIMIT_EXCEEDED


def test_payments_settle_oldest_first_partly_and_the_rest_is_balance_that_adds_to_available():
    rows = [order("B", 50, T0 + timedelta(hours=1)), order("A", 100, T0), order("C", 30, T0 + timedelta(hours=2))]
    settled, balance = ledger.settle(rows, [Payment(120_00, date(2026, 11, 2))], T0 + timedelta(days=1))
    assert [(s.order.number, s.covered_fen, s.owed_fen, s.settled) for s in settled] == [
        ("A", 100_00, 0, True), ("B", 20_00, 30_00, False), ("C", 0, 30_00, False)]
    assert balance == 0
    at = ledger.position(Account(100_00), rows, [Payment(200_00, date(2026, 11, 2))], T0 + timedelta(days=1))
    assert (at.outstanding_fen, at.balance_fen, at.available_fen) == (0, 20_00, 120_00)


def test_a_payment_dated_later_does_not_count_before_its_day_in_shanghai():
    rows = [order("A", 100)]
    paid = [Payment(100_00, date(2026, 11, 3))]
    evening = datetime(2026, 11, 2, 15, 59, tzinfo=UTC)  # 23:59 on the 2nd in Shanghai
    assert ledger.position(Account(1000_00), rows, paid, evening).outstanding_fen == 100_00
    assert ledger.position(Account(1000_00), rows, paid, evening + timedelta(minutes=1)).outstanding_fen == 0


def test_a_cancelled_order_charges_nothing_and_money_returned_reduces_what_it_charges():
    cancelled = order("A", 100, cancelled_at=T0 + timedelta(hours=1))
    returned = order("B", 100, returns=((T0 + timedelta(hours=2), 30_00),))
    at = ledger.position(Account(1000_00), [cancelled, returned], [], T0 + timedelta(hours=3))
    assert at.outstanding_fen == 70_00
    before = ledger.position(Account(1000_00), [cancelled, returned], [], T0 + timedelta(minutes=30))
    assert before.outstanding_fen == 200_00  # as it stood before either happened


def test_the_monthly_statement_opens_with_last_months_close_and_lists_the_months_lines():
    nov = datetime(2026, 11, 10, 4, tzinfo=UTC)
    rows = [order("OCT1", 300, datetime(2026, 10, 20, 4, tzinfo=UTC), due_at=datetime(2026, 11, 5, tzinfo=UTC)),
            order("NOV1", 500, nov),
            order("NOV2", 200, nov + timedelta(days=1), cancelled_at=nov + timedelta(days=2)),
            order("NOV3", 100, nov + timedelta(days=3), returns=((nov + timedelta(days=4), 40_00),)),
            order("DEC1", 999, datetime(2026, 12, 1, 1, tzinfo=UTC))]  # 09:00 on 1 December in Shanghai
    payments = [Payment(100_00, date(2026, 10, 31), "BOC-1"), Payment(250_00, date(2026, 11, 30), "BOC-2")]
    month = ledger.statement(rows, payments, 2026, 11)
    assert month.opening_fen == 200_00  # 300 ordered − 100 paid in October
    assert [(e.kind, e.reference, e.debit_fen, e.credit_fen, e.owed_after_fen) for e in month.entries] == [
        ("order", "NOV1", 500_00, 0, 700_00),
        ("order", "NOV2", 200_00, 0, 900_00),
        ("cancelled", "NOV2", 0, 200_00, 700_00),
        ("order", "NOV3", 100_00, 0, 800_00),
        ("returned", "NOV3", 0, 40_00, 760_00),
        ("payment", "BOC-2", 0, 250_00, 510_00),
    ]
    assert (month.debits_fen, month.credits_fen, month.closing_fen) == (800_00, 490_00, 510_00)
    assert month.closing_fen == month.opening_fen + month.debits_fen - month.credits_fen
    # OCT1 fell due on 5 November: paid 100 + 250 oldest first, it is settled by the 30th; nothing is overdue.
    assert month.overdue == ()
    october = ledger.statement(rows, payments, 2026, 10)
    assert (october.opening_fen, october.closing_fen) == (0, 200_00)
    december = ledger.statement(rows, payments, 2026, 12)
    assert december.opening_fen == month.closing_fen and december.entries[0].reference == "DEC1"


def test_overdue_at_the_end_of_the_month_is_what_was_still_owed_past_due_then():
    rows = [order("A", 300, datetime(2026, 10, 1, tzinfo=UTC), due_at=datetime(2026, 11, 1, tzinfo=UTC))]
    month = ledger.statement(rows, [Payment(100_00, date(2026, 11, 15))], 2026, 11)
    assert [(s.order.number, s.owed_fen) for s in month.overdue] == [("A", 200_00)]
    assert month.overdue[0].overdue_days == 29  # 1 November 00:00 UTC to the end of 30 November in Shanghai


ORDERS = st.lists(st.tuples(st.integers(1, 10**7), st.integers(0, 10**6), st.booleans()), max_size=12)
PAYMENTS = st.lists(st.integers(1, 10**7), max_size=6)


@given(ORDERS, PAYMENTS)
def test_what_is_owed_less_the_balance_is_always_what_was_charged_less_what_was_paid(orders, payments):
    rows = [CreditOrder(f"N{i}", total, T0 + timedelta(seconds=offset),
                        cancelled_at=T0 + timedelta(days=30) if cancelled else None)
            for i, (total, offset, cancelled) in enumerate(orders)]
    paid = [Payment(amount, date(2026, 11, 1)) for amount in payments]
    as_of = T0 + timedelta(days=60)
    at = ledger.position(Account(10**9), rows, paid, as_of)
    charged = sum(total for total, _offset, cancelled in orders if not cancelled)
    assert at.outstanding_fen - at.balance_fen == charged - sum(payments)
    assert min(at.outstanding_fen, at.balance_fen) == 0
    settled = list(at.orders)
    for earlier, later in zip(settled, settled[1:], strict=False):  # FIFO: no later order covered while one owes
        assert not (earlier.owed_fen > 0 and later.covered_fen > 0)
    assert all(0 <= s.covered_fen <= s.charge_fen for s in settled)
