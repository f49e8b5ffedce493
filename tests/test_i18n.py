"""The English catalog: complete, format-safe, in step with the source, and what an English visitor reads."""

from __future__ import annotations

import gettext
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "shop/translations/en/LC_MESSAGES/messages.po"
MO = PO.with_suffix(".mo")
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")  # Han, CJK punctuation, full-width forms
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
UPDATE = "run `make messages`, translate, then `make install`"


def english_catalog():
    with PO.open("rb") as f:
        return read_po(f)


def entries():
    return [m for m in english_catalog() if m.id]


def ids(catalog_entries) -> list[str]:
    return [m.id if isinstance(m.id, str) else m.id[0] for m in catalog_entries]


def from_templates(message) -> bool:
    """Jinja's newstyle gettext always %-formats, so these strings write a literal % as %%."""
    return any(path.endswith(".html") for path, _ in message.locations)


def from_python(message) -> bool:
    return any(path.endswith(".py") for path, _ in message.locations)


# --- the .po file -------------------------------------------------------------------------------------------------


def test_every_entry_has_an_english_translation():
    untranslated = [m.id for m in entries() if not (all(m.string) if m.pluralizable else m.string) or m.fuzzy]
    assert not untranslated, f"untranslated or fuzzy: {untranslated}"
    assert len(entries()) > 100


@pytest.mark.parametrize("message", entries(), ids=ids(entries()))
def test_translation_keeps_placeholders_and_formats_like_its_msgid(message):
    msgid = message.id[0] if message.pluralizable else message.id
    strings = list(message.string) if message.pluralizable else [message.string]
    names = set(PLACEHOLDER.findall(msgid))
    values = {name: "X" for name in names}
    for string in strings:
        assert set(PLACEHOLDER.findall(string)) == names
        if from_templates(message) or names:  # formatted with % when shown
            shown = string % values  # a lone % (say "30% off") raises here, as it would on the page
            assert "%(" not in shown
    if message.pluralizable:
        return
    if from_python(message) and not names:  # flask_babel shows these as they are: %% would appear doubled
        assert "%%" not in message.string
        if from_templates(message):
            assert "%" not in message.string


def test_compiled_catalog_matches_the_po_file():
    assert MO.exists(), f"no compiled catalog: {UPDATE}"
    with MO.open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    stale = [m.id for m in entries() if not m.pluralizable and compiled.gettext(m.id) != m.string]
    stale += [m.id for m in entries() if m.pluralizable
              and (compiled.ngettext(m.id[0], m.id[1], 1), compiled.ngettext(m.id[0], m.id[1], 2)) != tuple(m.string)]
    assert not stale, f"messages.mo is older than messages.po ({UPDATE}): {stale[:5]}"


def test_catalog_holds_every_string_the_code_and_templates_mark():
    with (ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    extracted = {msgid if isinstance(msgid, str) else msgid[0]
                 for _path, _line, msgid, _comments, _context in extract_from_dir(
                     str(ROOT), method_map, options_map, keywords=keywords)}
    assert len(extracted) > 100  # the extractor really read the templates and the code
    missing = sorted(extracted - set(ids(entries())))
    assert not missing, f"marked for translation but not in messages.po ({UPDATE}): {missing}"


def test_cart_names_the_shipping_methods_in_the_visitors_language(client):
    from shop.orders.methods import SHIPPING_METHODS, shipping_label  # one list of names, not the .po's
    from tests.actions import csrf_token

    token = csrf_token(client, "/v/walnut-8518")
    client.post("/cart/add", data={"csrf_token": token, "sku": "WAL-8518-G1", "quantity": "100"})
    for lang in ("en", "zh"):
        html = client.get(f"/cart?lang={lang}").get_data(as_text=True)
        select = re.search(r'<select name="method" id="method">(.*?)</select>', html, flags=re.S)
        assert select, "no shipping method select in the cart"
        options = re.findall(r'<option value="(\w+)"[^>]*>([^<]*)</option>', select.group(1))
        assert options == [(code, shipping_label(code, lang, with_note=True)) for code in SHIPPING_METHODS]
        shown = " ".join(name for _code, name in options)
        assert bool(CJK.search(shown)) == (lang == "zh"), shown
    assert ("freight", "物流托运（运费到付）") in options


# --- pages ------------------------------------------------------------------------------------------------------


class Page(HTMLParser):
    """The page's language and the text of its terms list."""

    def __init__(self, html: str):
        super().__init__()
        self.lang, self.terms, self.footer, self._in = None, [], [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag == "ul" and "terms" in (attrs.get("class") or "").split():
            self._in.append("terms")
        elif tag == "footer":
            self._in.append("footer")
        elif tag in ("ul", "footer") and self._in:
            self._in.append(None)

    def handle_endtag(self, tag):
        if tag in ("ul", "footer") and self._in:
            self._in.pop()

    def handle_data(self, data):
        if "terms" in self._in and data.strip():
            self.terms.append(data.strip())
        if "footer" in self._in and data.strip():
            self.footer.append(data.strip())


def visit(client, url: str) -> tuple[Page, str]:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.get_data(as_text=True)
    return Page(html), html


def test_english_home_states_the_terms_in_english(client):
    page, html = visit(client, "/?lang=en")
    assert page.lang == "en"
    terms = " ".join(page.terms)
    for term in ("Mail orders from ¥200", "Free postage from ¥1,000", "30% off for bulk and dealers",
                 "Dispatched within 2 days of payment", "100% survival guarantee", "True to variety",
                 "Ten times back if not true to name"):
        assert term in terms
    assert len(page.terms) == 14  # seven terms, each a heading and a sentence
    assert not CJK.findall(terms), terms
    assert not CJK.findall(" ".join(page.footer).replace("示例果树种苗场（演示）", ""))
    assert "%%" not in html and "批量" not in html


def test_chinese_is_shown_without_a_choice(client):
    page, html = visit(client, "/")
    assert page.lang == "zh-CN"
    assert "批量及代理商7折" in page.terms and "一单满1000株或代理商价格优惠30%" in page.terms
    assert "成活率100%" in page.terms and "30% off" not in html


def test_the_choice_is_remembered_for_the_next_page(client):
    visit(client, "/?lang=en")
    with client.session_transaction() as session:
        assert session["lang"] == "en"
    page, html = visit(client, "/c/walnut")  # no ?lang: the session decides
    assert page.lang == "en" and "In stock" in html and "现货" not in html
    cart, cart_html = visit(client, "/cart")
    assert cart.lang == "en" and "Your cart is empty." in cart_html

    back, back_html = visit(client, "/c/walnut?lang=zh")
    assert back.lang == "zh-CN" and "现货" in back_html
    again, again_html = visit(client, "/")
    assert again.lang == "zh-CN" and "批量及代理商7折" in again.terms


def test_an_unknown_language_keeps_the_current_choice(client):
    visit(client, "/?lang=en")
    page, html = visit(client, "/?lang=fr")
    assert page.lang == "en" and "30% off" in html
    fresh, _html = visit(client.application.test_client(), "/?lang=<script>")
    assert fresh.lang == "zh-CN"


def paragraphs(html: str, css_class: str) -> list[str]:
    """The text of each <p class="css_class"> on the page."""
    found = re.findall(rf'<p class="{css_class}">(.*?)</p>', html, flags=re.S)
    return [re.sub(r"<[^>]+>", "", p) for p in found]


def test_english_counts_plants_in_digits(client):
    _page, html = visit(client, "/c/walnut?lang=en")
    counts = [p for p in re.findall(r'<span class="muted">(.*?)</span>', html) if "In stock" in p]
    assert counts and not any(CJK.search(c) for c in counts), counts


def test_english_variety_names_its_bases_in_english(client):
    _page, html = visit(client, "/v/walnut-american?lang=en")
    stock = paragraphs(html, "stock")
    assert stock and not any(CJK.search(s) for s in stock), stock


def test_english_checkout_names_provinces_in_english_too(client):
    from tests.actions import csrf_token

    token = csrf_token(client, "/v/walnut-8518?lang=en")
    client.post("/cart/add", data={"csrf_token": token, "sku": "WAL-8518-G1", "quantity": "100"})
    english = client.get("/checkout").get_data(as_text=True)
    assert re.search(r'<option value="山东省"[^>]*>Shandong 山东省</option>', english)
    chinese = client.get("/checkout?lang=zh").get_data(as_text=True)
    assert re.search(r'<option value="山东省"[^>]*>山东省</option>', chinese)
