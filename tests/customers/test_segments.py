"""The archive's rules (SPEC "Customers"), pure: grades at the 80% line, segments, warnings one day each side."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from shop.customers import segments as s
from shop.customers.segments import CustomerRow, OrderRow, Rules

AS_OF = date(2027, 3, 15)


def at(day: date, hour: int = 4) -> datetime:
    """A moment on that Shanghai day (04:00 UTC is 12:00 in Shanghai)."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def paid(customer_id: int, day: date, fen: int, refunded: int = 0, placed: date | None = None) -> OrderRow:
    return OrderRow(customer_id=customer_id, placed_at=at(placed or day), paid_at=at(day), paid_fen=fen,
                    refunded_fen=refunded, total_fen=fen)


def one(orders, kind=s.RETAIL, as_of=AS_OF, rules=Rules(), **flags) -> s.Standing:
    return s.standings([CustomerRow(id=1, key="c1", kind=kind, **flags)], orders, as_of, rules)[0]


# --- grades ---------------------------------------------------------------------------------------------------------

def test_the_customer_that_crosses_80_percent_is_a_and_the_next_is_b():
    # total 1000: 500 + 290 = 790 (< 80%), the third (100) crosses to 890: A; 60 crosses 95% → B; 50 → C
    found = s.grades([("a", 500), ("b", 290), ("c", 100), ("d", 60), ("e", 50)])
    assert found == {"a": "A", "b": "A", "c": "A", "d": "B", "e": "C"}


def test_reaching_exactly_80_percent_closes_a():
    found = s.grades([("a", 800), ("b", 150), ("c", 50)])
    assert found == {"a": "A", "b": "B", "c": "C"}
    found = s.grades([("a", 799), ("b", 151), ("c", 50)])  # one fen short of 80%: the next one crosses it
    assert found == {"a": "A", "b": "A", "c": "C"}


def test_ties_at_the_boundary_rank_by_key():
    # total 1000: x 700, then q and p tied at 100 where A closes: p (by key) crosses 80% and is A, q is B
    assert s.grades([("x", 700), ("q", 100), ("p", 100), ("r", 100)]) == {"x": "A", "p": "A", "q": "B", "r": "B"}
    assert s.grades([("x", 700), ("p", 100), ("q", 100), ("r", 100)]) == {"x": "A", "p": "A", "q": "B", "r": "B"}
    found = s.grades([("b", 800), ("a", 100), ("d", 50), ("c", 50)])  # c before d: c crosses 95%, d is C
    assert found == {"b": "A", "a": "B", "c": "B", "d": "C"}


def test_no_value_is_grade_c_even_when_nobody_has_any():
    assert s.grades([("a", 0), ("b", 0)]) == {"a": "C", "b": "C"}
    assert s.grades([("a", 10), ("b", 0)]) == {"a": "A", "b": "C"}


def test_other_shares_follow_the_rules():
    found = s.grades([("a", 600), ("b", 300), ("c", 100)], Rules(grade_a_percent=50, grade_b_percent=30))
    assert found == {"a": "A", "b": "B", "c": "C"}


values = st.dictionaries(st.text("abcdefgh", min_size=1, max_size=3), st.integers(0, 10**9), min_size=1, max_size=30)


@given(values)
def test_grades_partition_the_customers(found_values):
    graded = s.grades(found_values.items())
    assert set(graded) == set(found_values) and set(graded.values()) <= {"A", "B", "C"}


@given(values)
def test_a_holds_at_least_80_percent_of_the_value(found_values):
    graded = s.grades(found_values.items())
    total = sum(found_values.values())
    a_total = sum(v for k, v in found_values.items() if graded[k] == "A")
    assert a_total * 100 >= total * 80
    assert sum(v for k, v in found_values.items() if graded[k] in "AB") * 100 >= total * 95


@given(values, st.data())
def test_a_grade_never_falls_when_only_that_customers_value_rises(found_values, data):
    key = data.draw(st.sampled_from(sorted(found_values)))
    rise = data.draw(st.integers(1, 10**9))
    before = s.grades(found_values.items())[key]
    after = s.grades({**found_values, key: found_values[key] + rise}.items())[key]
    assert "ABC".index(after) <= "ABC".index(before)


# --- value -----------------------------------------------------------------------------------------------------------

def test_value_counts_the_365_days_ending_on_the_as_of_day():
    inside = AS_OF - timedelta(days=364)
    assert one([paid(1, inside, 10000, refunded=2500)]).value_fen == 7500
    assert one([paid(1, inside - timedelta(days=1), 10000)]).value_fen == 0
    assert one([paid(1, inside - timedelta(days=1), 10000)]).lifetime_fen == 10000


def test_money_counts_on_the_shanghai_day_it_was_paid():
    late = datetime(2026, 3, 15, 16, 30, tzinfo=UTC)  # 00:30 on 16 March in Shanghai: inside the window
    row = OrderRow(customer_id=1, placed_at=late, paid_at=late, paid_fen=500, total_fen=500)
    assert one([row]).value_fen == 500
    early = datetime(2026, 3, 15, 15, 30, tzinfo=UTC)  # 23:30 on 15 March: a day too old
    assert one([OrderRow(customer_id=1, placed_at=early, paid_at=early, paid_fen=500, total_fen=500)]).value_fen == 0


def test_a_credit_order_counts_its_total_when_placed_and_nothing_once_cancelled():
    placed = AS_OF - timedelta(days=10)
    credit = OrderRow(customer_id=1, placed_at=at(placed), total_fen=90000, refunded_fen=10000, on_credit=True)
    assert one([credit], kind=s.DEALER).value_fen == 80000
    cancelled = OrderRow(customer_id=1, placed_at=at(placed), total_fen=90000, on_credit=True, cancelled=True)
    standing = one([cancelled], kind=s.DEALER)
    assert standing.value_fen == 0 and standing.orders == 0


def test_unpaid_orders_count_as_orders_but_not_as_value_and_abandoned_ones_not_at_all():
    waiting = OrderRow(customer_id=1, placed_at=at(AS_OF), total_fen=5000)
    abandoned = OrderRow(customer_id=1, placed_at=at(AS_OF), total_fen=5000, cancelled=True)
    standing = one([waiting, abandoned])
    assert (standing.orders, standing.value_fen, standing.last_order) == (1, 0, AS_OF)


def test_orders_after_the_as_of_day_do_not_exist_yet():
    later = paid(1, AS_OF + timedelta(days=1), 10000)
    standing = one([paid(1, AS_OF - timedelta(days=30), 100), later])
    assert (standing.orders, standing.value_fen, standing.last_order) == (1, 100, AS_OF - timedelta(days=30))
    paid_later = paid(1, AS_OF + timedelta(days=1), 10000, placed=AS_OF)  # placed today, paid tomorrow
    assert one([paid_later]).value_fen == 0 and one([paid_later]).orders == 1


# --- segments --------------------------------------------------------------------------------------------------------

def customers_by_value(*fens):
    """Customers 1…n, each with one order paid 10 days before AS_OF for the given fen."""
    rows = [CustomerRow(id=i, key=f"c{i}") for i in range(1, len(fens) + 1)]
    orders = [paid(i, AS_OF - timedelta(days=10), fen) for i, fen in enumerate(fens, start=1) if fen]
    return {st_.key: st_ for st_ in s.standings(rows, orders, AS_OF)}


def test_segments_vip_key_ordinary_follow_the_grades():
    found = customers_by_value(8000, 1500, 500)
    assert [found[k].segment for k in ("c1", "c2", "c3")] == [s.VIP, s.KEY, s.ORDINARY]


def test_dormant_from_the_365th_day_without_an_order():
    assert one([paid(1, AS_OF - timedelta(days=364), 100)]).segment == s.VIP
    assert one([paid(1, AS_OF - timedelta(days=365), 100)]).segment == s.DORMANT
    assert one([]).segment == s.DORMANT
    assert one([paid(1, AS_OF - timedelta(days=30), 100)], rules=Rules(dormant_days=30)).segment == s.DORMANT


# --- warnings --------------------------------------------------------------------------------------------------------

def test_churn_fires_one_day_after_the_usual_gap_plus_the_grace():
    # order days 60 days apart, twice: the usual gap is 60; the grace 30 → fires once more than 90 days passed
    def orders_ending(last: date):
        return [paid(1, last - timedelta(days=120), 100), paid(1, last - timedelta(days=60), 100), paid(1, last, 100)]

    assert s.CHURN not in one(orders_ending(AS_OF - timedelta(days=90))).warnings
    assert s.CHURN in one(orders_ending(AS_OF - timedelta(days=91))).warnings
    assert one(orders_ending(AS_OF - timedelta(days=91))).usual_gap == 60


def test_churn_of_a_one_order_customer_waits_365_days_plus_the_grace():
    assert s.CHURN not in one([paid(1, AS_OF - timedelta(days=395), 100)]).warnings
    assert s.CHURN in one([paid(1, AS_OF - timedelta(days=396), 100)]).warnings
    assert s.CHURN not in one([]).warnings  # never ordered: nothing to lose


def test_the_usual_gap_is_the_median_of_distinct_order_days():
    days = [date(2026, 1, 1), date(2026, 1, 1), date(2026, 1, 11), date(2026, 1, 31), date(2026, 4, 1)]
    assert s.usual_gap(days) == 20  # gaps 10, 20, 60
    assert s.usual_gap(days[:4]) == 15  # gaps 10, 20


def test_sales_progress_warns_a_dealer_under_70_percent_of_last_seasons_same_period():
    last_season = paid(1, date(2026, 1, 10), 10000)  # season 2025/26, before 15 March 2026
    after_that = paid(1, date(2026, 5, 1), 99999)  # last season but after the same day: not compared
    for fen, warned in ((7000, False), (6999, True)):
        this_season = paid(1, date(2026, 9, 1), fen)  # season 2026/27 to date
        standing = one([last_season, after_that, this_season], kind=s.DEALER)
        assert (standing.season_fen, standing.last_season_fen) == (fen, 10000)
        assert (s.SALES_PROGRESS in standing.warnings) is warned, fen
    retail = one([last_season, paid(1, date(2026, 9, 1), 1)], kind=s.RETAIL)
    assert s.SALES_PROGRESS not in retail.warnings  # a dealer's warning
    assert s.SALES_PROGRESS not in one([paid(1, date(2026, 9, 1), 1)], kind=s.DEALER).warnings  # no last season


def test_the_season_turns_on_1_july():
    assert s.season_start(date(2027, 6, 30)) == date(2026, 7, 1)
    assert s.season_start(date(2027, 7, 1)) == date(2027, 7, 1)
    assert s.year_before(date(2028, 2, 29)) == date(2027, 2, 28)
    first_day = one([paid(1, date(2027, 7, 1), 500), paid(1, date(2027, 6, 30), 300)], as_of=date(2027, 7, 1))
    assert (first_day.season_fen, first_day.last_season_fen) == (500, 0)


def test_arrears_and_major_change_come_with_the_customer():
    standing = one([paid(1, AS_OF, 100)], kind=s.DEALER, arrears=True, major_change=True)
    assert standing.warnings == (s.ARREARS, s.MAJOR_CHANGE)
    assert one([paid(1, AS_OF, 100)], kind=s.DEALER).warnings == ()


# --- what the database's sums rest on -------------------------------------------------------------------------------

@given(st.datetimes(min_value=s.UTC_PLUS_8_SINCE.replace(tzinfo=None), max_value=datetime(2200, 1, 1)))
def test_shanghai_keeps_utc_plus_8_since_1992(moment):
    # shop.customers.history reads an order's day on SQLite as its UTC date, or the next from 16:00 UTC
    assert s.local_day(moment.replace(tzinfo=UTC)) == (moment + timedelta(hours=8)).date()


@given(st.lists(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)), min_size=1, max_size=40))
def test_the_usual_gap_of_day_numbers_is_the_median_of_the_gaps(days):
    import statistics

    distinct = sorted(set(days))
    gaps = [(b - a).days for a, b in zip(distinct, distinct[1:], strict=False)]
    assert s.usual_gap(days) == (float(statistics.median(gaps)) if gaps else 365.0)
    assert s.median_gap([d.toordinal() for d in distinct]) == s.usual_gap(days)


def test_a_customer_without_orders_has_no_history_and_the_standing_says_so():
    assert s.summarise([1, 2], [paid(1, AS_OF, 100)], AS_OF) == {1: s.History(
        orders=1, first_order=AS_OF, last_order=AS_OF, usual_gap=365.0, value_fen=100, lifetime_fen=100,
        season_fen=100, last_season_fen=0)}
    judged = s.judge([CustomerRow(id=2, key="c2")], {}, AS_OF)[0]
    assert (judged.orders, judged.first_order, judged.usual_gap, judged.segment) == (0, None, None, s.DORMANT)
