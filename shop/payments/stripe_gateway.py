"""The one door to Stripe: Checkout Sessions out, signed webhook events in. No Flask, no database."""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import stripe

log = logging.getLogger(__name__)

STRIPE_LOCALES = {"zh": "zh", "en": "en"}


@dataclass(frozen=True)
class StripeSettings:
    """What the gateway needs to talk to Stripe; api_base points it at a stand-in in tests."""

    secret_key: str
    webhook_secret: str
    api_base: str | None = None
    payment_method_types: tuple[str, ...] = ("card", "alipay", "wechat_pay")
    timeout_s: float = 10.0
    max_network_retries: int = 1

    @property
    def configured(self) -> bool:
        """True when a secret key is set, so online payment can be offered."""
        return bool(self.secret_key)

    @classmethod
    def from_config(cls, config: Mapping) -> StripeSettings:
        """Read the STRIPE_* settings from the app's config mapping."""
        types = str(config.get("STRIPE_PAYMENT_METHOD_TYPES") or "card")
        return cls(
            secret_key=str(config.get("STRIPE_SECRET_KEY") or ""),
            webhook_secret=str(config.get("STRIPE_WEBHOOK_SECRET") or ""),
            api_base=str(config.get("STRIPE_API_BASE") or "") or None,
            payment_method_types=tuple(t.strip() for t in types.split(",") if t.strip()),
        )


@dataclass(frozen=True)
class CheckoutItem:
    """One line on the Stripe payment page, quantity 1, in fen."""

    name: str
    amount_fen: int

    def __post_init__(self) -> None:
        if not self.name:
            raise ValueError("a checkout item needs a name")
        if isinstance(self.amount_fen, bool) or not isinstance(self.amount_fen, int) or self.amount_fen < 1:
            raise ValueError(f"a checkout item's amount must be a whole number of fen ≥ 1, not {self.amount_fen!r}")


@dataclass(frozen=True)
class CheckoutSession:
    """The Stripe Checkout Session the customer is sent to."""

    id: str
    url: str


class GatewayUnavailable(Exception):
    """Stripe could not be reached or refused us; the order stays payable."""


class BadSignature(Exception):
    """A webhook body whose Stripe-Signature does not verify (wrong, stale, tampered or missing)."""


@functools.lru_cache(maxsize=8)
def _client(settings: StripeSettings) -> stripe.StripeClient:
    """A Stripe client for these settings, kept so its HTTP connections are reused."""
    base = {"api": settings.api_base.rstrip("/")} if settings.api_base else None
    return stripe.StripeClient(
        settings.secret_key,
        base_addresses=base,
        max_network_retries=settings.max_network_retries,
        http_client=stripe.RequestsClient(timeout=settings.timeout_s),
    )


def _call(settings: StripeSettings, what: str, fn, *args, **kwargs):
    """Run one SDK call, turning every Stripe failure into GatewayUnavailable."""
    if not settings.configured:
        raise GatewayUnavailable("Stripe is not configured (STRIPE_SECRET_KEY is empty)")
    try:
        return fn(_client(settings), *args, **kwargs)
    except stripe.StripeError as exc:
        status = getattr(exc, "http_status", None)
        log.warning("Stripe %s failed (%s, HTTP %s): %s", what, type(exc).__name__, status, exc.user_message or exc)
        raise GatewayUnavailable(f"Stripe {what} failed: {exc.user_message or type(exc).__name__}") from exc


def create_checkout_session(
    settings: StripeSettings,
    *,
    order_number: str,
    items: list[CheckoutItem],
    total_fen: int,
    success_url: str,
    cancel_url: str,
    locale: str = "zh",
    expires_at: datetime | None = None,
    idempotency_key: str | None = None,
) -> CheckoutSession:
    """Open a Stripe Checkout Session in CNY for an order whose items add up to total_fen."""
    if not items:
        raise ValueError("a checkout session needs at least one item")
    if sum(item.amount_fen for item in items) != total_fen:
        raise ValueError(f"checkout items add up to {sum(i.amount_fen for i in items)} fen, not {total_fen}")
    types = list(settings.payment_method_types)
    params: dict = {
        "mode": "payment",
        "currency": "cny",
        "client_reference_id": order_number,
        "metadata": {"order_number": order_number},
        "payment_intent_data": {"metadata": {"order_number": order_number}},
        "line_items": [
            {"quantity": 1, "price_data": {"currency": "cny", "unit_amount": item.amount_fen,
                                           "product_data": {"name": item.name}}}
            for item in items
        ],
        "payment_method_types": types,
        "success_url": success_url,
        "cancel_url": cancel_url,
        "locale": STRIPE_LOCALES.get(locale.replace("-", "_").split("_")[0].lower(), "auto"),
    }
    if "wechat_pay" in types:
        params["payment_method_options"] = {"wechat_pay": {"client": "web"}}
    if expires_at is not None:
        params["expires_at"] = int(expires_at.timestamp())
    if idempotency_key is None:
        # Stripe refuses a reused key with different parameters, so the key covers all of them.
        digest = hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()[:24]
        idempotency_key = f"checkout-{order_number}-{digest}"
    session = _call(settings, "checkout", lambda c: c.v1.checkout.sessions.create(
        params=params, options={"idempotency_key": idempotency_key}))
    return CheckoutSession(id=session.id, url=session.url)


def retrieve_checkout_session(settings: StripeSettings, session_id: str) -> dict:
    """The Checkout Session as Stripe has it now, as a plain dict."""
    session = _call(settings, "session lookup", lambda c: c.v1.checkout.sessions.retrieve(session_id))
    return json.loads(session.last_response.body)


def parse_event(settings: StripeSettings, payload: bytes, signature_header: str | None,
                tolerance_s: int = 300) -> dict:
    """Verify a webhook's Stripe-Signature over the raw body and return the event as a plain dict."""
    if not settings.webhook_secret:
        raise BadSignature("no webhook secret is configured, so no event can be trusted")
    if not signature_header:
        raise BadSignature("missing Stripe-Signature header")
    try:
        text = payload.decode("utf-8")
        stripe.WebhookSignature.verify_header(text, signature_header, settings.webhook_secret, tolerance_s)
        event = json.loads(text)
    except (stripe.SignatureVerificationError, UnicodeDecodeError, ValueError) as exc:
        raise BadSignature(str(exc)) from exc
    if not isinstance(event, dict) or not {"id", "type", "data"} <= event.keys():
        raise BadSignature("signed body is not a Stripe event")
    return event


@dataclass(frozen=True)
class StripeRefund:
    """A refund as Stripe answered it."""

    id: str
    amount_fen: int
    status: str  # succeeded | pending | requires_action | failed | canceled


class SessionNotOpen(Exception):
    """The Checkout Session is already complete or expired, so there is nothing to expire."""


def create_refund(settings: StripeSettings, *, payment_intent: str, amount_fen: int, idempotency_key: str,
                  order_number: str, reason: str = "requested_by_customer") -> StripeRefund:
    """Refund amount_fen of a PaymentIntent. The same key always gets the same refund, never a second one."""
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or amount_fen < 1:
        raise ValueError(f"a refund must be a whole number of fen ≥ 1, not {amount_fen!r}")
    if not payment_intent:
        raise ValueError("a Stripe refund needs the payment's PaymentIntent")
    params = {"payment_intent": payment_intent, "amount": amount_fen, "reason": reason,
              "metadata": {"order_number": order_number}}
    refund = _call(settings, "refund", lambda c: c.v1.refunds.create(
        params=params, options={"idempotency_key": idempotency_key}))
    return StripeRefund(id=refund.id, amount_fen=int(refund.amount), status=str(refund.status or ""))


def expire_checkout_session(settings: StripeSettings, session_id: str) -> None:
    """Close an open Checkout Session so it can no longer be paid; SessionNotOpen if it already is closed."""
    if not settings.configured:
        raise GatewayUnavailable("Stripe is not configured (STRIPE_SECRET_KEY is empty)")
    try:
        _client(settings).v1.checkout.sessions.expire(session_id)
    except stripe.InvalidRequestError as exc:  # Stripe: only sessions with status "open" can be expired
        if exc.code == "resource_missing":  # not a closed session but an unknown one: a key for another account?
            log.warning("Stripe knows no session %s: %s", session_id, exc.user_message or exc)
        raise SessionNotOpen(str(exc.user_message or exc)) from exc
    except stripe.StripeError as exc:
        log.warning("Stripe session expiry failed (%s): %s", type(exc).__name__, exc.user_message or exc)
        raise GatewayUnavailable(f"Stripe session expiry failed: {exc.user_message or type(exc).__name__}") from exc
