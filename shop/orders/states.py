"""Order states (SPEC "Orders"): where the goods are (`status`) and where the money is (`payment_status`).

Pure: the codes, the changes each state allows, and their names in 中文 and English. Every change of either
status is checked here (by `shop.orders.changes`, which also audits it).
"""

from __future__ import annotations

# Where the goods are.
PENDING_PAYMENT = "pending_payment"
AWAITING_DISPATCH = "awaiting_dispatch"
DISPATCHED = "dispatched"
COMPLETED = "completed"
CANCELLED = "cancelled"
STATUSES = (PENDING_PAYMENT, AWAITING_DISPATCH, DISPATCHED, COMPLETED, CANCELLED)

# Where the money is.
UNPAID = "unpaid"
PAID = "paid"
PARTIALLY_REFUNDED = "partially_refunded"
REFUNDED = "refunded"
ON_ACCOUNT = "on_account"  # a dealer's credit order, until it is settled
PAYMENT_STATUSES = (UNPAID, PAID, PARTIALLY_REFUNDED, REFUNDED, ON_ACCOUNT)

TRANSITIONS: dict[str, frozenset[str]] = {
    PENDING_PAYMENT: frozenset({AWAITING_DISPATCH, CANCELLED}),
    AWAITING_DISPATCH: frozenset({DISPATCHED, CANCELLED}),
    DISPATCHED: frozenset({COMPLETED}),
    COMPLETED: frozenset(),
    CANCELLED: frozenset(),
}
PAYMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    UNPAID: frozenset({PAID, ON_ACCOUNT}),
    ON_ACCOUNT: frozenset({PAID, UNPAID}),  # settled; or a cancelled credit order that owes nothing
    PAID: frozenset({PARTIALLY_REFUNDED, REFUNDED}),
    PARTIALLY_REFUNDED: frozenset({PARTIALLY_REFUNDED, REFUNDED}),  # a second partial refund stays partial
    REFUNDED: frozenset(),
}

# Money has come in (and may be refunded) in these payment states.
MONEY_RECEIVED = frozenset({PAID, PARTIALLY_REFUNDED})
# Goods may still be cancelled (and their stock returned) in these.
CANCELLABLE = frozenset({PENDING_PAYMENT, AWAITING_DISPATCH})
# A credit order (on account) ships before it is paid; a refunded one never ships.
SHIPPABLE_PAYMENT = frozenset({PAID, PARTIALLY_REFUNDED, ON_ACCOUNT})

STATUS_LABELS = {
    PENDING_PAYMENT: ("待付款", "Awaiting payment"),
    AWAITING_DISPATCH: ("待发货", "Awaiting dispatch"),
    DISPATCHED: ("已发货", "Dispatched"),
    COMPLETED: ("已完成（已收货）", "Completed (received)"),
    CANCELLED: ("已取消", "Cancelled"),
}
PAYMENT_LABELS = {
    UNPAID: ("未付款", "Unpaid"),
    PAID: ("已付款", "Paid"),
    PARTIALLY_REFUNDED: ("部分退款", "Partly refunded"),
    REFUNDED: ("已全额退款", "Refunded in full"),
    ON_ACCOUNT: ("账期（挂账）", "On account"),
}


class IllegalTransition(Exception):
    """The order's state does not allow this change."""

    def __init__(self, kind: str, current: str, wanted: str):
        self.kind, self.current, self.wanted = kind, current, wanted
        super().__init__(f"{kind} cannot go from {current} to {wanted}")


def allows(current: str, wanted: str) -> bool:
    """True when `status` may change from current to wanted."""
    return wanted in TRANSITIONS.get(current, frozenset())


def payment_allows(current: str, wanted: str) -> bool:
    """True when `payment_status` may change from current to wanted."""
    return wanted in PAYMENT_TRANSITIONS.get(current, frozenset())


def check(current: str, wanted: str) -> None:
    """Raise IllegalTransition unless `status` may change from current to wanted."""
    if not allows(current, wanted):
        raise IllegalTransition("status", current, wanted)


def check_payment(current: str, wanted: str) -> None:
    """Raise IllegalTransition unless `payment_status` may change from current to wanted."""
    if not payment_allows(current, wanted):
        raise IllegalTransition("payment_status", current, wanted)


def can_dispatch(status: str, payment_status: str) -> bool:
    """Goods leave only when they await dispatch and the money is in (or on account)."""
    return status == AWAITING_DISPATCH and payment_status in SHIPPABLE_PAYMENT


def after_cancel(payment_status: str) -> str:
    """The payment status a cancellation leaves before any refund: a credit order owes nothing any more."""
    return UNPAID if payment_status == ON_ACCOUNT else payment_status


def after_refund(paid_fen: int, refunded_fen: int) -> str:
    """The payment status once refunded_fen of paid_fen has gone back."""
    if refunded_fen < 0 or refunded_fen > paid_fen:
        raise ValueError(f"refunded {refunded_fen} fen of {paid_fen} paid")
    if refunded_fen == 0:
        return PAID
    return REFUNDED if refunded_fen == paid_fen else PARTIALLY_REFUNDED


def label(code: str, lang: str = "zh") -> str:
    """The status's or payment status's name for people; an unknown code is shown as it is."""
    names = STATUS_LABELS.get(code) or PAYMENT_LABELS.get(code)
    if names is None:
        return code
    return names[1] if lang == "en" else names[0]


def status_label(code: str, lang: str = "zh") -> str:
    """The name of a `status` (never confused with a payment status of the same code)."""
    names = STATUS_LABELS.get(code)
    return code if names is None else names[1] if lang == "en" else names[0]


def payment_label(code: str, lang: str = "zh") -> str:
    """The name of a `payment_status`."""
    names = PAYMENT_LABELS.get(code)
    return code if names is None else names[1] if lang == "en" else names[0]
