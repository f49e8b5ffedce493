"""Amounts in capitals (大写金额) by the PBOC rules, and reading them back."""

import random

import pytest

from shop.contracts.capitals import amount_in_capitals, parse_capitals

EXAMPLES = [
    (140950, "人民币壹仟肆佰零玖元伍角"),
    (1600, "人民币壹拾陆元整"),
    (105000, "人民币壹仟零伍拾元整"),
    (5, "人民币伍分"),
    (10000001, "人民币壹拾万元零壹分"),
    (100050000, "人民币壹佰万零伍佰元整"),
    (0, "人民币零元整"),
    (50, "人民币伍角"),
    (100000, "人民币壹仟元整"),
    (1010, "人民币壹拾元壹角"),
    (123, "人民币壹元贰角叁分"),
    (10700053, "人民币壹拾万柒仟元伍角叁分"),
    (100000100, "人民币壹佰万零壹元整"),
    (1000000000000, "人民币壹佰亿元整"),
    (10000500000000, "人民币壹仟亿零伍佰万元整"),
    (1234567890123, "人民币壹佰贰拾叁亿肆仟伍佰陆拾柒万捌仟玖佰零壹元贰角叁分"),
]


@pytest.mark.parametrize(("fen", "capitals"), EXAMPLES)
def test_examples(fen, capitals):
    assert amount_in_capitals(fen) == capitals
    assert parse_capitals(capitals) == fen


def test_negative_is_refused():
    with pytest.raises(ValueError):
        amount_in_capitals(-1)


def test_float_is_refused():
    with pytest.raises(TypeError):
        amount_in_capitals(14.5)  # type: ignore[arg-type]


def test_round_trip_given_and_every_amount_up_to_30_yuan():
    for fen in [5, 1600, 100000, 140950, 10000001, 100050000, *range(0, 3001)]:
        assert parse_capitals(amount_in_capitals(fen)) == fen


def test_round_trip_random():
    rng = random.Random(20261129)
    for _ in range(10_000):
        fen = rng.randrange(0, 10 ** rng.randint(1, 15))
        capitals = amount_in_capitals(fen)
        assert parse_capitals(capitals) == fen, capitals
        assert "零零" not in capitals
        assert not capitals.endswith("零")
        assert capitals.endswith(("整", "角", "分"))
        assert capitals.endswith("整") == (fen % 100 == 0)


def test_parse_ignores_whitespace_from_pdf_text():
    assert parse_capitals("人民币壹仟 零伍拾\n元整") == 105000


@pytest.mark.parametrize("bad", ["", "人民币", "人民币壹佰美元", "人民币伍", "人民币元整", "人民币壹元伍"])
def test_parse_rejects_malformed(bad):
    with pytest.raises(ValueError):
        parse_capitals(bad)
