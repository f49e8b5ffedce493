"""The dispatch windows of ship_windows.csv at their boundaries, and what reserve and now do (pure: days passed in)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from season_files import REAL_WINDOWS

from shop.pricing import Rules
from shop.seasons import guarantee, windows, words
from shop.seasons.datafile import load_windows
from shop.seasons.windows import NOW, RESERVE, ShipWindow


@pytest.fixture(scope="module")
def table():
    return load_windows(REAL_WINDOWS)


def on(table, province: str, day: str) -> ShipWindow:
    return table.on(province, date.fromisoformat(day))


# (province, day, open, opens_on, closes_on): the day before opening, opening day, closing day, the day after.
BOUNDARIES = [
    # North-east: Heilongjiang, spring only (04-15..05-15); after it closes the next opening is next spring.
    ("黑龙江省", "2027-04-14", False, "2027-04-15", "2027-05-15"),
    ("黑龙江省", "2027-04-15", True, None, "2027-05-15"),
    ("黑龙江省", "2027-05-15", True, None, "2027-05-15"),
    ("黑龙江省", "2027-05-16", False, "2028-04-15", "2028-05-15"),
    ("黑龙江省", "2027-10-25", False, "2028-04-15", "2028-05-15"),  # no autumn window in the far north
    # Shandong: spring 03-01..04-20 and autumn 10-20..11-30.
    ("山东省", "2027-02-28", False, "2027-03-01", "2027-04-20"),
    ("山东省", "2028-02-29", False, "2028-03-01", "2028-04-20"),  # a leap day is outside too
    ("山东省", "2027-03-01", True, None, "2027-04-20"),
    ("山东省", "2027-04-20", True, None, "2027-04-20"),
    ("山东省", "2027-04-21", False, "2027-10-20", "2027-11-30"),
    ("山东省", "2027-10-19", False, "2027-10-20", "2027-11-30"),
    ("山东省", "2027-10-20", True, None, "2027-11-30"),
    ("山东省", "2027-11-30", True, None, "2027-11-30"),
    ("山东省", "2027-12-01", False, "2028-03-01", "2028-04-20"),
    # South China: Guangdong's winter window 12-01..02-28 runs across the new year.
    ("广东省", "2026-11-30", False, "2026-12-01", "2027-02-28"),
    ("广东省", "2026-12-01", True, None, "2027-02-28"),
    ("广东省", "2026-12-31", True, None, "2027-02-28"),
    ("广东省", "2027-01-01", True, None, "2027-02-28"),
    ("广东省", "2027-02-28", True, None, "2027-02-28"),
    ("广东省", "2027-03-01", False, "2027-12-01", "2028-02-28"),
    ("广东省", "2027-07-15", False, "2027-12-01", "2028-02-28"),  # summer: it cooks
]


@pytest.mark.parametrize(("province", "day", "is_open", "opens_on", "closes_on"), BOUNDARIES,
                         ids=[f"{p} {d}" for p, d, *_ in BOUNDARIES])
def test_window_boundaries(table, province, day, is_open, opens_on, closes_on):
    window = on(table, province, day)
    assert window.document() == {"open": is_open, "opens_on": opens_on, "closes_on": closes_on}


def test_a_window_across_the_new_year_is_written_with_its_opening_after_its_closing(table):
    [winter] = table.get("广东省").windows
    assert winter.wraps and (winter.opens, winter.closes) == ((12, 1), (2, 28))
    assert winter.around(date(2027, 1, 10)) == (date(2026, 12, 1), date(2027, 2, 28))
    assert winter.around(date(2026, 12, 10)) == (date(2026, 12, 1), date(2027, 2, 28))
    assert words.span(winter) == "12月1日至次年2月28日"
    assert words.span(winter, "en") == "1 Dec – 28 Feb next year"
    assert not any(w.wraps for w in table.get("山东省").windows)


def test_the_real_file_has_every_province_with_a_source_and_the_far_north_only_in_spring(table):
    from shop.shipping import PROVINCES

    rows = table.rows()
    assert [row.province for row in rows] == list(PROVINCES) and len(rows) == 34
    assert all(len(row.source) > 10 for row in rows)
    for far_north in ("黑龙江省", "吉林省", "内蒙古自治区", "新疆维吾尔自治区"):
        assert [w.season for w in table.get(far_north).windows] == ["spring"], far_north
    assert {row.province for row in rows if any(w.wraps for w in row.windows)} >= {"广东省", "海南省", "云南省"}
    assert words.windows_text(table.get("山东省").windows) == "春季3月1日至4月20日；秋冬季10月20日至11月30日"


def test_a_destination_needs_a_window():
    with pytest.raises(ValueError):
        windows.window_on((), date(2027, 1, 1))


# --- the buyer's choice ----------------------------------------------------------------------------------------------

CLOSED = ShipWindow(False, date(2027, 3, 1), date(2027, 4, 20))
OPEN = ShipWindow(True, None, date(2027, 4, 20))


def test_in_season_there_is_no_choice_and_outside_it_reserve_is_the_default():
    assert windows.choose(OPEN, "now") == ("", None)
    assert windows.choose(CLOSED, "") == (RESERVE, date(2027, 3, 1))
    assert windows.choose(CLOSED, RESERVE) == (RESERVE, date(2027, 3, 1))
    assert windows.choose(CLOSED, NOW) == (NOW, date(2027, 3, 1))
    assert windows.choose(windows.ALWAYS_OPEN, NOW) == ("", None)  # pickup


def deadline(timing: str, opens_on: date | None, paid_at: datetime, rules: Rules = Rules()) -> datetime:
    """What payments.service computes: the rules' deadline from the start of the dispatch period."""
    return rules.dispatch_deadline(windows.dispatch_from(timing, opens_on, paid_at))


def test_reserve_is_due_the_rules_days_after_the_window_opens_in_china():
    paid = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    opening_in_china = datetime(2027, 2, 28, 16, 0, tzinfo=UTC)  # 2027-03-01 00:00 Asia/Shanghai
    assert windows.start_of(date(2027, 3, 1)) == opening_in_china
    assert deadline(RESERVE, date(2027, 3, 1), paid) == opening_in_china + timedelta(days=Rules().dispatch_days)
    assert deadline(RESERVE, date(2027, 3, 1), paid, Rules(dispatch_days=3)) == opening_in_china + timedelta(days=3)


def test_reserve_paid_after_the_opening_is_due_the_rules_days_after_payment():
    paid = datetime(2027, 3, 5, 2, 30, tzinfo=UTC)
    assert deadline(RESERVE, date(2027, 3, 1), paid) == paid + timedelta(days=Rules().dispatch_days)


def test_now_and_in_season_are_due_the_rules_days_after_payment():
    paid = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    assert deadline(NOW, date(2027, 3, 1), paid) == paid + timedelta(days=Rules().dispatch_days)
    assert deadline("", None, paid) == paid + timedelta(days=Rules().dispatch_days)


def test_china_day_is_the_calendar_day_in_shanghai():
    assert windows.china_day(datetime(2026, 12, 31, 16, 0, tzinfo=UTC)) == date(2027, 1, 1)
    assert windows.china_day(datetime(2026, 12, 31, 15, 59, tzinfo=UTC)) == date(2026, 12, 31)


# --- what "now" costs: the survival guarantee's exclusion ------------------------------------------------------------


def test_a_survival_claim_for_frost_or_heat_on_an_order_shipped_now_is_refused_with_the_contracts_words():
    for damage in (guarantee.FROST, guarantee.HEAT):
        refusal = guarantee.survival_claim_refusal(NOW, damage)
        assert refusal is not None and refusal.code == "out_of_season"
        assert refusal.zh == guarantee.OUT_OF_SEASON and "冻害或热害" in refusal.zh
        assert "frost or heat damage" in refusal.en
    assert guarantee.survival_claim_refusal(NOW, "drought") is None  # other causes: the claims issue decides
    assert guarantee.survival_claim_refusal(RESERVE, guarantee.FROST) is None
    assert guarantee.survival_claim_refusal("", guarantee.HEAT) is None
    assert not guarantee.covers_weather_damage(NOW) and guarantee.covers_weather_damage(RESERVE)
