"""The order intake on its own: every check of validate() at its boundary, no app, no database."""

from __future__ import annotations

import ast
import re
from dataclasses import replace
from pathlib import Path

import pytest

from shop.orders import intake
from shop.orders.intake import LIMITS, MAX_ITEMS, MAX_QUANTITY, OrderRequest, validate

OFFERED = ("bank_transfer",)
GOOD = OrderRequest(items=(("GRP-MRZ-C2", 300),), method="post", province="山东省", city="临沂市", district="平邑县",
                    address="仲村镇示例路8号", name="王先生", phone="13812345678", payment_method="bank_transfer",
                    accept_contract=True)
PICKUP = replace(GOOD, method="pickup", province="", city="", district="", address="", pickup_base="临沭")
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def problems(req: OrderRequest = GOOD, offered: tuple[str, ...] = OFFERED, **changes) -> list[tuple[str, str]]:
    """(field, code) of each problem of the request with the changes."""
    return [(p.field, p.code) for p in validate(replace(req, **changes), payment_methods=offered)]


def test_a_good_delivery_and_a_good_pickup_have_no_problems():
    assert problems() == []
    assert problems(PICKUP) == []


def test_the_limits_are_the_order_columns_lengths():
    from shop.orders.models import Order, OrderLine

    columns = Order.__table__.columns
    assert {field: columns[intake.COLUMNS.get(field, field)].type.length for field in LIMITS} == LIMITS
    assert OrderLine.__table__.columns["sku"].type.length == intake.SKU_LIMIT


def test_the_intake_is_plain_python():
    tree = ast.parse(Path(intake.__file__).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {name for name in imported if name and name.split(".")[0] in ("flask", "flask_wtf", "wtforms")}


@pytest.mark.parametrize(("length", "found"), [(40, []), (41, [("name", "too_long")])])
def test_a_name_may_have_40_characters_not_41(length, found):
    assert problems(name="王" * length) == found


def test_too_long_says_how_long_it_may_be_in_both_languages():
    [problem] = validate(replace(GOOD, name="王" * 41), payment_methods=OFFERED)
    assert problem.zh == "收货人姓名最多40个字（现在41个）"
    assert "at most 40 characters" in problem.en and not CJK.search(problem.en)


@pytest.mark.parametrize(("length", "found"), [(20, []), (21, [("province", "too_long")]),
                                               (300, [("province", "too_long")])])
def test_a_pickup_province_is_still_held_to_the_column_length(length, found):
    assert problems(PICKUP, province="省" * length) == found


@pytest.mark.parametrize(("field", "limit"), [("city", 40), ("district", 40), ("address", 200), ("pickup_base", 40)])
def test_every_address_field_is_held_to_its_length_whatever_the_method(field, limit):
    assert problems(PICKUP, **{field: "路" * limit}) == []
    assert problems(PICKUP, **{field: "路" * (limit + 1)}) == [(field, "too_long")]
    assert (field, "too_long") in problems(GOOD, **{field: "路" * (limit + 1)})


def test_pickup_needs_no_address_but_a_delivery_does():
    assert problems(PICKUP, province="火星") == []  # given, clean and short: for pickup it need not be a place
    assert problems(method="post", province="", city="", district="", address="") == [
        ("province", "required"), ("city", "required"), ("district", "required"), ("address", "required")]


def test_a_delivery_goes_to_a_real_place_one_inside_the_other():
    assert problems(province="火星") == [("province", "bad_address")]  # its city cannot be judged: not said wrong
    assert problems(city="广州市", district="天河区") == [("city", "bad_address")]
    assert problems(district="历下区") == [("district", "bad_address")]
    assert problems(city="", district="") == [("city", "required"), ("district", "required")]  # missing: said


@pytest.mark.parametrize(("address", "found"), [("", [("address", "required")]), ("路", [("address", "too_short")]),
                                                ("x路", [])])
def test_a_delivery_address_has_at_least_two_characters(address, found):
    assert problems(address=address) == found


@pytest.mark.parametrize("char", ["\x00", "\x01", "\t", "\n", "\r", "\x1b", "\x1f", "\x7f", "\x85", "\x9f",
                                  "\u200b", "\u202e", "\u2066", "\ufeff"])
@pytest.mark.parametrize("field", ["name", "phone", "province", "city", "district", "address", "pickup_base"])
def test_control_characters_are_refused_in_every_text_field(field, char):
    value = getattr(GOOD, field) or "临沭"
    assert problems(**{field: value[:1] + char + value[1:]}) == [(field, "control_character")]


def test_control_characters_are_refused_in_a_sku_too():
    assert problems(items=(("GRP-MRZ-C2", 300), ("GRP\x00X", 1))) == [("items[1].sku", "control_character")]


def test_the_control_character_message_is_plain():
    [problem] = validate(replace(GOOD, name="王\x01先生"), payment_methods=OFFERED)
    assert problem.zh.startswith("收货人姓名不能包含控制字符")
    assert problem.en.startswith("The recipient's name must not contain control or invisible characters")


@pytest.mark.parametrize("broken", ["\ud800", "\udfff", "\ufffd", "%ED%A0%80", "%e7%8e"])
@pytest.mark.parametrize("field", ["name", "address", "province", "pickup_base"])
def test_lone_surrogates_replacement_characters_and_escaped_bytes_are_a_broken_encoding(field, broken):
    req = PICKUP if field in ("province", "pickup_base") else GOOD
    assert problems(req, **{field: "王" + broken}) == [(field, "bad_encoding")]


def test_percent_signs_people_type_are_fine():
    assert problems(address="示例路8号（优惠30%）") == []


@pytest.mark.parametrize(("phone", "found"), [
    ("13812345678", []),
    ("1381234567８", [("phone", "bad_phone")]),  # a full-width ８ from a Chinese input method
    ("１３８１２３４５６７８", [("phone", "bad_phone")]),
    ("12812345678", [("phone", "bad_phone")]),
    ("1381234567", [("phone", "bad_phone")]),
    ("138123456789", [("phone", "bad_phone")]),
    ("138 1234 5678", [("phone", "bad_phone")]),
    ("", [("phone", "required")]),
])
def test_the_phone_is_an_11_digit_mainland_mobile_in_ascii_digits(phone, found):
    assert problems(phone=phone) == found


def test_surrounding_spaces_are_trimmed_but_control_characters_are_not():
    req = replace(GOOD, name="　王先生 ", phone=" 13812345678\u3000", items=((" GRP-MRZ-C2 ", 300),))
    assert (req.name, req.phone, req.items) == ("王先生", "13812345678", (("GRP-MRZ-C2", 300),))
    assert problems(name="王先生\t") == [("name", "control_character")]
    assert problems(name="　 ") == [("name", "required")]


@pytest.mark.parametrize(("count", "found"), [(0, [("items", "no_items")]), (1, []), (MAX_ITEMS, []),
                                              (MAX_ITEMS + 1, [("items", "too_many_items")])])
def test_an_order_has_1_to_200_lines(count, found):
    assert problems(items=tuple((f"SKU-{i}", 1) for i in range(count))) == found


@pytest.mark.parametrize(("quantity", "found"), [
    (0, [("items[1].quantity", "bad_quantity")]), (-1, [("items[1].quantity", "bad_quantity")]), (1, []),
    (MAX_QUANTITY, []), (MAX_QUANTITY + 1, [("items[1].quantity", "bad_quantity")])])
def test_a_line_has_1_to_ten_million_plants(quantity, found):
    assert problems(items=(("GRP-MRZ-C2", 300), ("GRP-JMG-C2", quantity))) == found


def test_a_sku_is_held_to_its_column_length():
    assert problems(items=(("S" * 40, 1),)) == []
    assert problems(items=(("S" * 41, 1), ("", 1))) == [("items[0].sku", "too_long"), ("items[1].sku", "required")]


@pytest.mark.parametrize(("payment_method", "offered", "found"), [
    ("bank_transfer", ("bank_transfer",), []),
    ("stripe", ("stripe", "bank_transfer"), []),
    ("stripe", ("bank_transfer",), [("payment_method", "payment_unavailable")]),
    ("cash", ("bank_transfer",), [("payment_method", "bad_payment_method")]),
    ("", ("bank_transfer",), [("payment_method", "bad_payment_method")]),
])
def test_the_payment_method_is_one_on_offer(payment_method, offered, found):
    assert problems(GOOD, offered, payment_method=payment_method) == found


def test_online_payment_is_offered_only_with_stripe():
    assert intake.offered_payments(stripe=True) == ("stripe", "bank_transfer", "credit")
    assert intake.offered_payments(stripe=False) == ("bank_transfer", "credit")


def test_the_shipping_method_is_a_known_one_and_the_contract_is_accepted():
    assert problems(method="teleport") == [("method", "bad_shipping_method")]
    assert problems(accept_contract=False) == [("accept_contract", "contract_not_accepted")]


def test_every_problem_is_reported_at_once_each_in_both_languages():
    bad = OrderRequest(items=(("GRP-MRZ-C2", 0),), method="post", province="山东省", city="临沂市",
                       district="历下区", address="路", name="王" * 41, phone="1381234567８",
                       payment_method="stripe", accept_contract=False)
    found = validate(bad, payment_methods=OFFERED)
    assert [(p.field, p.code) for p in found] == [
        ("items[0].quantity", "bad_quantity"), ("name", "too_long"), ("phone", "bad_phone"),
        ("district", "bad_address"), ("address", "too_short"), ("payment_method", "payment_unavailable"),
        ("accept_contract", "contract_not_accepted")]
    assert all(CJK.search(p.zh) and not CJK.search(p.en) for p in found)
    assert [p.message("en") for p in found] == [p.en for p in found]


def test_a_quote_is_checked_for_its_lines_method_and_province():
    assert intake.validate_quote([("GRP-MRZ-C2", 1)], method="post", province="山东省") == []
    found = intake.validate_quote([("GRP-MRZ-C2", 0)], method="teleport", province="省\ud800")
    assert [(p.field, p.code) for p in found] == [("items[0].quantity", "bad_quantity"),
                                                  ("method", "bad_shipping_method"), ("province", "bad_encoding")]


def test_only_a_pickup_has_a_base_to_collect_from():
    assert (PICKUP.chosen_base, replace(PICKUP, method="post").chosen_base) == ("临沭", "")
