"""Payments tests: a loopback Stripe stand-in and the shop configured to use it."""

from __future__ import annotations

import pytest
from stripe_standin import StripeStandIn

from tests.actions import WHSEC


@pytest.fixture
def standin():
    """A Stripe stand-in listening on 127.0.0.1 for the length of one test."""
    with StripeStandIn() as server:
        yield server


@pytest.fixture
def app_overrides(standin):
    """The shop with Stripe configured and pointed at the stand-in."""
    return {"STRIPE_SECRET_KEY": "sk_test_x", "STRIPE_WEBHOOK_SECRET": WHSEC, "STRIPE_API_BASE": standin.url}
