"""Forms of the storefront."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Regexp

MOBILE = r"^1[3-9][0-9]{9}$"


class QuoteRequestForm(FlaskForm):
    """Ask the nursery for a price on a 询价 item."""

    name = StringField(_l("姓名"), validators=[DataRequired(_l("请填写姓名")), Length(max=40)])
    phone = StringField(_l("手机号"), validators=[
        DataRequired(_l("请填写手机号")), Regexp(MOBILE, message=_l("请填写11位手机号，如 13800000000"))])
    quantity = IntegerField(_l("数量（株）"), validators=[
        DataRequired(_l("请填写数量")),
        NumberRange(min=1, max=100_000_000, message=_l("数量须在 1 到 1亿 株之间"))])
    message = TextAreaField(_l("留言（规格、用途、到货时间等）"), validators=[Length(max=1000)])
