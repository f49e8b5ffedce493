"""The contract's main terms as the checkout page lists them, and the money format of the contract."""

import io
import re

import pytest
from contract_samples import contract
from pypdf import PdfReader

from shop.contracts import terms
from shop.contracts.render import render_contract
from shop.money import format_money
from shop.pricing import Rules


def printed(data) -> str:
    """The contract's text without whitespace (pdf line breaks fall anywhere)."""
    pdf = render_contract(data)
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


@pytest.fixture(scope="module")
def contract_text() -> str:
    return printed(contract(claim_window_days=45))


def test_guarantee_terms_name_every_main_term():
    listed = terms.guarantee_terms(45)
    assert len(listed) == 6
    everything = "".join(listed)
    for phrase in ("款到两日内发货", "保湿包装", "高分子植物根系保湿剂", "成活率100%", "45日内", "免费补发或退款",
                   "品种纯正", "假一赔十", "十倍", "实付单价", "到货验收", "48小时内", "植物检疫证书", "争议解决",
                   "人民法院"):
        assert phrase in everything, phrase
    assert "30日内" not in everything
    assert not any(ch in everything for ch in "<>&"), "plain text, not paragraph markup"


def test_every_phrase_of_the_short_list_is_printed_on_the_contract(contract_text):
    """Both come from the same constants: each term's own phrases appear word for word on the contract."""
    shared = [terms.dispatch_promise(Rules()), terms.PACKING, terms.SURVIVAL, terms.SURVIVAL_REMEDY,
              terms.CLAIM_WINDOW.format(days=45), terms.PURITY, terms.TENFOLD, terms.ACCEPTANCE,
              terms.ARRIVAL_CLAIM, terms.ARRIVAL_WINDOW, terms.QUARANTINE_HEADING, terms.QUARANTINE,
              terms.DISPUTES_HEADING, terms.DISPUTES]
    listed = "".join(terms.guarantee_terms(45))
    for phrase in shared:
        assert phrase in listed, phrase
        assert re.sub(r"\s+", "", phrase) in contract_text, phrase


def test_each_short_term_is_built_only_from_printed_phrases(contract_text):
    """Strip the shared phrases and the few joining words: nothing else is left to drift."""
    joiners = ["，", "：", "；", "请", "在", "正确栽植后", "品种与合同不符的"]
    phrases = sorted([terms.dispatch_promise(Rules()), terms.PACKING, terms.SURVIVAL, terms.SURVIVAL_REMEDY,
                      terms.CLAIM_WINDOW.format(days=45), terms.PURITY, terms.TENFOLD, terms.ACCEPTANCE,
                      terms.ARRIVAL_CLAIM, terms.ARRIVAL_WINDOW, terms.QUARANTINE_HEADING, terms.QUARANTINE,
                      terms.DISPUTES_HEADING, terms.DISPUTES], key=len, reverse=True)
    for term in terms.guarantee_terms(45):
        rest = term
        for phrase in phrases:
            rest = rest.replace(phrase, "")
        for word in joiners:
            rest = rest.replace(word, "")
        assert rest == "", (term, rest)


def test_the_checkout_window_follows_the_setting():
    assert "自收货之日起7日内" in "".join(terms.guarantee_terms(7))
    assert terms.guarantee_terms(30) != terms.guarantee_terms(7)


@pytest.mark.parametrize("fen", [0, 5, 1250, 140950, -30000, 10**12 + 7])
def test_money_is_printed_in_the_shops_format(fen):
    assert terms.format_fen(fen) == format_money(fen)
    assert terms.format_fen(140950) == "¥1,409.50" and terms.format_fen(-30000) == "-¥300.00"


@pytest.mark.parametrize(("bulk_min", "expected"), [(1000, "批量优惠(满1000株)7折"), (500, "批量优惠(满500株)7折")])
def test_the_bulk_reason_names_the_threshold_the_order_was_priced_under(bulk_min, expected):
    data = contract(discount_reason="bulk", discount_fen=100, bulk_min_plants=bulk_min)
    assert terms.discount_text(data) == expected
    assert expected in printed(data)
