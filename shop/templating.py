"""What every template can use: the language, names in it, and the shop's identity."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app, session

from shop import i18n


def context() -> dict:
    """Template globals for each request."""
    cart = session.get("cart") or {}
    return {
        "lang": i18n.current(),
        "pick": i18n.pick,
        "url_map_endpoints": current_app.view_functions,
        "cart_count": len(cart) if isinstance(cart, dict) else 0,
        "bulk_min": current_app.config["BULK_MIN_PLANTS"],
        "free_post": 100000,
        "seller_name": current_app.config["SELLER_NAME_EN" if i18n.current() == "en" else "SELLER_NAME"],
    }


SHANGHAI = ZoneInfo("Asia/Shanghai")


def cn_time(moment: datetime | None) -> str:
    """A stored UTC time as China shows it: 2026-11-29 15:30."""
    if moment is None:
        return ""
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def cn_date(moment: datetime | None) -> str:
    """The date in China of a stored UTC time."""
    return cn_time(moment)[:10]
