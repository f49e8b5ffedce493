"""The checkout form; every amount is computed again on the server, never taken from it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Regexp, ValidationError

from shop import regions

MOBILE = r"^1[3-9][0-9]{9}$"  # ASCII digits only: \d would let full-width ８ into the order


class CheckoutForm(FlaskForm):
    """Name, mobile, address, shipping, payment and the contract box."""

    name = StringField(_l("收货人姓名"), validators=[DataRequired(_l("请填写收货人姓名")), Length(max=40)])
    phone = StringField(_l("手机号"), validators=[
        DataRequired(_l("请填写手机号")), Regexp(MOBILE, message=_l("请填写11位手机号，如 13800000000"))])
    province = SelectField(_l("省份"), validate_choice=False)
    city = SelectField(_l("城市"), validate_choice=False)
    district = SelectField(_l("区县"), validate_choice=False)
    address = StringField(_l("详细地址（街道、门牌）"), validators=[Length(max=200)])
    method = RadioField(_l("发货方式"), choices=[
        ("post", _l("邮寄（200元起邮，货款满1000元免邮）")), ("express", _l("特快专递")),
        ("freight", _l("物流托运（大单，运费到付）")), ("pickup", _l("基地自提"))], default="post")
    pickup_base = SelectField(_l("自提基地"), choices=[("平邑", _l("平邑县种苗基地")), ("临沭", _l("临沭县种苗基地"))],
                              default="平邑")
    payment_method = RadioField(_l("付款方式"), choices=[("bank_transfer", _l("银行汇款"))], default="bank_transfer")
    accept_contract = BooleanField(_l("我已阅读并同意购苗合同条款"), validators=[
        DataRequired(_l("请先阅读并同意购苗合同条款"))])

    def validate_province(self, field):
        if self.method.data != "pickup" and field.data not in regions.tree():
            raise ValidationError(_l("请选择省份"))

    def validate_city(self, field):
        if self.method.data != "pickup" and field.data not in regions.cities(self.province.data):
            raise ValidationError(_l("请选择城市"))

    def validate_district(self, field):
        if self.method.data != "pickup" and not regions.valid(self.province.data, self.city.data, field.data):
            raise ValidationError(_l("请选择区县"))

    def validate_address(self, field):
        if self.method.data != "pickup" and len((field.data or "").strip()) < 2:
            raise ValidationError(_l("请填写详细地址"))

    def fill_choices(self, stripe_available: bool, province_names: dict[str, str] | None = None) -> None:
        """Options for the selects, following what is chosen so far; provinces labelled in the page's language."""
        blank = [("", "—")]
        names = province_names or {}
        self.province.choices = blank + [(p, f"{names[p]} {p}" if p in names else p) for p in regions.tree()]
        self.city.choices = blank + [(c, c) for c in regions.cities(self.province.data or "")]
        self.district.choices = blank + [(d, d) for d in regions.districts(self.province.data or "", self.city.data or "")]
        if stripe_available:
            self.payment_method.choices = [("stripe", _l("在线支付（银行卡、支付宝、微信支付）"))] + list(
                self.payment_method.choices)
