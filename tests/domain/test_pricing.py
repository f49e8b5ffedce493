"""The pricing rules at their boundaries, plus properties that hold for any cart."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shop.money import percent_half_up
from shop.pricing import METHODS, LineInput, Rules, allocate, price_order
from shop.shipping import PROVINCES, load_rates, packaging_weight_g

RATES = load_rates(Path(__file__).resolve().parents[2] / "shipping_rates.csv")


def item(price_fen, quantity, weight_g=0, sku="8518-1", available=None):
    return LineInput(sku=sku, unit_price_fen=price_fen, quantity=quantity, weight_g=weight_g, available=available)


def quote(lines, method="post", province="山东省", **kwargs):
    return price_order(lines, method=method, province=province, rates=RATES, **kwargs)


def codes(q):
    return [p.code for p in q.problems]


# ---- subtotal and the 30% discount


def test_subtotal_is_price_times_quantity_without_discount_below_1000_plants():
    q = quote([item(150, 600, sku="A"), item(280, 399, sku="B")])
    assert q.subtotal == 150 * 600 + 280 * 399
    assert q.plants == 999
    assert (q.discount, q.discount_reason, q.goods_total) == (0, None, q.subtotal)
    assert q.plants_to_bulk == 1
    assert [line.amount_fen for line in q.lines] == [90000, 111720]


def test_1000_plants_get_the_bulk_discount_of_30_percent():
    q = quote([item(150, 600, sku="A"), item(280, 400, sku="B")])
    assert q.plants == 1000
    assert q.subtotal == 202000
    assert (q.discount, q.discount_reason, q.goods_total) == (60600, "bulk", 141400)
    assert q.plants_to_bulk == 0


def test_a_dealer_always_gets_30_percent_and_never_more():
    few = quote([item(1000, 10)], dealer=True)
    assert (few.discount, few.discount_reason, few.goods_total) == (3000, "dealer", 7000)
    assert few.plants_to_bulk == 0
    many = quote([item(100, 5000)], dealer=True)
    assert (many.discount, many.discount_reason) == (150000, "dealer")  # not bulk on top


def test_discount_is_rounded_half_up_once_on_the_subtotal_not_per_line():
    # each line alone: 30% of 5 fen = 1.5 → 2, three lines would make 6; on the subtotal 15 → 4.5 → 5
    q = quote([item(5, 1, sku="A"), item(5, 1, sku="B"), item(5, 1, sku="C")], dealer=True)
    assert q.discount == 5
    assert q.goods_total == 10


def test_bulk_threshold_follows_the_rules():
    q = quote([item(100, 500)], rules=Rules(bulk_min_plants=500))
    assert q.discount_reason == "bulk"
    assert quote([item(100, 499)], rules=Rules(bulk_min_plants=500)).plants_to_bulk == 1


# ---- 200元起邮: post and express


@pytest.mark.parametrize("method", ["post", "express"])
def test_goods_of_199_99_are_below_the_minimum_and_200_00_is_enough(method):
    short = quote([item(19999, 1)], method=method)
    assert codes(short) == ["below_minimum"]
    assert short.missing_for_minimum == 1
    assert "还差 ¥0.01 起邮" in short.problems[0].zh
    assert "¥0.01" in short.problems[0].en
    assert not short.can_order
    enough = quote([item(20000, 1)], method=method)
    assert enough.problems == ()
    assert enough.can_order
    assert enough.missing_for_minimum == 0


def test_minimum_counts_goods_after_the_discount():
    q = quote([item(28571, 1)], dealer=True)  # 285.71 − 85.71 = 200.00
    assert q.goods_total == 20000
    assert q.can_order
    q = quote([item(28570, 1)], dealer=True)  # 285.70 − 85.71 = 199.99
    assert q.goods_total == 19999
    assert codes(q) == ["below_minimum"]


def test_pickup_has_no_minimum_and_no_fee_and_needs_no_province():
    q = quote([item(50, 1)], method="pickup", province=None)
    assert q.can_order
    assert (q.shipping_fee, q.shipping_collect, q.total, q.missing_for_minimum) == (0, False, 50, 0)


# ---- 千元以上免邮: post only, on goods_total after the discount


@pytest.mark.parametrize(("lines", "dealer"), [
    ([item(142856, 1)], True),
    ([item(142, 1000, sku="A"), item(856, 1, sku="B")], False),  # 1001 plants: bulk
])
def test_goods_of_999_99_after_the_discount_pay_post(lines, dealer):
    q = quote(lines, dealer=dealer)
    assert q.subtotal == 142856
    assert q.discount == 42857  # 42856.8 rounds up
    assert q.goods_total == 99999
    assert q.shipping_fee == RATES.fee("post", "山东省", q.weight_g) > 0
    assert q.total == 99999 + q.shipping_fee
    assert q.missing_for_free_post == 1


@pytest.mark.parametrize(("lines", "dealer"), [
    ([item(142857, 1)], True),
    ([item(142, 1000, sku="A"), item(857, 1, sku="B")], False),
])
def test_goods_of_exactly_1000_00_after_the_discount_ship_post_free(lines, dealer):
    q = quote(lines, dealer=dealer)
    assert q.subtotal == 142857
    assert q.discount == 42857  # 42857.1 rounds down
    assert q.goods_total == 100000
    assert (q.shipping_fee, q.total, q.missing_for_free_post) == (0, 100000, 0)


def test_express_is_charged_even_above_1000():
    q = quote([item(200000, 1)], method="express", province="新疆维吾尔自治区")
    assert q.shipping_fee == RATES.fee("express", "新疆维吾尔自治区", q.weight_g) > 0
    assert q.total == 200000 + q.shipping_fee
    assert q.missing_for_free_post == 0


def test_weight_is_plants_plus_packaging_and_drives_the_fee():
    q = quote([item(100, 300, weight_g=40)])
    assert q.weight_g == 300 * 40 + packaging_weight_g(300) == 12650
    assert q.shipping_fee == 800 + 12 * 200  # first kg, then 12 started kg at ¥2
    assert quote([item(100, 300, weight_g=40)], province="西藏自治区").shipping_fee > q.shipping_fee


# ---- 物流托运: freight


def test_freight_needs_goods_of_1000():
    small = quote([item(99999, 1)], method="freight")
    assert codes(small) == ["freight_too_small"]
    assert "¥1,000.00" in small.problems[0].zh and "20 公斤" in small.problems[0].zh
    big = quote([item(100000, 1)], method="freight")
    assert big.can_order
    assert (big.shipping_fee, big.shipping_collect, big.total) == (0, True, 100000)


def test_freight_or_a_weight_of_20_kg():
    # one plant: packaging is 550 g
    assert codes(quote([item(20000, 1, weight_g=19449)], method="freight")) == ["freight_too_small"]
    heavy = quote([item(20000, 1, weight_g=19450)], method="freight")
    assert heavy.weight_g == 20000
    assert heavy.can_order
    assert heavy.shipping_collect


# ---- everything else that stops an order


@pytest.mark.parametrize("method", ["post", "express", "freight"])
@pytest.mark.parametrize("province", [None, "", "山东", "火星"])
def test_shipping_needs_a_province_from_the_table(method, province):
    q = quote([item(200000, 1)], method=method, province=province)
    assert codes(q) == ["unknown_province"]
    assert q.shipping_fee == 0


def test_unknown_method():
    q = quote([item(200000, 1)], method="drone")
    assert codes(q) == ["unknown_method"]
    assert "drone" in q.problems[0].en
    assert (q.shipping_fee, q.total) == (0, 200000)


def test_empty_cart():
    q = quote([], method="pickup")
    assert codes(q) == ["empty_cart"]
    assert (q.subtotal, q.total, q.plants, q.weight_g) == (0, 0, 0, 0)


def test_insufficient_stock_names_the_sku_and_still_prices_it():
    q = quote([item(300, 100, sku="HT-8518-1", available=99), item(300, 100, sku="PT-1", available=100)])
    assert codes(q) == ["insufficient_stock"]
    assert "HT-8518-1" in q.problems[0].zh and "HT-8518-1" in q.problems[0].en
    assert "99" in q.problems[0].zh
    assert q.subtotal == 60000


def test_quote_only_lines_are_not_sold():
    q = quote([item(None, 50, sku="JYH-1"), item(30000, 1, sku="A")])
    assert codes(q) == ["quote_only"]
    assert "JYH-1" in q.problems[0].zh
    assert [line.sku for line in q.lines] == ["A"]
    assert q.subtotal == 30000


@pytest.mark.parametrize("quantity", [0, -5])
def test_bad_quantity_never_makes_a_negative_amount(quantity):
    q = quote([item(30000, quantity, sku="B"), item(30000, 1, sku="A")])
    assert codes(q) == ["bad_quantity"]
    assert "B" in q.problems[0].en
    assert q.subtotal == 30000
    assert q.plants == 1


def test_problems_have_both_languages():
    q = quote([item(None, 1, sku="X"), item(100, 0, sku="Y")], method="post", province=None)
    assert set(codes(q)) == {"quote_only", "bad_quantity", "unknown_province", "below_minimum"}
    for problem in q.problems:
        assert problem.zh and problem.en and problem.zh != problem.en


# ---- allocate: Stripe line items that add up exactly


def test_allocate_examples():
    assert allocate([100, 200, 300], 420) == [70, 140, 210]
    assert allocate([1, 1, 1], 2) == [1, 1, 0]
    assert allocate([1, 2], 0) == [0, 0]
    assert allocate([0, 0], 0) == [0, 0]
    assert allocate([142000, 856], 99999) == [99400, 599]
    with pytest.raises(ValueError):
        allocate([0, 0], 5)
    with pytest.raises(ValueError):
        allocate([1, -1], 0)


# ---- properties

lines_strategy = st.lists(
    st.builds(
        LineInput,
        sku=st.sampled_from(["A", "B", "C", "D"]),
        unit_price_fen=st.one_of(st.none(), st.integers(min_value=1, max_value=300000)),
        quantity=st.integers(min_value=-2, max_value=3000),
        weight_g=st.integers(min_value=0, max_value=3000),
        available=st.one_of(st.none(), st.integers(min_value=0, max_value=5000)),
    ),
    max_size=6,
)
methods = st.sampled_from([*METHODS, "drone"])
provinces = st.one_of(st.sampled_from(PROVINCES), st.sampled_from([None, "", "火星"]))


@settings(max_examples=200, deadline=None)
@given(lines_strategy, methods, provinces, st.booleans())
def test_pricing_properties(lines, method, province, dealer):
    q = price_order(lines, method=method, province=province, rates=RATES, dealer=dealer)
    rules = Rules()
    assert q.total == q.goods_total + q.shipping_fee
    assert q.subtotal == sum(line.amount_fen for line in q.lines)
    assert q.goods_total == q.subtotal - q.discount
    full = percent_half_up(q.subtotal, 30, 100)
    assert q.discount in {0, full}
    assert q.discount == (full if dealer or q.plants >= rules.bulk_min_plants else 0)
    for amount in (q.subtotal, q.discount, q.goods_total, q.shipping_fee, q.total, q.plants, q.weight_g,
                   q.missing_for_minimum, q.missing_for_free_post, q.plants_to_bulk):
        assert amount >= 0
    assert all(line.amount_fen >= 0 and line.quantity >= 1 for line in q.lines)
    assert ("below_minimum" in codes(q)) == (method in ("post", "express") and q.goods_total < rules.post_min_fen)
    if method == "post" and province in PROVINCES:
        assert (q.shipping_fee == 0) == (q.goods_total >= rules.free_post_fen)
    if method in ("freight", "pickup") or method not in METHODS:
        assert q.shipping_fee == 0
    assert q.shipping_collect == (method == "freight")
    assert q.can_order == (not q.problems)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=10**8), min_size=1, max_size=20), st.data())
def test_allocate_properties(amounts, data):
    whole = sum(amounts)
    total = data.draw(st.integers(min_value=0, max_value=whole * 2 if whole else 0))
    parts = allocate(amounts, total)
    assert sum(parts) == total
    assert len(parts) == len(amounts)
    assert all(part >= 0 for part in parts)
    if whole:
        assert all(abs(part * whole - a * total) < whole for part, a in zip(parts, amounts, strict=True))
        if total <= whole:
            assert all(part <= a for part, a in zip(parts, amounts, strict=True))
