"""Finding a guest order."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Regexp

from shop.orders.methods import MOBILE


class FindOrderForm(FlaskForm):
    """Order number and the phone given at checkout."""

    number = StringField(_l("订单号"), validators=[DataRequired(_l("请填写订单号")), Length(max=32)])
    phone = StringField(_l("下单手机号"), validators=[
        DataRequired(_l("请填写手机号")), Regexp(MOBILE, message=_l("请填写11位手机号，如 13800000000"))])
