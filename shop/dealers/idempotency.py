"""Idempotency-Key on POST /api/v1/orders: the same key and body within 24 h return the same order.

The key is claimed in a transaction of its own before the order is placed, so concurrent retries with one key
find the claim (a unique constraint decides who owns it), wait for the owner's order and return it.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from shop.dealers.models import IdempotencyKey
from shop.extensions import db
from shop.orders.models import Order

LIFETIME = timedelta(hours=24)
ABANDONED = timedelta(minutes=1)  # a claim with no order after this: its request died; the key is free again
WAIT_S = 10.0  # how long a concurrent retry waits for the first request's order
MAX_KEY = 255


class Conflict(Exception):
    """The key was used with another body (HTTP 422 idempotency_conflict)."""


class InProgress(Exception):
    """The first request with this key is still placing its order (HTTP 409)."""


@dataclass
class Outcome:
    """Either the order placed before with this key (a replay), or the claim this request now owns."""

    order: Order | None = None
    claim: IdempotencyKey | None = None


def digest(body: dict) -> str:
    """The body in a canonical form, hashed: the same JSON object gives the same digest whatever its key order."""
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def begin(scope: str, key: str, body_digest: str, now: datetime | None = None) -> Outcome:
    """Claim the key for this request, or find the order a request with the same key and body placed."""
    deadline = time.monotonic() + WAIT_S
    while True:
        moment = now or datetime.now(UTC)
        row = db.session.execute(sa.select(IdempotencyKey).where(
            IdempotencyKey.scope == scope, IdempotencyKey.key == key)).scalar()
        if row is not None and (row.created_at < moment - LIFETIME
                                or (row.order_id is None and row.created_at < moment - ABANDONED)):
            db.session.delete(row)  # a key is remembered for 24 h, as Stripe does
            db.session.commit()
            row = None
        if row is None:
            claim = IdempotencyKey(scope=scope, key=key, body_hash=body_digest, created_at=moment)
            db.session.add(claim)
            try:
                db.session.commit()
            except IntegrityError:  # a concurrent request claimed it first: look again
                db.session.rollback()
                continue
            return Outcome(claim=claim)
        if row.body_hash != body_digest:
            raise Conflict(key)
        if row.order_id is not None:
            return Outcome(order=db.session.get(Order, row.order_id))
        if time.monotonic() > deadline:
            raise InProgress(key)
        db.session.rollback()  # end the read so the next one sees the owner's commit
        time.sleep(0.05)


def finish(claim: IdempotencyKey, order: Order) -> None:
    """Tie the claimed key to the order placed (in the order's own transaction)."""
    db.session.execute(sa.update(IdempotencyKey).where(IdempotencyKey.id == claim.id).values(order_id=order.id))


def abandon(claim: IdempotencyKey) -> None:
    """The order was refused: free the key, so a corrected retry may use it (the caller has rolled back)."""
    db.session.execute(sa.delete(IdempotencyKey).where(IdempotencyKey.id == claim.id,
                                                       IdempotencyKey.order_id.is_(None)))
    db.session.commit()
