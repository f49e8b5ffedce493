"""API tokens: `Authorization: Bearer …` makes an API call the dealer's. Tokens are stored hashed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import g, request

from shop import audit
from shop.dealers.models import ApiToken, Dealer
from shop.errors import ApiError
from shop.extensions import db

LAST_USED_EVERY = timedelta(minutes=5)  # how often last_used_at is written (not on every call)


def authenticate() -> None:
    """Before every API call: a Bearer token must be a live (not revoked) token, or the call is a 401.

    The token's dealer owns the call (their orders, /me); only an approved one is priced as a dealer: a suspended
    dealer's calls are retail."""
    header = request.headers.get("Authorization", "")
    if not header:
        return
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > 200:
        raise ApiError(401, "unauthorized", "send Authorization: Bearer <token> with a dealer API token")
    found = db.session.execute(
        sa.select(ApiToken).where(ApiToken.token_hash == ApiToken.digest(token))).scalar()
    if found is None or found.revoked_at is not None:
        raise ApiError(401, "unauthorized", "this API token is not valid (wrong or revoked)")
    now = datetime.now(UTC)
    if found.last_used_at is None or now - found.last_used_at > LAST_USED_EVERY:
        found.last_used_at = now
        db.session.commit()
    g.token_owner = found.dealer
    if found.dealer.active:
        g.token_dealer = found.dealer


def required() -> Dealer:
    """The token's dealer (whatever the account's status), for the dealer's own calls (401 without a token)."""
    found = g.get("token_owner")
    if found is None:
        raise ApiError(401, "unauthorized", "this call needs a dealer API token: Authorization: Bearer <token>")
    return found


def issue(dealer: Dealer, label: str, actor: str) -> str:
    """Create a named token for the dealer; the token itself, to show once (the caller commits)."""
    row, token = ApiToken.issue(dealer, label.strip())
    db.session.add(row)
    audit.record(actor, "token_issued", dealer.phone, {}, {"label": row.label, "hint": row.hint})
    return token


def revoke(row: ApiToken, actor: str) -> bool:
    """Revoke a token at once; False if it was revoked already (the caller commits)."""
    if row.revoked_at is not None:
        return False
    row.revoked_at = datetime.now(UTC)
    audit.record(actor, "token_revoked", row.dealer.phone, {"label": row.label, "hint": row.hint}, {"revoked": True})
    return True
