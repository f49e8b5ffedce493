"""Forms of the storefront."""

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Regexp

from shop.orders.methods import MOBILE

MAX_PLANTS = 100_000_000
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # NUL and friends: PostgreSQL refuses NUL in text


def clean_text(value: str | None) -> str | None:
    """Typed text without control characters (tabs and line breaks stay) or surrounding spaces."""
    return _CONTROL.sub("", value).strip() if isinstance(value, str) else value


class PlantsField(IntegerField):
    """A whole number of plants; anything else gets a message in the user's language, not WTForms' English."""

    def process_formdata(self, valuelist):
        raw = valuelist[0].strip() if valuelist else ""
        self.data = None
        if not raw:
            return
        if not re.fullmatch(r"-?[0-9]+", raw):
            raise ValueError(_l("数量须为整数株数，如 300"))
        self.data = int(raw) if len(raw) <= 15 else MAX_PLANTS + 1  # absurdly long: out of range, not an error


class QuoteRequestForm(FlaskForm):
    """Ask the nursery for a price on a 询价 item."""

    name = StringField(_l("姓名"), filters=[clean_text], validators=[DataRequired(_l("请填写姓名")), Length(max=40)])
    phone = StringField(_l("手机号"), filters=[clean_text], validators=[
        DataRequired(_l("请填写手机号")), Regexp(MOBILE, message=_l("请填写11位手机号，如 13800000000"))])
    quantity = PlantsField(_l("数量（株）"), validators=[
        InputRequired(_l("请填写数量")),
        NumberRange(min=1, max=MAX_PLANTS, message=_l("数量须在 1 到 1亿 株之间"))])
    message = TextAreaField(_l("留言（规格、用途、到货时间等）"), filters=[clean_text], validators=[Length(max=1000)])
