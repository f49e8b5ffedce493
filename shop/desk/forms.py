"""Desk forms; each carries a CSRF token."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp


class LoginForm(FlaskForm):
    """Staff name and password."""

    username = StringField(_l("用户名"), validators=[DataRequired(), Length(max=60)])
    password = PasswordField(_l("密码"), validators=[DataRequired(), Length(max=200)])


class ConfirmTransferForm(FlaskForm):
    """Money that arrived by bank transfer."""

    amount = StringField(_l("到账金额（元）"), validators=[
        DataRequired(_l("请填写到账金额")), Regexp(r"^\s*\d{1,9}(\.\d{1,2})?\s*$", message=_l("金额格式如 1409.50"))])
    received_on = DateField(_l("到账日期"), validators=[DataRequired(_l("请填写到账日期"))], default=date.today)
    reference = StringField(_l("银行流水号 / 附言"), validators=[Length(max=120)])


class DispatchForm(FlaskForm):
    """Base, carrier, tracking number and the plant quarantine certificate."""

    base = SelectField(_l("发货基地"), choices=[("平邑县种苗基地", _l("平邑县种苗基地")), ("临沭县种苗基地", _l("临沭县种苗基地"))])
    carrier = StringField(_l("承运方"), validators=[DataRequired(_l("请填写承运方")), Length(max=40)])
    tracking_number = StringField(_l("运单号"), validators=[DataRequired(_l("请填写运单号")), Length(max=60)])
    quarantine_cert = StringField(_l("植物检疫证书编号"), validators=[
        DataRequired(_l("请填写植物检疫证书编号")), Length(max=60)])
    cert_issued_on = DateField(_l("检疫证书签发日期"), validators=[DataRequired(_l("请填写检疫证书签发日期"))])
    vehicle = StringField(_l("车牌号（整车发运时填写）"), validators=[Optional(), Length(max=20)])


class BatchDispatchForm(FlaskForm):
    """Several orders leaving together in one vehicle under one certificate (一车一证)."""

    base = SelectField(_l("发货基地"), choices=[("平邑县种苗基地", _l("平邑县种苗基地")), ("临沭县种苗基地", _l("临沭县种苗基地"))])
    carrier = StringField(_l("承运方"), validators=[DataRequired(_l("请填写承运方")), Length(max=40)])
    vehicle = StringField(_l("车牌号"), validators=[DataRequired(_l("请填写车牌号")), Length(max=20)])
    tracking_number = StringField(_l("托运单号（可不填）"), validators=[Optional(), Length(max=60)])
    quarantine_cert = StringField(_l("植物检疫证书编号"), validators=[
        DataRequired(_l("请填写植物检疫证书编号")), Length(max=60)])
    cert_issued_on = DateField(_l("检疫证书签发日期"), validators=[DataRequired(_l("请填写检疫证书签发日期"))])


class CancelForm(FlaskForm):
    """Why the order is cancelled (and, for a paid bank transfer, the bank reference of the refund)."""

    reason = StringField(_l("取消原因"), validators=[DataRequired(_l("请填写取消原因")), Length(max=200)])
    reference = StringField(_l("退款银行流水号（银行汇款已付款时必填）"), validators=[Optional(), Length(max=120)])


class RefundForm(FlaskForm):
    """All or part of what was paid goes back, with a reason."""

    amount = StringField(_l("退款金额（元，不填则退全部可退金额）"), validators=[
        Optional(), Regexp(r"^\s*\d{1,9}(\.\d{1,2})?\s*$", message=_l("金额格式如 1409.50"))])
    reason = StringField(_l("退款原因"), validators=[DataRequired(_l("请填写退款原因")), Length(max=200)])
    reference = StringField(_l("退款银行流水号（银行汇款必填）"), validators=[Optional(), Length(max=120)])
    refunded_before = HiddenField(validators=[Optional(), Regexp(r"^\d{1,15}$")])  # fen refunded when opened


class BatchForm(FlaskForm):
    """Which contracts to print: the ticked orders, or every paid order not printed yet."""

    numbers = HiddenField()
    scope = SelectField(choices=[("selected", "selected"), ("unprinted", "unprinted")], default="selected")


class AnswerQuoteForm(FlaskForm):
    """Staff's answer to a quote request."""

    answer = TextAreaField(_l("回复（报价、规格、联系结果）"), validators=[DataRequired(_l("请填写回复")), Length(max=1000)])


class ResolveForm(FlaskForm):
    """Mark a payment mismatch as dealt with."""

    note = StringField(_l("处理说明"), validators=[Optional(), Length(max=200)])
