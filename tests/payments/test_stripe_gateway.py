"""The Stripe boundary, with the real stripe client over HTTP to the loopback stand-in."""

from __future__ import annotations

import hmac
import json
import time
from datetime import UTC, datetime, timedelta

import pytest
from stripe_standin import StripeStandIn, make_event, sign_payload

from shop.payments import stripe_gateway as gw
from shop.payments.stripe_gateway import BadSignature, CheckoutItem, GatewayUnavailable, StripeSettings

WHSEC = "whsec_test_standin"
ITEMS = [CheckoutItem("红富士苹果苗 1年生 一级 ×300", 105_000), CheckoutItem("运费（物流到付除外）", 1_250)]
TOTAL = 106_250


@pytest.fixture
def standin():
    with StripeStandIn() as server:
        yield server


def settings_for(standin, **changes) -> StripeSettings:
    base = {"secret_key": "sk_test_123", "webhook_secret": WHSEC, "api_base": standin.url,
            "timeout_s": 1.0, "max_network_retries": 0}
    return StripeSettings(**{**base, **changes})


def checkout(settings, **changes):
    args = {"order_number": "MM20250301-0007", "items": ITEMS, "total_fen": TOTAL,
            "success_url": "http://shop.test/orders/MM20250301-0007/paid?session_id={CHECKOUT_SESSION_ID}",
            "cancel_url": "http://shop.test/orders/MM20250301-0007", **changes}
    return gw.create_checkout_session(settings, **args)


def test_session_asks_stripe_for_cny_in_fen_for_the_order(standin):
    session = checkout(settings_for(standin))

    assert session.id.startswith("cs_test_")
    assert session.url == f"{standin.url}/pay/{session.id}"
    method, path, params, headers = standin.requests[-1]
    assert (method, path) == ("POST", "/v1/checkout/sessions")
    assert headers["authorization"] == "Bearer sk_test_123"
    assert params["mode"] == "payment"
    assert params["currency"] == "cny"
    assert params["client_reference_id"] == "MM20250301-0007"
    assert params["metadata"] == {"order_number": "MM20250301-0007"}
    assert params["locale"] == "zh"
    assert params["success_url"].endswith("?session_id={CHECKOUT_SESSION_ID}")
    assert params["line_items"] == [
        {"quantity": "1", "price_data": {"currency": "cny", "unit_amount": "105000",
                                         "product_data": {"name": "红富士苹果苗 1年生 一级 ×300"}}},
        {"quantity": "1", "price_data": {"currency": "cny", "unit_amount": "1250",
                                         "product_data": {"name": "运费（物流到付除外）"}}},
    ]
    assert params["payment_method_types"] == ["card", "alipay", "wechat_pay"]
    assert params["payment_method_options"] == {"wechat_pay": {"client": "web"}}
    assert standin.sessions[session.id]["amount_total"] == TOTAL


def test_card_only_sends_no_wechat_options_and_english_locale(standin):
    checkout(settings_for(standin, payment_method_types=("card",)), locale="en_US")

    params = standin.requests[-1][2]
    assert params["payment_method_types"] == ["card"]
    assert "payment_method_options" not in params
    assert params["locale"] == "en"


def test_expiry_is_sent_as_unix_time(standin):
    when = datetime.now(UTC) + timedelta(hours=2)
    session = checkout(settings_for(standin), expires_at=when)

    assert standin.requests[-1][2]["expires_at"] == str(int(when.timestamp()))
    assert standin.sessions[session.id]["expires_at"] == int(when.timestamp())


def test_an_expiry_stripe_refuses_is_gateway_unavailable(standin):
    with pytest.raises(GatewayUnavailable):
        checkout(settings_for(standin), expires_at=datetime.now(UTC) + timedelta(minutes=20))


def test_retrieve_returns_the_session_as_a_plain_dict(standin):
    settings = settings_for(standin)
    session = checkout(settings)
    standin.complete(session.id)

    found = gw.retrieve_checkout_session(settings, session.id)

    assert type(found) is dict
    assert found["id"] == session.id
    assert found["payment_status"] == "paid"
    assert found["amount_total"] == TOTAL
    assert found["metadata"] == {"order_number": "MM20250301-0007"}


@pytest.mark.parametrize("items", [ITEMS[:1], ITEMS + [CheckoutItem("x", 1)], []])
def test_items_that_do_not_add_up_to_the_total_are_refused_before_calling_stripe(standin, items):
    with pytest.raises(ValueError):
        checkout(settings_for(standin), items=items)

    assert standin.requests == []


@pytest.mark.parametrize("amount", [0, -100, 12.5, True])
def test_an_item_must_be_whole_positive_fen(amount):
    with pytest.raises(ValueError):
        CheckoutItem("苗", amount)


def test_a_retried_create_returns_the_same_session(standin):
    settings = settings_for(standin)

    first = checkout(settings)
    second = checkout(settings)

    assert second == first
    assert len(standin.sessions) == 1
    keys = [headers["idempotency-key"] for _, _, _, headers in standin.requests]
    assert keys[0] == keys[1] and "MM20250301-0007" in keys[0]


def test_a_new_total_gets_a_new_session(standin):
    settings = settings_for(standin)

    first = checkout(settings)
    second = checkout(settings, items=[CheckoutItem("红富士苹果苗", 99_000)], total_fen=99_000)

    assert second.id != first.id
    assert standin.sessions[second.id]["amount_total"] == 99_000


def test_an_explicit_idempotency_key_is_sent(standin):
    checkout(settings_for(standin), idempotency_key="order-7-106250")

    assert standin.requests[-1][3]["idempotency-key"] == "order-7-106250"


@pytest.mark.parametrize("failure", [500, 503, "drop", "hang"])
def test_an_outage_is_reported_quickly_as_gateway_unavailable(standin, failure):
    standin.fail_with = failure
    started = time.monotonic()

    with pytest.raises(GatewayUnavailable):
        checkout(settings_for(standin, max_network_retries=1, timeout_s=0.5))

    assert time.monotonic() - started < 5
    assert len(standin.requests) == 2  # one retry, then give up


def test_a_wrong_secret_key_is_gateway_unavailable(standin):
    with pytest.raises(GatewayUnavailable):
        checkout(settings_for(standin, secret_key="sk_live_wrong!"))


def test_a_stopped_stripe_is_gateway_unavailable(standin):
    settings = settings_for(standin)
    standin.stop()

    with pytest.raises(GatewayUnavailable):
        checkout(settings)


def test_without_a_secret_key_nothing_is_sent(standin):
    settings = settings_for(standin, secret_key="")

    assert not settings.configured
    with pytest.raises(GatewayUnavailable):
        checkout(settings)
    assert standin.requests == []


def test_settings_are_read_from_the_app_config():
    settings = StripeSettings.from_config({"STRIPE_SECRET_KEY": "sk_test_1", "STRIPE_WEBHOOK_SECRET": "whsec_1",
                                           "STRIPE_API_BASE": "", "STRIPE_PAYMENT_METHOD_TYPES": "card, alipay"})

    assert settings.configured
    assert settings.api_base is None
    assert settings.payment_method_types == ("card", "alipay")


# Webhooks

def signed_event(**changes):
    event = make_event("checkout.session.completed", {"id": "cs_test_1", "object": "checkout.session",
                                                      "client_reference_id": "MM20250301-0007",
                                                      "amount_total": TOTAL, "payment_status": "paid"})
    payload = json.dumps(event, ensure_ascii=False).encode()
    return event, payload, sign_payload(payload, WHSEC, **changes)


def test_a_correctly_signed_event_is_returned_as_a_plain_dict():
    event, payload, header = signed_event()

    parsed = gw.parse_event(StripeSettings("", WHSEC), payload, header)

    assert parsed == event
    assert parsed["type"] == "checkout.session.completed"
    assert parsed["data"]["object"]["amount_total"] == TOTAL


def test_an_event_signed_with_another_secret_is_refused():
    _, payload, _ = signed_event()

    with pytest.raises(BadSignature):
        gw.parse_event(StripeSettings("", WHSEC), payload, sign_payload(payload, "whsec_someone_else"))


def test_a_stale_event_is_refused():
    _, payload, header = signed_event(timestamp=int(time.time()) - 301)

    with pytest.raises(BadSignature):
        gw.parse_event(StripeSettings("", WHSEC), payload, header, tolerance_s=300)


def test_a_tampered_body_is_refused():
    _, payload, header = signed_event()
    tampered = payload.replace(str(TOTAL).encode(), b"1")

    with pytest.raises(BadSignature):
        gw.parse_event(StripeSettings("", WHSEC), tampered, header)


@pytest.mark.parametrize("header", [None, "", "garbage", "t=abc,v1=00", "t=123"])
def test_a_missing_or_malformed_header_is_refused(header):
    _, payload, _ = signed_event()

    with pytest.raises(BadSignature):
        gw.parse_event(StripeSettings("", WHSEC), payload, header)


def test_without_a_webhook_secret_no_event_is_trusted():
    _, payload, _ = signed_event()

    with pytest.raises(BadSignature):
        gw.parse_event(StripeSettings("sk_test_1", ""), payload, sign_payload(payload, ""))


def test_a_signed_body_that_is_not_an_event_is_refused():
    payload = b'["not", "an", "event"]'

    with pytest.raises(BadSignature):
        gw.parse_event(StripeSettings("", WHSEC), payload, sign_payload(payload, WHSEC))


def test_sign_payload_matches_stripe_scheme():
    header = sign_payload(b"{}", "whsec_x", timestamp=1_700_000_000)

    assert header == "t=1700000000,v1=" + hmac.new(b"whsec_x", b"1700000000.{}", "sha256").hexdigest()
