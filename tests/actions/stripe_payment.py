"""Stripe's side of a payment: the Checkout Session the shop asks for, and the signed events Stripe sends."""

from __future__ import annotations

import json

from stripe_standin import make_event, sign_payload

from .constants import WHSEC
from .pages import fen


def go_pay(client, order: dict):
    """Follow the order's payment.url, as the buyer's browser would; the response (a redirect)."""
    return client.get(order["payment"]["url"])


def open_session(client, standin, order: dict) -> str:
    """The buyer follows the order's payment link to Stripe; the Checkout Session's id."""
    response = go_pay(client, order)
    assert response.status_code == 303, response.status_code
    session_id = response.location.rsplit("/", 1)[-1]
    assert session_id in standin.sessions, response.location
    return session_id


def last_checkout(standin) -> dict:
    """The parameters of the last Checkout Session the shop asked Stripe for."""
    created = [params for method, path, params, _ in standin.requests
               if (method, path) == ("POST", "/v1/checkout/sessions")]
    assert created, "the shop never asked Stripe for a Checkout Session"
    return created[-1]


def session_for(order: dict, **changes) -> dict:
    """A Checkout Session object as Stripe sends it once the order's total was paid in CNY."""
    return {"id": "cs_test_" + order["number"].replace("-", ""), "object": "checkout.session",
            "client_reference_id": order["number"], "metadata": {"order_number": order["number"]},
            "amount_total": fen(order["total"]), "currency": "cny", "payment_status": "paid",
            "payment_intent": "pi_test_1", "status": "complete", **changes}


def signed(event: dict, secret: str = WHSEC, timestamp: int | None = None) -> tuple[bytes, dict]:
    """The body and headers Stripe would send for an event."""
    body = json.dumps(event, ensure_ascii=False).encode()
    return body, {"Stripe-Signature": sign_payload(body, secret, timestamp), "Content-Type": "application/json"}


def stripe_sends(client, kind: str, session: dict, event_id: str | None = None, **signing):
    """Stripe delivers a signed event to the webhook; the response."""
    body, headers = signed(make_event(kind, session, event_id), **signing)
    return client.post("/payments/stripe/webhook", data=body, headers=headers)


def pay_by_stripe(client, standin, order: dict, *, deliver: bool = True) -> dict:
    """The buyer pays on Stripe's page and Stripe tells the shop (unless deliver=False); the paid session."""
    session = standin.complete(open_session(client, standin, order))
    if deliver:
        response = stripe_sends(client, "checkout.session.completed", session)
        assert response.status_code == 200, response.get_json()
    return session
