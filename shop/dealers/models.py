"""Dealer accounts (代理商), their API tokens, and the idempotency keys of their orders."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from shop.catalog.models import utcnow
from shop.credit.ledger import DEFAULT_TERMS_DAYS
from shop.dbtypes import UTCDateTime
from shop.extensions import db

PENDING, APPROVED, REJECTED, SUSPENDED = "pending", "approved", "rejected", "suspended"
STATUSES = (PENDING, APPROVED, REJECTED, SUSPENDED)
STATUS_LABELS = {PENDING: ("待审核", "Awaiting approval"), APPROVED: ("已通过", "Approved"),
                 REJECTED: ("未通过", "Rejected"), SUSPENDED: ("已暂停", "Suspended")}
TOKEN_PREFIX = "mmd_"  # noqa: S105 - not a secret: marks a dealer API token


class Dealer(db.Model):
    """A dealer's account: applied on the site (or created by an operator), approved by staff."""

    __tablename__ = "dealer"
    id: Mapped[int] = mapped_column(primary_key=True)
    company: Mapped[str] = mapped_column(sa.String(100))
    contact_name: Mapped[str] = mapped_column(sa.String(40))
    phone: Mapped[str] = mapped_column(sa.String(11), unique=True)  # the login
    region: Mapped[str] = mapped_column(sa.String(60), default="")
    credit_code: Mapped[str] = mapped_column(sa.String(18), default="")  # 统一社会信用代码, check digit verified
    password_hash: Mapped[str] = mapped_column(sa.String(255), default="")  # empty: no web login yet
    status: Mapped[str] = mapped_column(sa.String(20), default=PENDING, index=True)
    decision_reason: Mapped[str] = mapped_column(sa.String(200), default="")
    decided_by: Mapped[str] = mapped_column(sa.String(60), default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Credit (账期): set by an admin; 0 = no credit. credit_version is bumped to take the dealer's row lock.
    credit_limit_fen: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    credit_terms_days: Mapped[int] = mapped_column(default=DEFAULT_TERMS_DAYS)
    credit_version: Mapped[int] = mapped_column(default=0)
    tokens: Mapped[list[ApiToken]] = relationship(back_populates="dealer", order_by="ApiToken.id")

    @property
    def active(self) -> bool:
        """Only an approved dealer gets the dealer price and uses the API."""
        return self.status == APPROVED

    def set_password(self, password: str) -> None:
        """Store a salted hash of the password."""
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        """True when the password matches (never for an account without one)."""
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def status_label(self, lang: str = "zh") -> str:
        """The account's status in words."""
        names = STATUS_LABELS.get(self.status, (self.status, self.status))
        return names[1] if lang == "en" else names[0]


class ApiToken(db.Model):
    """A named API token of a dealer; only its SHA-256 is stored, the token is shown once."""

    __tablename__ = "api_token"
    id: Mapped[int] = mapped_column(primary_key=True)
    dealer_id: Mapped[int] = mapped_column(sa.ForeignKey("dealer.id"), index=True)
    label: Mapped[str] = mapped_column(sa.String(60), default="")
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    hint: Mapped[str] = mapped_column(sa.String(16))  # the first characters, to tell tokens apart
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    dealer: Mapped[Dealer] = relationship(back_populates="tokens")

    @staticmethod
    def digest(token: str) -> str:
        """How a token is stored and looked up."""
        return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()

    @classmethod
    def issue(cls, dealer: Dealer, label: str = "") -> tuple[ApiToken, str]:
        """A new token for the dealer: (the row to add, the token to show once)."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        return cls(dealer_id=dealer.id, label=label[:60], token_hash=cls.digest(token), hint=token[:10]), token


class IdempotencyKey(db.Model):
    """An Idempotency-Key already used on POST /api/v1/orders: a retry returns the same order."""

    __tablename__ = "idempotency_key"
    __table_args__ = (sa.UniqueConstraint("scope", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(sa.String(40))  # "dealer:12" or "phone:138…": whose key it is
    key: Mapped[str] = mapped_column(sa.String(255))
    body_hash: Mapped[str] = mapped_column(sa.String(64))
    order_id: Mapped[int | None] = mapped_column(sa.ForeignKey("orders.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
