"""One intake for every order: the web checkout and the JSON API map their input onto an OrderRequest,
and validate() says everything wrong with it, in 简体中文 and English.

Pure: no flask, no request. The views only map fields, call validate() and show its problems, so both
accept and refuse exactly the same orders.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from shop import regions
from shop.orders import methods
from shop.seasons.windows import TIMINGS

# The Order columns' String lengths (shop/orders/models.py); a test keeps the two equal.
LIMITS = {"name": 40, "phone": 11, "province": 20, "city": 40, "district": 40, "address": 200, "pickup_base": 40}
COLUMNS = {"name": "customer_name"}  # request field → Order column, where the names differ
SKU_LIMIT = 40  # OrderLine.sku
MAX_ITEMS = 200  # lines per order
DEALER_MAX_ITEMS = 500  # a dealer's bulk order (SPEC "Dealers": up to 500 lines)
MAX_QUANTITY = 10_000_000  # plants per line
MIN_ADDRESS = 2  # characters of street address for a delivery

# Names of the fields as a buyer reads them: (中文, English, as it starts a sentence).
LABELS = {
    "name": ("收货人姓名", "the recipient's name"),
    "phone": ("手机号", "the mobile number"),
    "province": ("省份", "the province"),
    "city": ("城市", "the city"),
    "district": ("区县", "the district"),
    "address": ("详细地址", "the street address"),
    "pickup_base": ("自提基地", "the pickup base"),
}
# A byte that is not UTF-8, as Werkzeug leaves it in a urlencoded form ("%ED%A0%80" for a lone surrogate).
_ESCAPED_BYTE = re.compile(r"%[89A-Fa-f][0-9A-Fa-f]")
_SPACES = "".join(c for c in map(chr, range(0x3001)) if unicodedata.category(c) == "Zs")  # incl. 全角空格


@dataclass(frozen=True)
class Problem:
    """What is wrong with one field: the field, a stable code, and a message in Chinese and English."""

    field: str
    code: str
    zh: str
    en: str

    def message(self, lang: str = "zh") -> str:
        """The message in the buyer's language."""
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True, kw_only=True)
class OrderRequest:
    """An order as the buyer sent it, before any check; surrounding spaces are trimmed, nothing else."""

    items: tuple[tuple[str, int], ...]
    method: str
    province: str = ""
    city: str = ""
    district: str = ""
    address: str = ""
    pickup_base: str = ""
    name: str = ""
    phone: str = ""
    payment_method: str = ""
    accept_contract: bool = False
    timing: str = ""  # outside the destination's window: "reserve" (also when empty) or "now"

    def __post_init__(self):
        for name in _TEXT_FIELDS:
            object.__setattr__(self, name, trim(getattr(self, name)))
        object.__setattr__(self, "items", tuple((trim(sku), quantity) for sku, quantity in self.items))

    @property
    def chosen_base(self) -> str:
        """The base to collect from: only a pickup has one."""
        return self.pickup_base if self.method == "pickup" else ""


_TEXT_FIELDS = ("method", "province", "city", "district", "address", "pickup_base", "name", "phone",
                "payment_method", "timing")


def trim(text: str) -> str:
    """Text without surrounding spaces (ASCII, 全角 and other Unicode spaces); control characters stay, to be refused."""
    return text.strip(_SPACES)


def validate(req: OrderRequest, *, payment_methods: tuple[str, ...], max_items: int = MAX_ITEMS) -> list[Problem]:
    """Every problem of the order request, in the order of the form; empty when it may be placed.

    max_items is MAX_ITEMS for everyone but an approved dealer (DEALER_MAX_ITEMS)."""
    pickup = req.method == "pickup"
    problems = _items(req.items, max_items)
    problems += _text("name", req.name, required=True)
    problems += _phone(req.phone)
    problems += _method(req.method)
    problems += _place(req, pickup)
    problems += _text("pickup_base", req.pickup_base)
    problems += _payment(req.payment_method, payment_methods)
    problems += _timing(req.timing)
    if req.accept_contract is not True:
        problems.append(Problem("accept_contract", "contract_not_accepted", "请先阅读并同意购苗合同条款",
                                "Please read and accept the purchase contract first"))
    return problems


def offered_payments(*, stripe: bool) -> tuple[str, ...]:
    """The payment methods on offer: online payment only when Stripe is configured; credit (账期) to anyone who
    asks, since only placing can tell whether the buyer's credit covers the order (credit_not_granted if not)."""
    return ("stripe", "bank_transfer", "credit") if stripe else ("bank_transfer", "credit")


def validate_quote(items, *, method: str, province: str, max_items: int = MAX_ITEMS, timing: str = "") -> list[Problem]:
    """What stops a cart from being priced at all: the same item, method, province and timing checks as an order."""
    return (_items(tuple(items), max_items) + _method(trim(method)) + _text("province", trim(province))
            + _timing(trim(timing)))


# --- the checks ---------------------------------------------------------------------------------------------------


def _characters(field_name: str, value: str, zh: str, en: str) -> Problem | None:
    """Control characters (Cc) and invisible format characters (Cf: zero-width spaces, right-to-left overrides that
    would make a printed contract read otherwise) are never typed; lone surrogates (Cs), U+FFFD and
    percent-escaped bytes are what a broken encoding leaves."""
    categories = {unicodedata.category(c) for c in value}
    if "Cc" in categories or "Cf" in categories:
        return Problem(field_name, "control_character", f"{zh}不能包含控制字符或不可见字符（如制表符、换行），请重新填写",
                       f"{_cap(en)} must not contain control or invisible characters (such as tabs or line breaks)")
    if "Cs" in categories or "\ufffd" in value or _ESCAPED_BYTE.search(value):
        return Problem(field_name, "bad_encoding", f"{zh}里有无法识别的字符（乱码），请重新填写",
                       f"{_cap(en)} contains characters that could not be read (garbled text); please type it again")
    return None


def _text(field_name: str, value: str, *, required: bool = False, limit: int | None = None,
          labels: tuple[str, str] | None = None) -> list[Problem]:
    """Characters, presence and length of a text field."""
    zh, en = labels or LABELS[field_name]
    problem = _characters(field_name, value, zh, en) or _presence(field_name, value, zh, en, required)
    limit = limit or LIMITS[field_name]
    if problem is None and len(value) > limit:
        problem = Problem(field_name, "too_long", f"{zh}最多{limit}个字（现在{len(value)}个）",
                          f"{_cap(en)} can be at most {limit} characters long (it has {len(value)})")
    return [problem] if problem else []


def _presence(field_name: str, value: str, zh: str, en: str, required: bool) -> Problem | None:
    if required and not value:
        return Problem(field_name, "required", f"请填写{zh}", f"Please fill in {en}")
    return None


def _items(items: tuple[tuple[str, int], ...], max_items: int = MAX_ITEMS) -> list[Problem]:
    if not items:
        return [Problem("items", "no_items", "订单里还没有苗木，请先选购", "The order has no seedlings in it")]
    if len(items) > max_items:
        return [Problem("items", "too_many_items", f"一张订单最多{max_items}行（现在{len(items)}行），请分开下单",
                        f"An order can have at most {max_items} lines (this one has {len(items)}); split it")]
    problems = []
    for index, (sku, quantity) in enumerate(items):
        labels = (f"第{index + 1}行的货号", f"the SKU on line {index + 1}")
        problems += _text(f"items[{index}].sku", sku, required=True, limit=SKU_LIMIT, labels=labels)
        if not 1 <= quantity <= MAX_QUANTITY:
            problems.append(Problem(f"items[{index}].quantity", "bad_quantity",
                                    f"第{index + 1}行的数量须在 1 到 {MAX_QUANTITY} 株之间",
                                    f"The quantity on line {index + 1} must be from 1 to {MAX_QUANTITY} plants"))
    return problems


def _phone(phone: str) -> list[Problem]:
    """Clean, present and a mainland mobile number in ASCII digits (the pattern also bounds the length)."""
    zh, en = LABELS["phone"]
    problem = _characters("phone", phone, zh, en) or _presence("phone", phone, zh, en, True)
    if problem is None and not methods.is_mobile(phone):
        problem = Problem("phone", "bad_phone", "请填写11位手机号，如 13800000000",
                          "Please enter an 11-digit mobile number, e.g. 13800000000")
    return [problem] if problem else []


def _method(method: str) -> list[Problem]:
    if method in methods.SHIPPING_METHODS:
        return []
    zh = "、".join(methods.shipping_label(m) for m in methods.SHIPPING_METHODS)
    en = ", ".join(methods.shipping_label(m, "en") for m in methods.SHIPPING_METHODS)
    return [Problem("method", "bad_shipping_method", f"请选择发货方式：{zh}", f"Please choose a shipping method: {en}")]


def _place(req: OrderRequest, pickup: bool) -> list[Problem]:
    """Province, city, district and street: a real place for a delivery; for pickup only clean, if given."""
    problems: list[Problem] = []
    for name in ("province", "city", "district"):
        value = getattr(req, name)
        found = _text(name, value)
        if not found and not pickup and not _exists(name, req) and (not value or not problems):
            found = [_not_a_place(name, value)]  # a part inside a wrong one cannot be judged: only if missing
        problems += found
    return problems + (_text("address", req.address) or ([] if pickup else _street(req.address)))


def _exists(name: str, req: OrderRequest) -> bool:
    """The part of the place is in shop.regions, inside the part before it."""
    if name == "province":
        return req.province in regions.tree()
    if name == "city":
        return req.city in regions.cities(req.province)
    return regions.valid(req.province, req.city, req.district)


def _not_a_place(name: str, value: str) -> Problem:
    zh, en = LABELS[name]
    return Problem(name, "bad_address" if value else "required", f"请选择{zh}", f"Please choose {en} from the list")


def _street(address: str) -> list[Problem]:
    if not address:
        return [Problem("address", "required", "请填写详细地址", "Please fill in the street address")]
    if len(address) < MIN_ADDRESS:
        return [Problem("address", "too_short", f"详细地址至少{MIN_ADDRESS}个字，请写到街道、门牌",
                        f"The street address needs at least {MIN_ADDRESS} characters: street and number")]
    return []


def _payment(payment_method: str, offered: tuple[str, ...]) -> list[Problem]:
    if payment_method in offered:
        return []
    listed = [m for m in offered if m != "credit"] or list(offered)  # 账期 is a dealer's, not a general choice
    zh = "、".join(methods.payment_label(m) for m in listed)
    en = ", ".join(methods.payment_label(m, "en") for m in listed)
    if payment_method in methods.PAYMENT_METHODS:
        return [Problem("payment_method", "payment_unavailable",
                        f"暂不能使用{methods.payment_label(payment_method)}，请选择：{zh}",
                        f"{methods.payment_label(payment_method, 'en')} is not available now; choose: {en}")]
    return [Problem("payment_method", "bad_payment_method", f"请选择付款方式：{zh}",
                    f"Please choose a payment method: {en}")]


def _timing(timing: str) -> list[Problem]:
    """Empty (reserve, if the destination is out of season), reserve or now (SPEC "Seasons")."""
    if not timing or timing in TIMINGS:
        return []
    return [Problem("timing", "bad_timing", "发货时间请选择：预约发货（reserve）或立即发货（now）",
                    "Choose when to ship: reserve (when the planting season opens) or now")]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
