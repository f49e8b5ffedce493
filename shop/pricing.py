"""The pricing rules (SPEC "Pricing rules"): the one place that computes subtotal, discount, shipping and total.

Cart, checkout, API, orders and contracts all call `price_order`; everything is integer fen.
"以上" and "起" include the number itself: exactly ¥200.00 ships, exactly ¥1,000.00 ships post free.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from shop.money import format_money, percent_half_up
from shop.shipping import RateTable, packaging_weight_g

METHODS = ("post", "express", "freight", "pickup")
NEEDS_PROVINCE = ("post", "express", "freight")
HAS_MINIMUM = ("post", "express")


@dataclass(frozen=True)
class Rules:
    """The numbers behind the rules; the app builds one from its config."""

    bulk_min_plants: int = 1000
    post_min_fen: int = 20000  # 200元起邮 (post and express)
    free_post_fen: int = 100000  # 千元以上免邮 (post only)
    discount_percent: int = 30  # 批量及代理商价格优惠30%
    freight_min_goods_fen: int = 100000  # 物流托运: goods_total ≥ this OR weight ≥ freight_min_weight_g
    freight_min_weight_g: int = 20000
    dispatch_days: int = 2  # 款到两日内发货: dispatch within this many days of payment

    def discount_label(self, lang: str = "zh") -> str:
        """The discount as the ad says it: 30 → "7折" (75 % paid → "7.5折"); in English "30% off"."""
        if lang == "en":
            return f"{self.discount_percent}% off"
        paid_tenths = (Decimal(100) - Decimal(self.discount_percent)) / 10
        return f"{paid_tenths.normalize():f}折"

    def dispatch_within(self, lang: str = "zh") -> str:
        """The dispatch promise's period in words: 2 → "两日" / "2 days"."""
        if lang == "en":
            return f"{self.dispatch_days} day{'s' if self.dispatch_days != 1 else ''}"
        return f"{_CN_DAYS.get(self.dispatch_days, str(self.dispatch_days))}日"

    def dispatch_deadline(self, paid_at: datetime) -> datetime:
        """The latest dispatch for an order paid (or, on credit, placed) at paid_at (款到两日内发货)."""
        return paid_at + timedelta(days=self.dispatch_days)


_CN_DAYS = {1: "一", 2: "两", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九", 10: "十"}
_CN_ROUND_YUAN = {100: "百元", 1000: "千元", 10000: "万元"}  # as in 千元以上免邮


def ad_yuan(fen: int, lang: str = "zh", *, in_words: bool = False) -> str:
    """An amount as the ad writes it: 20000 → "200元" (English "¥200"); in_words: 100000 → "千元"."""
    yuan, cents = divmod(int(fen), 100)
    decimals = f".{cents:02d}" if cents else ""
    if lang == "en":
        return f"¥{yuan:,}{decimals}"
    if in_words and not cents and yuan in _CN_ROUND_YUAN:
        return _CN_ROUND_YUAN[yuan]
    return f"{yuan}{decimals}元"


@dataclass(frozen=True)
class LineInput:
    """One cart line as the catalog knows it; unit_price_fen None means 询价 (price on request)."""

    sku: str
    unit_price_fen: int | None
    quantity: int
    weight_g: int
    available: int | None = None  # None = stock not checked


@dataclass(frozen=True)
class Problem:
    """Why an order cannot be placed: a stable code and a message in Chinese and English."""

    code: str
    zh: str
    en: str


@dataclass(frozen=True)
class PricedLine:
    """A line that counts towards the order, with its amount."""

    sku: str
    unit_price_fen: int
    quantity: int
    amount_fen: int
    weight_g: int  # per plant


@dataclass(frozen=True)
class Quote:
    """The priced order; `problems` empty means it can be ordered."""

    lines: tuple[PricedLine, ...]
    subtotal: int
    discount: int
    discount_reason: str | None  # "dealer" | "bulk" | None
    goods_total: int
    shipping_method: str
    shipping_fee: int  # 0 for freight (运费到付), pickup, and post at ≥ ¥1,000.00
    shipping_collect: bool  # True for freight: the buyer pays the carrier on delivery
    total: int
    plants: int
    weight_g: int  # plants plus packaging
    problems: tuple[Problem, ...]
    missing_for_minimum: int = 0  # fen still needed for 200元起邮 (post/express only)
    missing_for_free_post: int = 0  # fen of goods_total still needed for free post (post only)
    plants_to_bulk: int = 0  # plants still needed for the bulk 7折 (0 for dealers)

    @property
    def can_order(self) -> bool:
        """True when nothing stops the order."""
        return not self.problems


def _kg(grams: int) -> str:
    """20000 → "20", 12500 → "12.5"."""
    whole, rest = divmod(grams, 1000)
    return str(whole) if not rest else f"{whole}.{rest:03d}".rstrip("0")


def _line_problems(line: LineInput) -> list[Problem]:
    if line.quantity < 1:
        return [Problem("bad_quantity", f"{line.sku} 的数量至少为 1 株（现为 {line.quantity}）",
                        f"The quantity of {line.sku} must be at least 1 (it is {line.quantity})")]
    if line.unit_price_fen is None:
        return [Problem("quote_only", f"{line.sku} 为询价苗木，不能直接下单，请提交询价",
                        f"{line.sku} is priced on request and cannot be ordered from the cart; ask for a quote")]
    if line.available is not None and line.available < line.quantity:
        available = max(0, line.available)
        return [Problem("insufficient_stock", f"{line.sku} 库存不足：需要 {line.quantity} 株，现有 {available} 株",
                        f"Not enough {line.sku} in stock: {line.quantity} wanted, {available} available")]
    return []


def _shipping(method: str, province: str | None, goods_total: int, weight_g: int, rates: RateTable,
              rules: Rules) -> tuple[int, bool, list[Problem]]:
    """(fee, collect on delivery, problems) for the shipping method."""
    if method not in METHODS:
        return 0, False, [Problem("unknown_method", f"没有“{method}”这种发货方式（可选：邮寄、特快专递、物流托运、自提）",
                                  f"Unknown shipping method {method!r} (choose post, express, freight or pickup)")]
    problems = []
    known = bool(province) and province in rates
    if method in NEEDS_PROVINCE and not known:
        problems.append(Problem("unknown_province", "请选择收货省份" if not province else f"无法发往“{province}”，请从列表中选择省份",
                                "Choose the province to ship to" if not province
                                else f"We cannot ship to {province!r}; choose a province from the list"))
    if method in HAS_MINIMUM and goods_total < rules.post_min_fen:
        missing = rules.post_min_fen - goods_total
        problems.append(Problem(
            "below_minimum",
            f"还差 {format_money(missing)} 起邮（邮寄和特快专递货款满 {format_money(rules.post_min_fen)} 起发）",
            f"Add {format_money(missing)} more: post and express need goods of at least {format_money(rules.post_min_fen)}",
        ))
    if method == "freight":
        if goods_total < rules.freight_min_goods_fen and weight_g < rules.freight_min_weight_g:
            problems.append(Problem(
                "freight_too_small",
                f"物流托运须货款满 {format_money(rules.freight_min_goods_fen)} 或重量满 {_kg(rules.freight_min_weight_g)} 公斤，"
                "小件请选邮寄或特快专递",
                f"Freight needs goods of at least {format_money(rules.freight_min_goods_fen)} or a weight of at least "
                f"{_kg(rules.freight_min_weight_g)} kg; send smaller orders by post or express",
            ))
        return 0, True, problems
    if method == "pickup" or not known:
        return 0, False, problems
    if method == "post" and goods_total >= rules.free_post_fen:
        return 0, False, problems
    return rates.fee(method, province, weight_g), False, problems


def price_order(lines: Sequence[LineInput], *, method: str, province: str | None, rates: RateTable,
                rules: Rules = Rules(), dealer: bool = False) -> Quote:
    """Price the lines for a shipping method and destination under the rules (SPEC "Pricing rules")."""
    problems: list[Problem] = []
    if not lines:
        problems.append(Problem("empty_cart", "购物车是空的", "Your cart is empty"))
    priced = []
    for line in lines:
        if line.unit_price_fen is not None and line.unit_price_fen < 0:
            raise ValueError(f"{line.sku}: unit price must not be negative")
        if line.weight_g < 0:
            raise ValueError(f"{line.sku}: weight must not be negative")
        line_problems = _line_problems(line)
        problems.extend(line_problems)
        if line.quantity >= 1 and line.unit_price_fen is not None:
            priced.append(PricedLine(line.sku, line.unit_price_fen, line.quantity,
                                     line.unit_price_fen * line.quantity, line.weight_g))
    subtotal = sum(p.amount_fen for p in priced)
    plants = sum(p.quantity for p in priced)
    reason = "dealer" if dealer else "bulk" if plants >= rules.bulk_min_plants else None
    discount = percent_half_up(subtotal, rules.discount_percent, 100) if reason else 0
    if discount == 0:
        reason = None  # a reason only ever explains a discount
    goods_total = subtotal - discount
    weight_g = sum(p.quantity * p.weight_g for p in priced) + packaging_weight_g(plants)
    fee, collect, shipping_problems = _shipping(method, province, goods_total, weight_g, rates, rules)
    problems.extend(shipping_problems)
    return Quote(
        lines=tuple(priced), subtotal=subtotal, discount=discount, discount_reason=reason, goods_total=goods_total,
        shipping_method=method, shipping_fee=fee, shipping_collect=collect, total=goods_total + fee,
        plants=plants, weight_g=weight_g, problems=tuple(problems),
        missing_for_minimum=max(0, rules.post_min_fen - goods_total) if method in HAS_MINIMUM else 0,
        missing_for_free_post=max(0, rules.free_post_fen - goods_total) if method == "post" else 0,
        plants_to_bulk=0 if dealer else max(0, rules.bulk_min_plants - plants),
    )


def allocate(amounts: list[int], total: int) -> list[int]:
    """Split total over the amounts in proportion, by largest remainder, so the parts add up to total exactly."""
    if total < 0 or any(a < 0 for a in amounts):
        raise ValueError("allocate takes non-negative amounts and total")
    whole = sum(amounts)
    if whole == 0:
        if total == 0:
            return [0] * len(amounts)
        raise ValueError("cannot allocate a positive total over amounts that are all zero")
    parts = [a * total // whole for a in amounts]
    remainders = [a * total % whole for a in amounts]
    left = total - sum(parts)
    # Biggest remainders get the leftover fen; ties go to the earlier line so the split is stable.
    for i in sorted(range(len(amounts)), key=lambda i: (-remainders[i], i))[:left]:
        parts[i] += 1
    return parts
