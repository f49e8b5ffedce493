"""The planner's form: the same fields for working out a plan (GET) and for putting it in the cart (POST)."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from shop.catalog.forms import clean_text

_DECIMAL = re.compile(r"-?\d{1,12}(\.\d{1,12})?")


class DecimalText(StringField):
    """An exact decimal typed on a phone (full-width digits too): Decimal, never float; a message if not a number."""

    raw = ""  # the text as typed, once the form has read it

    def process_formdata(self, valuelist):
        self.raw = unicodedata.normalize("NFKC", valuelist[0]).strip().replace(",", "") if valuelist else ""
        self.data = None
        if not self.raw:
            return
        if not _DECIMAL.fullmatch(self.raw):
            raise ValueError(_l("请填写数字，如 10 或 2.5"))
        self.data = Decimal(self.raw)

    def _value(self) -> str:
        if self.raw and self.data is None:
            return self.raw  # what was typed, so the farmer sees what to correct
        return "" if self.data is None else format(Decimal(self.data).normalize(), "f")


TOO_LONG = _l("最多 80 个字")


def _text(**kwargs) -> StringField:
    return StringField(filters=[clean_text], validators=[Optional(), Length(max=80, message=TOO_LONG)], **kwargs)


class PlanForm(FlaskForm):
    """A variety, a field and its spacing; the grades and the pollinizer once a plan is shown."""

    variety = StringField(filters=[clean_text], validators=[DataRequired(_l("请选择品种")),
                                                                 Length(max=80, message=TOO_LONG)])
    area = DecimalText(validators=[InputRequired(_l("请填写面积"))])
    unit = StringField(default="mu", filters=[clean_text])
    rootstock = _text()
    row_spacing_m = DecimalText(validators=[Optional()])
    plant_spacing_m = DecimalText(validators=[Optional()])
    buffer_percent = DecimalText(validators=[Optional()])
    pollinizer = _text()
    main_sku = _text()
    pollinizer_sku = _text()
    shown = HiddenField(filters=[clean_text])  # "variety|rootstock" the spacing fields were filled in for
