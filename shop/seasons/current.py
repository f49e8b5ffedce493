"""The windows of the running app: the table loaded at start-up, today in China, and what pages show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask import current_app

from shop.seasons import guarantee, words
from shop.seasons.datafile import WindowTable
from shop.seasons.windows import ALWAYS_OPEN, ShipWindow, china_day, choose


def table() -> WindowTable:
    """ship_windows.csv as loaded at start-up (SHIP_WINDOWS_FILE)."""
    return current_app.extensions["ship_windows"]


def window_for(province: str | None, method: str, now: datetime | None = None) -> ShipWindow | None:
    """The destination's window today: always open for pickup, None for a province not in the table."""
    if method == "pickup":
        return ALWAYS_OPEN
    return table().on(province or "", china_day(now or datetime.now(UTC)))


def timing_for(method: str, province: str | None, requested: str,
               now: datetime | None = None) -> tuple[str, date | None]:
    """(ship_timing, season_opens_on) an order placed now stores."""
    window = window_for(province, method, now)
    return ("", None) if window is None else choose(window, requested)


def needs_choice(method: str, province: str | None, requested: str, now: datetime | None = None) -> bool:
    """True when the destination is out of season and the buyer has not said reserve or now (the web asks)."""
    window = window_for(province, method, now)
    return window is not None and not window.open and not requested


def province_name(province: str, lang: str = "zh") -> str:
    """The province as the file names it in lang (English from province_en)."""
    row = table().get(province)
    return row.province_en if row and lang == "en" else province


@dataclass(frozen=True)
class Season:
    """What the cart and checkout say about the destination's window, in the page's language."""

    province: str  # the name in the page's language
    pickup: bool
    window: ShipWindow
    windows: str  # 春季3月1日至4月20日；秋冬季10月20日至11月30日
    opens_on: str  # the next opening in words ("" while open)
    closes_on: str
    clause: str  # the contract's out-of-season clause, for "ship now"


def season(province: str | None, method: str | None, lang: str = "zh") -> Season | None:
    """The destination's window in words (pickup: always open), or None while no known province is chosen."""
    method = method or "post"
    window = window_for(province, method)
    row = table().get(province or "")
    if window is None or (row is None and method != "pickup"):
        return None
    name = (row.province_en if lang == "en" else row.province) if row else ""
    return Season(province=name, pickup=method == "pickup", window=window,
                  windows=words.windows_text(row.windows, lang) if row else "",
                  opens_on=words.day_text(window.opens_on, lang), closes_on=words.day_text(window.closes_on, lang),
                  clause=guarantee.OUT_OF_SEASON_EN if lang == "en" else guarantee.OUT_OF_SEASON)
