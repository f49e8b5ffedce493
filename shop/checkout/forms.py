"""The checkout form; every amount is computed again on the server, never taken from it.

The form only carries the fields: what they must hold is checked by shop.orders.intake, as for the API.
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField

from shop import pricing, regions
from shop.money import format_money
from shop.orders import intake, methods


def _max(field: str) -> dict:
    """The browser stops typing at the column's length; the intake refuses anything longer all the same."""
    return {"maxlength": intake.LIMITS[field]}


class CheckoutForm(FlaskForm):
    """Name, mobile, address, shipping, payment and the contract box."""

    name = StringField(_l("收货人姓名"), render_kw=_max("name"))
    phone = StringField(_l("手机号"), render_kw=_max("phone"))
    province = SelectField(_l("省份"), validate_choice=False)
    city = SelectField(_l("城市"), validate_choice=False)
    district = SelectField(_l("区县"), validate_choice=False)
    address = StringField(_l("详细地址（街道、门牌）"), render_kw=_max("address"))
    method = RadioField(_l("发货方式"), choices=[(m, m) for m in methods.SHIPPING_METHODS], default="post",
                        validate_choice=False)
    pickup_base = SelectField(_l("自提基地"), choices=[("平邑", _l("平邑县种苗基地")), ("临沭", _l("临沭县种苗基地"))],
                              default="平邑", validate_choice=False)
    payment_method = RadioField(_l("付款方式"), choices=[("bank_transfer", _l("银行汇款"))], default="bank_transfer",
                                validate_choice=False)
    accept_contract = BooleanField(_l("我已阅读并同意购苗合同条款"))
    # Out of season only (the page shows it then): reserve, or now without frost/heat cover. "" = not asked.
    timing = RadioField(_l("发货时间"), choices=[("reserve", _l("预约发货")), ("now", _l("立即发货"))], default="",
                        validate_choice=False)

    def fill_choices(self, stripe_available: bool, province_names: dict[str, str] | None = None, *,
                     rules: pricing.Rules, lang: str = "zh") -> None:
        """Options for the selects, following what is chosen so far; provinces labelled in the page's language."""
        blank = [("", "—")]
        names = province_names or {}
        self.province.choices = blank + [(p, f"{names[p]} {p}" if p in names else p) for p in regions.tree()]
        self.city.choices = blank + [(c, c) for c in regions.cities(self.province.data or "")]
        self.district.choices = blank + [(d, d) for d in regions.districts(self.province.data or "", self.city.data or "")]
        self.method.choices = method_choices(rules, lang)
        if stripe_available:
            self.payment_method.choices = [("stripe", _l("在线支付（银行卡、支付宝、微信支付）"))] + list(
                self.payment_method.choices)


def method_choices(rules: pricing.Rules, lang: str) -> list[tuple[str, str]]:
    """The shipping methods, each with its minimum and free-postage figures taken from the pricing rules."""
    return [(code, _method_label(code, methods.shipping_label(code, lang, with_note=True), rules))
            for code in methods.SHIPPING_METHODS]


def _method_label(code: str, name: str, rules: pricing.Rules) -> str:
    minimum = format_money(rules.post_min_fen)
    if code == "post":
        return _("%(method)s（%(minimum)s起邮，货款满%(free)s免邮）", method=name, minimum=minimum,
                 free=format_money(rules.free_post_fen))
    if code == "express":
        return _("%(method)s（%(minimum)s起邮）", method=name, minimum=minimum)
    if code == "freight":
        return _("%(method)s，货款满%(goods)s或重%(kg)s公斤起", method=name, goods=format_money(rules.freight_min_goods_fen),
                 kg=format(Decimal(rules.freight_min_weight_g) / 1000, "f"))
    return name
