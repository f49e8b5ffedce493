"""What every template can use: the language, names in it, the shop's identity and the rules the ad states."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app, session

from shop import i18n, pricing
from shop.orders import service


def context() -> dict:
    """Template globals for each request."""
    cart = session.get("cart") or {}
    rules = service.rules()
    return {
        "lang": i18n.current(),
        "pick": i18n.pick,
        "url_map_endpoints": current_app.view_functions,
        "cart_count": len(cart) if isinstance(cart, dict) else 0,
        "rules": rules,  # every figure of the ad (起邮, 免邮, the discount, the dispatch period) comes from here
        "bulk_min": rules.bulk_min_plants,
        "free_post": rules.free_post_fen,
        "post_min": rules.post_min_fen,
        "yuan_short": yuan_short,
        "seller_name": current_app.config["SELLER_NAME_EN" if i18n.current() == "en" else "SELLER_NAME"],
    }


def yuan_short(fen: int, in_words: bool = False) -> str:
    """A round amount as the ad says it, in the page's language (pricing.ad_yuan: ¥ in English, 元 in Chinese)."""
    return pricing.ad_yuan(fen, i18n.current(), in_words=in_words)


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


def day_text(day) -> str:
    """A calendar day in the page's language: 2027年3月1日 / 1 Mar 2027."""
    from shop.seasons.words import day_text as in_words

    return in_words(day, i18n.current())
