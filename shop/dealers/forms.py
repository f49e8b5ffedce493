"""The dealer's forms: apply, log in, API tokens and the bulk order entry; each carries a CSRF token."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import PasswordField, StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, EqualTo, Length

from shop.checkout.forms import CheckoutForm
from shop.dealers import accounts
from shop.orders.methods import is_mobile


def _mobile(_form, field) -> None:
    if not is_mobile((field.data or "").strip()):
        raise ValidationError(_l("请填写11位手机号，如 13800000000"))


def _credit_code(_form, field) -> None:
    if accounts.credit_code_problem((field.data or "").strip().upper()):
        raise ValidationError(_l("统一社会信用代码不正确（18位，最后一位为校验码）"))


def _free_phone(_form, field) -> None:
    if accounts.by_phone(field.data or "") is not None:
        raise ValidationError(_l("这个手机号已注册为代理商，请直接登录"))


class ApplyForm(FlaskForm):
    """A dealer's application; staff approve it at the desk."""

    company = StringField(_l("公司名称"), validators=[DataRequired(_l("请填写公司名称")),
                                                  Length(max=100, message=_l("公司名称最多100个字"))])
    contact_name = StringField(_l("联系人"), validators=[DataRequired(_l("请填写联系人")),
                                                      Length(max=40, message=_l("联系人最多40个字"))])
    phone = StringField(_l("手机号（登录用）"), validators=[DataRequired(_l("请填写手机号")), _mobile, _free_phone])
    region = StringField(_l("所在地区"), validators=[Length(max=60, message=_l("所在地区最多60个字"))])
    credit_code = StringField(_l("统一社会信用代码（选填）"), validators=[_credit_code])
    password = PasswordField(_l("密码（8到200个字符）"), validators=[
        DataRequired(_l("请设置密码")), Length(min=8, max=200, message=_l("密码须为8到200个字符"))])
    confirm = PasswordField(_l("再次输入密码"), validators=[EqualTo("password", message=_l("两次输入的密码不一致"))])


class LoginForm(FlaskForm):
    """Phone and password."""

    phone = StringField(_l("手机号"), validators=[DataRequired(), Length(max=20)])
    password = PasswordField(_l("密码"), validators=[DataRequired(), Length(max=200)])


class TokenForm(FlaskForm):
    """A name for a new API token."""

    label = StringField(_l("令牌用途（如 进销存系统）"), validators=[Length(max=60, message=_l("用途最多60个字"))])


class EntryForm(CheckoutForm):
    """The bulk entry: lines pasted, uploaded or picked, then where they go and how they are paid.

    The shipping, payment and contract fields are the checkout's; the intake checks them, as at checkout.
    """

    text = TextAreaField(_l("粘贴清单（每行一个规格和数量）"))
    csv = FileField(_l("上传CSV文件"))
