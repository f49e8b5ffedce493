"""The request's buyer: the dealer of a valid API token (shop.dealers.tokens sets it), or of the web session."""

from __future__ import annotations

from flask import g, session

from shop.dealers.context import RETAIL, BuyerContext
from shop.dealers.models import Dealer
from shop.extensions import db

SESSION_KEY = "dealer_id"


def dealer() -> Dealer | None:
    """The dealer signed in to the web shop in this browser (any status), or None. Web pages only: the JSON
    API is not authenticated by cookies (it has no CSRF protection), only by a token."""
    if "dealer" not in g:
        found = None
        if isinstance(session.get(SESSION_KEY), int):
            found = db.session.get(Dealer, session[SESSION_KEY])
        g.dealer = found
    return g.dealer


def context() -> BuyerContext:
    """Pricing's view of this web request's buyer: a dealer's context only for an approved account."""
    return BuyerContext.of(dealer())


def api_context() -> BuyerContext:
    """Pricing's view of this API call's buyer: the token's dealer (tokens are only accepted for approved ones)."""
    return BuyerContext.of(g.get("token_dealer"))


def log_in(found: Dealer) -> None:
    """Remember the dealer in this browser's session (the cart and the orders it placed stay)."""
    session[SESSION_KEY] = found.id
    session.permanent = True
    g.pop("dealer", None)


def log_out() -> None:
    """Forget the dealer in this browser."""
    session.pop(SESSION_KEY, None)
    g.pop("dealer", None)


__all__ = ["RETAIL", "api_context", "context", "dealer", "log_in", "log_out"]
