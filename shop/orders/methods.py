"""Shipping and payment methods, their names, and the mobile-number pattern: defined here once.

Pure. The checkout form, the JSON API, the cart, the order page, the desk and the contract all read them here.
"""

from __future__ import annotations

import re

from shop import pricing

SHIPPING_METHODS = pricing.METHODS  # ("post", "express", "freight", "pickup")
SHIPPING_LABELS = {
    "post": ("邮寄", "Post"),
    "express": ("特快专递", "Express mail"),
    "freight": ("物流托运", "Freight"),
    "pickup": ("基地自提", "Collect from our base"),
}
COLLECT_NOTE = ("运费到付", "carriage paid on delivery")  # freight: the buyer pays the carrier

PAYMENT_METHODS = ("stripe", "bank_transfer", "credit")  # credit: an approved dealer within their limit
PAYMENT_LABELS = {
    "stripe": ("在线支付", "Online payment"),
    "bank_transfer": ("银行汇款", "Bank transfer"),
    "credit": ("账期（赊购）", "On account (credit)"),  # a dealer's credit order, within their limit
}

MOBILE_PATTERN = r"^1[3-9][0-9]{9}$"  # ASCII digits only: \d would let full-width ８ into the order
MOBILE = re.compile(MOBILE_PATTERN)


def shipping_label(code: str, lang: str = "zh", *, with_note: bool = False) -> str:
    """邮寄 / Post …; with_note adds 运费到付 to freight."""
    names = SHIPPING_LABELS.get(code)
    if names is None:
        return code
    name = names[1] if lang == "en" else names[0]
    if with_note and code == "freight":
        note = COLLECT_NOTE[1] if lang == "en" else COLLECT_NOTE[0]
        name = f"{name} ({note})" if lang == "en" else f"{name}（{note}）"
    return name


def payment_label(code: str, lang: str = "zh") -> str:
    """在线支付 / 银行汇款 …"""
    names = PAYMENT_LABELS.get(code)
    return code if names is None else names[1] if lang == "en" else names[0]


def is_mobile(phone: str) -> bool:
    """An 11-digit mainland mobile number in ASCII digits."""
    return bool(MOBILE.fullmatch(phone or ""))
