"""The order states: which changes each allows, the payment status after a refund, names in both languages."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shop.orders import states


def test_the_goods_move_forward_only_and_end_completed_or_cancelled():
    assert states.allows("pending_payment", "awaiting_dispatch")
    assert states.allows("awaiting_dispatch", "dispatched")
    assert states.allows("dispatched", "completed")
    assert states.allows("pending_payment", "cancelled") and states.allows("awaiting_dispatch", "cancelled")
    assert not states.allows("dispatched", "cancelled")  # it has left: a refund, not a cancellation
    assert not states.allows("pending_payment", "dispatched")  # never shipped unpaid and unaccepted
    assert not states.allows("completed", "dispatched") and not states.allows("cancelled", "pending_payment")
    assert states.TRANSITIONS["completed"] == states.TRANSITIONS["cancelled"] == frozenset()


def test_the_money_is_paid_once_and_refunded_partly_or_fully():
    assert states.payment_allows("unpaid", "paid") and states.payment_allows("unpaid", "on_account")
    assert states.payment_allows("paid", "partially_refunded") and states.payment_allows("paid", "refunded")
    assert states.payment_allows("partially_refunded", "partially_refunded")
    assert states.payment_allows("partially_refunded", "refunded")
    assert not states.payment_allows("refunded", "paid") and not states.payment_allows("unpaid", "refunded")
    with pytest.raises(states.IllegalTransition):
        states.check_payment("refunded", "partially_refunded")
    with pytest.raises(states.IllegalTransition):
        states.check("completed", "cancelled")


@pytest.mark.parametrize(("paid", "refunded", "expected"), [
    (32600, 0, "paid"), (32600, 1, "partially_refunded"), (32600, 32599, "partially_refunded"),
    (32600, 32600, "refunded")])
def test_the_payment_status_after_a_refund(paid, refunded, expected):
    assert states.after_refund(paid, refunded) == expected


@pytest.mark.parametrize("refunded", [-1, 32601])
def test_more_than_paid_or_less_than_nothing_is_not_a_refund(refunded):
    with pytest.raises(ValueError):
        states.after_refund(32600, refunded)


@given(st.integers(1, 10**12), st.lists(st.integers(1, 10**9), max_size=8))
def test_refunding_step_by_step_is_always_an_allowed_change_and_ends_refunded(paid, steps):
    refunded, status = 0, "paid"
    for step in [*steps, paid]:  # the last refund takes all that is left
        refunded = min(paid, refunded + step)
        new = states.after_refund(paid, refunded)
        assert new == status == "refunded" or states.payment_allows(status, new)
        status = new
    assert status == "refunded"


def test_every_code_has_a_chinese_and_an_english_name():
    for code in states.STATUSES:
        assert states.status_label(code) != code and states.status_label(code, "en") != code
    for code in states.PAYMENT_STATUSES:
        assert states.payment_label(code) != code and states.payment_label(code, "en") != code
    assert set(states.TRANSITIONS) == set(states.STATUSES)
    assert set(states.PAYMENT_TRANSITIONS) == set(states.PAYMENT_STATUSES)
    assert states.status_label("paid") == "paid"  # a payment status is not a status: shown as it is
    assert states.payment_label("awaiting_dispatch") == "awaiting_dispatch"
