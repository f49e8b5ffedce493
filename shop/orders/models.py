"""Orders: a snapshot of what was bought, at what price, under which rules."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.catalog.models import utcnow
from shop.dbtypes import UTCDateTime
from shop.extensions import db
from shop.orders.states import PENDING_PAYMENT, UNPAID


class Order(db.Model):
    """A customer's order; amounts and names are frozen when it is placed."""

    __tablename__ = "orders"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(32), unique=True)
    status: Mapped[str] = mapped_column(sa.String(20), default=PENDING_PAYMENT, index=True)  # where the goods are
    payment_status: Mapped[str] = mapped_column(sa.String(20), default=UNPAID, index=True)  # where the money is
    lang: Mapped[str] = mapped_column(sa.String(5), default="zh")
    dealer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("dealer.id"), nullable=True, index=True)
    customer_id: Mapped[int] = mapped_column(sa.ForeignKey("customer.id"), index=True)  # 客户档案: whose order
    # Buyer (乙方)
    customer_name: Mapped[str] = mapped_column(sa.String(40))
    phone: Mapped[str] = mapped_column(sa.String(11), index=True)
    province: Mapped[str] = mapped_column(sa.String(20), default="")
    city: Mapped[str] = mapped_column(sa.String(40), default="")
    district: Mapped[str] = mapped_column(sa.String(40), default="")
    address: Mapped[str] = mapped_column(sa.String(200), default="")
    # Shipping and payment
    shipping_method: Mapped[str] = mapped_column(sa.String(10))
    pickup_base: Mapped[str] = mapped_column(sa.String(40), default="")
    payment_method: Mapped[str] = mapped_column(sa.String(20))
    # Amounts in fen, as priced by shop.pricing when the order was placed
    subtotal_fen: Mapped[int] = mapped_column(sa.BigInteger)
    discount_fen: Mapped[int] = mapped_column(sa.BigInteger)
    discount_reason: Mapped[str | None] = mapped_column(sa.String(10), nullable=True)
    goods_total_fen: Mapped[int] = mapped_column(sa.BigInteger)
    shipping_fee_fen: Mapped[int] = mapped_column(sa.BigInteger)
    shipping_collect: Mapped[bool] = mapped_column(default=False)
    total_fen: Mapped[int] = mapped_column(sa.BigInteger)
    plants: Mapped[int] = mapped_column(sa.BigInteger)
    weight_g: Mapped[int] = mapped_column(sa.BigInteger)
    snapshot: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # rules, seller, terms used
    # Life cycle
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    paid_fen: Mapped[int] = mapped_column(sa.BigInteger, default=0)  # money received
    refunded_fen: Mapped[int] = mapped_column(sa.BigInteger, default=0)  # of it, sent back (never above paid_fen)
    dispatch_by: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    dispatched_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    dispatch_base: Mapped[str] = mapped_column(sa.String(40), default="")
    carrier: Mapped[str] = mapped_column(sa.String(40), default="")
    tracking_number: Mapped[str] = mapped_column(sa.String(60), default="")
    quarantine_cert: Mapped[str] = mapped_column(sa.String(60), default="")
    quarantine_cert_id: Mapped[int | None] = mapped_column(sa.ForeignKey("quarantine_certificate.id"), nullable=True,
                                                           index=True)  # number, issue date, vehicle (一车一证)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)  # starts the guarantees
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)  # a credit order: dispatch + terms
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    cancel_reason: Mapped[str] = mapped_column(sa.String(200), default="")
    contract_printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Seasons: outside the destination's window the buyer chose `reserve` or `now` ("" = no choice to make)
    ship_timing: Mapped[str] = mapped_column(sa.String(10), default="")
    season_opens_on: Mapped[date | None] = mapped_column(sa.Date, nullable=True)  # the next window, when placed
    # Stripe Checkout
    stripe_session_id: Mapped[str] = mapped_column(sa.String(255), default="", index=True)
    stripe_session_url: Mapped[str] = mapped_column(sa.String(1000), default="")

    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", order_by="OrderLine.id", cascade="all, delete-orphan"
    )
    payments: Mapped[list[Payment]] = relationship(back_populates="order", order_by="Payment.id")
    refunds: Mapped[list[Refund]] = relationship(back_populates="order", order_by="Refund.id")
    certificate: Mapped[QuarantineCertificate | None] = relationship()


class OrderLine(db.Model):
    """One bought grade with the names and price it had at the time."""

    __tablename__ = "order_line"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("orders.id"), index=True)
    grade_id: Mapped[int | None] = mapped_column(sa.ForeignKey("grade.id", ondelete="SET NULL"), nullable=True)
    sku: Mapped[str] = mapped_column(sa.String(40))
    category: Mapped[str] = mapped_column(sa.String(60))
    variety: Mapped[str] = mapped_column(sa.String(80))
    variety_en: Mapped[str] = mapped_column(sa.String(160))
    grade: Mapped[str] = mapped_column(sa.String(80))
    grade_en: Mapped[str] = mapped_column(sa.String(160))
    spec: Mapped[str] = mapped_column(sa.String(300))
    unit_price_fen: Mapped[int] = mapped_column(sa.BigInteger)
    quantity: Mapped[int] = mapped_column(sa.BigInteger)
    amount_fen: Mapped[int] = mapped_column(sa.BigInteger)
    weight_g: Mapped[int] = mapped_column(sa.BigInteger)
    order: Mapped[Order] = relationship(back_populates="lines")
    allocations: Mapped[list[Allocation]] = relationship(cascade="all, delete-orphan")


class Allocation(db.Model):
    """Stock held for an order line at one base; released if the order is cancelled."""

    __tablename__ = "allocation"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_line_id: Mapped[int] = mapped_column(sa.ForeignKey("order_line.id"), index=True)
    grade_id: Mapped[int] = mapped_column(sa.ForeignKey("grade.id", ondelete="CASCADE"))
    base_id: Mapped[int] = mapped_column(sa.ForeignKey("base.id"))
    quantity: Mapped[int] = mapped_column(sa.BigInteger)


class Payment(db.Model):
    """Money received for an order: a Stripe payment or a confirmed bank transfer."""

    __tablename__ = "payment"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("orders.id"), unique=True)  # paid once
    method: Mapped[str] = mapped_column(sa.String(20))
    amount_fen: Mapped[int] = mapped_column(sa.BigInteger)
    currency: Mapped[str] = mapped_column(sa.String(3), default="cny")
    reference: Mapped[str] = mapped_column(sa.String(255), default="")
    payment_intent: Mapped[str] = mapped_column(sa.String(255), default="")  # Stripe's pi_…, to refund it
    received_on: Mapped[str] = mapped_column(sa.String(10), default="")  # bank transfer date, YYYY-MM-DD
    confirmed_by: Mapped[str] = mapped_column(sa.String(60), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    order: Mapped[Order] = relationship(back_populates="payments")


class Refund(db.Model):
    """Money sent back to the buyer: through Stripe's Refund API, or by bank with its reference."""

    __tablename__ = "refund"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("orders.id"), index=True)
    method: Mapped[str] = mapped_column(sa.String(20))  # stripe | bank_transfer
    amount_fen: Mapped[int] = mapped_column(sa.BigInteger)
    reason: Mapped[str] = mapped_column(sa.String(200))
    idempotency_key: Mapped[str] = mapped_column(sa.String(120), unique=True)
    reference: Mapped[str] = mapped_column(sa.String(255), default="")  # Stripe's re_…, or the bank's reference
    status: Mapped[str] = mapped_column(sa.String(20), default="succeeded")  # as Stripe says: succeeded | pending
    actor: Mapped[str] = mapped_column(sa.String(60))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    order: Mapped[Order] = relationship(back_populates="refunds")


class StripeEvent(db.Model):
    """A Stripe webhook event already handled (idempotency by event id)."""

    __tablename__ = "stripe_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(sa.String(255), unique=True)
    type: Mapped[str] = mapped_column(sa.String(80))
    order_number: Mapped[str] = mapped_column(sa.String(32), default="")
    outcome: Mapped[str] = mapped_column(sa.String(40), default="")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PaymentMismatch(db.Model):
    """A payment that could not be applied (wrong amount or currency); staff look at it."""

    __tablename__ = "payment_mismatch"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int | None] = mapped_column(sa.ForeignKey("orders.id"), nullable=True, index=True)
    source: Mapped[str] = mapped_column(sa.String(40))
    kind: Mapped[str] = mapped_column(sa.String(40))
    detail: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    order: Mapped[Order | None] = relationship()


from shop.quarantine.models import QuarantineCertificate  # noqa: E402  (the class Order.certificate names)
