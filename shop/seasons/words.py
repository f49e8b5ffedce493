"""Windows and days in words, in 中文 or English (pure): 3月1日至4月20日 / 1 Mar – 20 Apr."""

from __future__ import annotations

from datetime import date

from shop.seasons.windows import SPRING, Window

MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
SEASON_NAMES = {SPRING: ("春季", "spring"), "autumn": ("秋冬季", "autumn–winter")}


def month_day(md: tuple[int, int], lang: str = "zh") -> str:
    """(3, 1) → 3月1日 / 1 Mar."""
    month, day = md
    return f"{day} {MONTHS_EN[month - 1]}" if lang == "en" else f"{month}月{day}日"


def day_text(day: date | None, lang: str = "zh") -> str:
    """2027-03-01 → 2027年3月1日 / 1 Mar 2027; None → ""."""
    if day is None:
        return ""
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}" if lang == "en" else f"{day.year}年{day.month}月{day.day}日"


def span(window: Window, lang: str = "zh") -> str:
    """The window's days: 3月1日至4月20日, across the new year 12月1日至次年2月28日 (1 Dec – 28 Feb next year)."""
    opens, closes = month_day(window.opens, lang), month_day(window.closes, lang)
    if lang == "en":
        return f"{opens} – {closes}" + (" next year" if window.wraps else "")
    return f"{opens}至{'次年' if window.wraps else ''}{closes}"


def windows_text(windows: tuple[Window, ...], lang: str = "zh") -> str:
    """Every window of a province with its season: 春季3月1日至4月20日；秋冬季10月20日至11月30日."""
    if lang == "en":
        return "; ".join(f"{SEASON_NAMES[w.season][1]} {span(w, lang)}" for w in windows)
    return "；".join(f"{SEASON_NAMES[w.season][0]}{span(w, lang)}" for w in windows)
