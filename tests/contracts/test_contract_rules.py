"""Changing BULK_MIN_PLANTS or DISPATCH_DAYS changes what the order page and the contract print, and an order
keeps the rules it was placed under."""

from __future__ import annotations

import re

import pytest

from tests.actions import (
    KYOHO_C2,
    buy,
    order_page_url,
    page_text,
    pay_by_transfer,
    pdf_text,
    relative,
    staff_client,
    stored,
)


@pytest.fixture
def app_overrides():
    return {"BULK_MIN_PLANTS": 500, "DISPATCH_DAYS": 3}


def contract_text(client, order: dict) -> str:
    return re.sub(r"\s+", "", pdf_text(client.get(relative(order["contract_url"])).data))


def test_the_configured_bulk_threshold_and_dispatch_days_reach_the_page_and_the_contract(app, client):
    order = buy(client, (KYOHO_C2, 500))
    assert order["discount_reason"] == "bulk"
    pay_by_transfer(staff_client(app), order)
    paid = stored(app, order["number"])
    assert (paid.dispatch_by - paid.paid_at).days == 3

    text = contract_text(client, order)
    assert "批量优惠(满500株)7折" in text and "满1000株" not in text
    assert "款到三日内发货" in text and "两日" not in text
    page = page_text(client.get(order_page_url(order)))
    assert "批量7折" in page and "款到三日内发货" in page and "两日" not in page


def test_an_order_keeps_the_rules_it_was_placed_under(app, client):
    order = buy(client, (KYOHO_C2, 500))
    app.config.update(BULK_MIN_PLANTS=800, DISPATCH_DAYS=1)  # the nursery changes its rules afterwards
    pay_by_transfer(staff_client(app), order)
    paid = stored(app, order["number"])
    assert (paid.dispatch_by - paid.paid_at).days == 3  # promised when the order was placed
    text = contract_text(client, order)
    assert "批量优惠(满500株)7折" in text and "款到三日内发货" in text
    assert "款到三日内发货" in page_text(client.get(order_page_url(order)))
