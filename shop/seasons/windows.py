"""Dispatch windows (SPEC "Seasons"): for a destination and a day, in the window or not, and when the next one opens.

Pure: no flask. A window is a span of month-days that comes back every year; one whose opening is after its
closing (12-01..02-28) runs across the new year. Both ends are days in the window. Days are China's calendar days.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
SPRING, AUTUMN = "spring", "autumn"  # the file's columns; south China's winter window is its autumn (秋冬) one
SEASONS = (SPRING, AUTUMN)
# What the buyer chose for an order placed outside the window (`Order.ship_timing`; "" = no choice to make).
RESERVE, NOW = "reserve", "now"
TIMINGS = (RESERVE, NOW)
QUEUE_LEAD_DAYS = 7  # a reserved order joins the desk's dispatch queue in the week before its window opens

MonthDay = tuple[int, int]


@dataclass(frozen=True)
class Window:
    """One yearly window, both ends included: opens (month, day) to closes (month, day)."""

    season: str
    opens: MonthDay
    closes: MonthDay

    @property
    def wraps(self) -> bool:
        """True when the window runs across the new year (it closes in the year after it opens)."""
        return self.opens > self.closes

    def contains(self, day: date) -> bool:
        """True when day is in the window (its opening and closing days included)."""
        md = (day.month, day.day)
        if self.wraps:
            return md >= self.opens or md <= self.closes
        return self.opens <= md <= self.closes

    def around(self, day: date) -> tuple[date, date]:
        """(opening, closing) of the occurrence that holds day; day must be in the window."""
        if not self.wraps:
            return date(day.year, *self.opens), date(day.year, *self.closes)
        if (day.month, day.day) >= self.opens:
            return date(day.year, *self.opens), date(day.year + 1, *self.closes)
        return date(day.year - 1, *self.opens), date(day.year, *self.closes)

    def next_after(self, day: date) -> tuple[date, date]:
        """(opening, closing) of the first occurrence that opens after day."""
        opening = date(day.year, *self.opens)
        if opening <= day:
            opening = date(day.year + 1, *self.opens)
        return opening, date(opening.year + (1 if self.wraps else 0), *self.closes)


@dataclass(frozen=True)
class ShipWindow:
    """The answer for one destination on one day: open now (until closes_on), or closed until opens_on."""

    open: bool
    opens_on: date | None  # the next opening while closed; None while open
    closes_on: date | None  # the last day of the current window (open) or of the next one (closed)

    def document(self) -> dict:
        """As the API shows it: {"open", "opens_on", "closes_on"} with ISO dates or null."""
        return {"open": self.open, "opens_on": _iso(self.opens_on), "closes_on": _iso(self.closes_on)}


ALWAYS_OPEN = ShipWindow(True, None, None)  # pickup at a base: no season to wait for


def window_on(windows: Sequence[Window], day: date) -> ShipWindow:
    """In one of the windows on day (until when), or the next opening and its closing."""
    if not windows:
        raise ValueError("a destination needs at least one window")
    for window in windows:
        if window.contains(day):
            return ShipWindow(True, None, window.around(day)[1])
    opening, closing = min(window.next_after(day) for window in windows)
    return ShipWindow(False, opening, closing)


def choose(window: ShipWindow, requested: str) -> tuple[str, date | None]:
    """(ship_timing, season_opens_on) for an order: no choice inside the window; outside it the buyer's (or
    `reserve`, the default) with the opening it waits for."""
    if window.open:
        return "", None
    return (requested or RESERVE), window.opens_on


def start_of(day: date) -> datetime:
    """00:00 in China on day, as an aware UTC moment."""
    return datetime.combine(day, time(), SHANGHAI).astimezone(UTC)


def dispatch_from(timing: str, opens_on: date | None, paid_at: datetime) -> datetime:
    """When the dispatch period starts: the payment, or for a reserved order its window's opening if that is later."""
    if timing != RESERVE or opens_on is None:
        return paid_at
    return max(paid_at, start_of(opens_on))


def held_until(timing: str, opens_on: date | None) -> date | None:
    """The first day a reserved order may leave (the week before its window opens), or None if it is not held."""
    if timing != RESERVE or opens_on is None:
        return None
    return opens_on - timedelta(days=QUEUE_LEAD_DAYS)


def china_day(moment: datetime) -> date:
    """The calendar day in China at moment (a naive moment is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(SHANGHAI).date()


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
