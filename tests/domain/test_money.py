"""Money: yuan text in, integer fen inside, "1234.50" and "¥1,234.50" out."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shop.money import format_money, format_yuan, parse_yuan, percent_half_up


@pytest.mark.parametrize(("text", "fen"), [
    ("12", 1200), ("12.5", 1250), ("12.50", 1250), ("0.01", 1), ("0", 0), ("¥1,234.50", 123450),
    ("￥1234.5", 123450), (" 3.5元 ", 350), ("1,000,000", 100000000), ("12.500", 1250), ("007", 700),
])
def test_parse_yuan_reads_what_people_write(text, fen):
    assert parse_yuan(text) == fen


@pytest.mark.parametrize(("text", "words"), [
    ("12.345", "two decimals"), ("0.001", "two decimals"), ("-1", "negative"), ("¥-1.00", "negative"),
    ("NaN", "not an amount"), ("inf", "not an amount"), ("1e3", "not an amount"), ("", "empty"),
    ("¥", "empty"), ("12.", "not an amount"), (".5", "not an amount"), ("1,23.00", "not an amount"),
    ("12,34", "not an amount"), ("1.2.3", "not an amount"), ("十二", "not an amount"), ("1" * 50, "too long"),
    ("9" * 30, "too large"),
])
def test_parse_yuan_refuses_what_is_not_money(text, words):
    with pytest.raises(ValueError, match=words):
        parse_yuan(text)


def test_formatting():
    assert format_yuan(123450) == "1234.50"
    assert format_yuan(5) == "0.05"
    assert format_yuan(0) == "0.00"
    assert format_money(123450) == "¥1,234.50"
    assert format_money(100000000) == "¥1,000,000.00"
    assert format_money(99) == "¥0.99"
    assert format_money(-150) == "-¥1.50"


@pytest.mark.parametrize(("fen", "expected"), [(0, 0), (1, 0), (5, 2), (15, 5), (142856, 42857), (142857, 42857),
                                               (100, 30), (3, 1), (45, 14)])
def test_thirty_percent_half_up(fen, expected):
    # 5 × 0.3 = 1.5 → 2, 15 × 0.3 = 4.5 → 5, 45 × 0.3 = 13.5 → 14 (half up, not to even)
    assert percent_half_up(fen, 30, 100) == expected


def test_percent_half_up_refuses_nonsense():
    with pytest.raises(ValueError):
        percent_half_up(-1, 30, 100)
    with pytest.raises(ValueError):
        percent_half_up(1, 30, 0)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**13))
def test_format_and_parse_round_trip(fen):
    assert parse_yuan(format_yuan(fen)) == fen
    assert parse_yuan(format_money(fen)) == fen


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=100),
       st.integers(min_value=1, max_value=1000))
def test_percent_half_up_matches_decimal(fen, numerator, denominator):
    from decimal import ROUND_HALF_UP, Decimal

    exact = Decimal(fen) * numerator / denominator
    assert percent_half_up(fen, numerator, denominator) == int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
