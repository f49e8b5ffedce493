"""The planting plan's arithmetic (shop/planner/plan.py): exact 亩, ceilings that always round up, the split."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shop.planner import plan
from shop.planner.plan import PlanError, area_m2, count


def counts(area, unit="mu", row="4", plant_="3", ratio=None, buffer="5"):
    return count(area_m2(Decimal(str(area)), unit), plan.spacing(Decimal(row), "row_spacing_m"),
                 plan.spacing(Decimal(plant_), "plant_spacing_m"), ratio=ratio, buffer_percent=plan.buffer(Decimal(buffer)))


def code_of(call) -> str:
    with pytest.raises(PlanError) as caught:
        call()
    return caught.value.code


# --- 1 亩 = 10000/15 m², exactly -----------------------------------------------------------------------------------


def test_one_mu_is_exactly_ten_thousand_fifteenths_of_a_square_metre():
    assert area_m2(1, "mu") == Fraction(10000, 15) == Fraction(2000, 3)
    assert area_m2(15, "mu") == 10000  # 15 亩 = 1 公顷 exactly, no 666.67 × 15 = 10000.05
    assert area_m2(Decimal("1.5"), "mu") == 1000
    assert area_m2(Decimal("0.3"), "mu") == 200  # a float would make 0.3 × 10000 / 15 = 199.99999999999997
    assert area_m2(Decimal("666.67"), "m2") == Fraction(66667, 100)
    assert plan.area_text(area_m2(10, "mu")) == "6666.67"


def test_ten_mu_of_kiwi_at_four_by_three_metres():
    c = counts(10, ratio=8)
    assert c.positions == 556  # 6666.67 / 12 = 555.56 → 556
    assert (c.pollinizers_planted, c.main_planted) == (62, 494)  # 556 / 9 = 61.8 → 62 males
    assert (c.main_spare, c.pollinizers_spare) == (25, 4)  # 494 × 5% = 24.7 → 25; 62 × 5% = 3.1 → 4
    assert (c.main, c.pollinizers, c.trees) == (519, 66, 585)


def test_a_self_fertile_variety_has_no_pollinizers():
    c = counts(1, row="2.5", plant_="1", ratio=None)
    assert c.positions == 267  # 666.67 / 2.5 = 266.67 → 267
    assert (c.pollinizers_planted, c.pollinizers_spare) == (0, 0)
    assert (c.main_planted, c.main_spare, c.trees) == (267, 14, 281)  # 13.35 → 14


def test_exact_quotients_are_not_rounded_up_and_anything_over_is():
    assert counts(12, "m2", ratio=None, buffer="0").positions == 1
    assert counts("12.0001", "m2", ratio=None, buffer="0").positions == 2
    assert counts(15, ratio=None, buffer="0").positions == 834  # 10000 / 12 = 833.3
    # 2.1 亩 at 0.7 × 0.8 m is exactly 2500 plants; in floats it is 2500.0000000000005 and one plant too many
    assert counts("2.1", row="0.7", plant_="0.8", buffer="0").positions == 2500
    assert math.ceil(2.1 * 10000 / 15 / (0.7 * 0.8)) == 2501  # what float arithmetic would have ordered


def test_the_buffer_is_added_to_each_count_after_the_split_and_rounded_up():
    c = counts(10, ratio=8, buffer="10")
    assert (c.main_spare, c.pollinizers_spare) == (50, 7)  # 49.4 → 50, 6.2 → 7
    whole = counts(10, ratio=8, buffer="0")
    assert (whole.main_spare, whole.pollinizers_spare, whole.trees) == (0, 0, 556)
    assert plan.with_buffer(1, Fraction(1, 100)) == 1  # a single tree still gets one spare at 0.01%


# --- properties ---------------------------------------------------------------------------------------------------

decimals = st.decimals(min_value=Decimal("0.1"), max_value=Decimal("20"), places=2)


@settings(max_examples=300, deadline=None)
@given(area=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500"), places=2),
       unit=st.sampled_from(plan.UNITS), row=decimals, plant_=decimals,
       ratio=st.one_of(st.none(), st.integers(min_value=1, max_value=plan.MAX_RATIO)),
       buffer=st.decimals(min_value=Decimal("0"), max_value=Decimal("50"), places=2))
def test_any_plan_adds_up_and_every_ceiling_rounds_up(area, unit, row, plant_, ratio, buffer):
    field = area_m2(area, unit)
    footprint = Fraction(row) * Fraction(plant_)
    if footprint > field:
        with pytest.raises(PlanError) as caught:
            count(field, Fraction(row), Fraction(plant_), ratio=ratio, buffer_percent=Fraction(buffer))
        assert caught.value.code == "spacing_exceeds_area"
        return
    try:
        c = count(field, Fraction(row), Fraction(plant_), ratio=ratio, buffer_percent=Fraction(buffer))
    except PlanError as err:  # only when the field really needs more plants than an order line holds
        assert err.code == "too_many_trees" and math.ceil(field / footprint) > plan.MAX_TREES / 2
        return
    assert c.main + c.pollinizers == c.trees  # the property
    assert c.main_planted + c.pollinizers_planted == c.positions
    # positions: the least number of trees whose squares cover the field
    assert c.positions * footprint >= field > (c.positions - 1) * footprint
    if ratio is None:
        assert c.pollinizers == 0
    else:  # the least number of pollinizers with at most `ratio` main trees to each
        assert c.pollinizers_planted * (ratio + 1) >= c.positions > (c.pollinizers_planted - 1) * (ratio + 1)
        assert c.main_planted <= ratio * c.pollinizers_planted
    for planted, spare in ((c.main_planted, c.main_spare), (c.pollinizers_planted, c.pollinizers_spare)):
        wanted = planted * Fraction(buffer) / 100
        assert spare >= wanted > spare - 1  # rounded up, never down, never more than one too many


# --- input that cannot make a plan ----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["0", "-1", "0.09", "20.01", "1e3"])
def test_zero_negative_tiny_or_huge_spacing_is_refused(value):
    assert code_of(lambda: plan.spacing(Decimal(value), "row_spacing_m")) == "bad_spacing"


def test_spacing_messages_say_the_allowed_range_in_both_languages():
    with pytest.raises(PlanError) as caught:
        plan.spacing(Decimal("0"), "plant_spacing_m")
    assert caught.value.field == "plant_spacing_m"
    assert caught.value.message("zh") == "株距须在 0.1 到 20 米之间"
    assert caught.value.message("en") == "The plant spacing must be from 0.1 to 20 m"


def test_a_spacing_larger_than_the_field_is_refused():
    field = area_m2(Decimal("10"), "m2")
    with pytest.raises(PlanError) as caught:
        count(field, Fraction(4), Fraction(3), ratio=None, buffer_percent=Fraction(5))
    assert caught.value.code == "spacing_exceeds_area"
    assert "12.00" in caught.value.zh and "10.00" in caught.value.zh


@pytest.mark.parametrize(("area", "unit"), [("0", "mu"), ("-3", "mu"), ("10000.0001", "mu"), ("6666667", "m2"),
                                            ("1.00001", "mu"), ("NaN", "mu"), ("Infinity", "m2")])
def test_absurd_areas_are_refused(area, unit):
    assert code_of(lambda: area_m2(Decimal(area), unit)) == "bad_area"


def test_the_largest_area_is_ten_thousand_mu():
    assert area_m2(plan.MAX_MU, "mu") == plan.MAX_AREA_M2
    assert area_m2(Decimal("6666666"), "m2") < plan.MAX_AREA_M2


def test_an_unknown_unit_is_refused():
    assert code_of(lambda: area_m2(Decimal(1), "hectare")) == "bad_unit"


@pytest.mark.parametrize("value", ["-1", "50.01"])
def test_a_buffer_outside_0_to_50_percent_is_refused(value):
    assert code_of(lambda: plan.buffer(Decimal(value))) == "bad_buffer"


def test_floats_are_never_taken():
    with pytest.raises(TypeError):
        area_m2(0.3, "mu")
    with pytest.raises(TypeError):
        plan.spacing(2.5, "row_spacing_m")


def test_a_plan_bigger_than_an_order_line_is_refused():
    field = area_m2(plan.MAX_MU, "mu")
    with pytest.raises(PlanError) as caught:
        count(field, Fraction(1, 10), Fraction(1, 10), ratio=None, buffer_percent=Fraction(5))
    assert caught.value.code == "too_many_trees"
