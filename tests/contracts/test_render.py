"""The contract PDF, read back with pypdf (and drawn with pdftoppm when it is installed)."""

import datetime
import io
import re
import shutil
import subprocess

import pytest
from contract_samples import BUYER, SELLER, contract, lines
from pypdf import PdfReader

from shop.contracts import terms
from shop.contracts.capitals import parse_capitals
from shop.contracts.document import ContractLine, Party
from shop.contracts.render import render_batch, render_contract
from shop.contracts.styles import contract_font

CAPITALS = re.compile(r"人民币[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整]+")
FOOTER = re.compile(r"第 (\d+) 页 共 (\d+) 页")


def read(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in read(pdf).pages]


def full_text(pdf: bytes) -> str:
    return "\n".join(page_texts(pdf))


def one_line(fen: int) -> tuple[ContractLine, ...]:
    return (ContractLine("烟富3号苹果", "一级苗", "高1.2米以上", 1, fen, fen),)


@pytest.fixture(scope="module")
def typical() -> str:
    return full_text(render_contract(contract()))


@pytest.fixture(scope="module")
def long_contract() -> bytes:
    return render_contract(contract(lines=lines(120)))


def test_typical_contract_is_one_a4_page():
    reader = read(render_contract(contract()))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_title_number_date_and_parties(typical):
    assert "购苗合同" in typical
    assert "合同编号：MM20261129-7K3QX9PA" in typical
    assert "2026年11月29日" in typical
    for party in (SELLER, BUYER):
        assert party.name in typical
        assert party.address in typical
        assert party.phone in typical
    assert "甲方(供方)" in typical and "乙方(需方)" in typical
    assert SELLER.bank.splitlines()[-1] in typical  # the account number line


def test_lines_with_quantities_prices_and_amounts(typical):
    for header in ("品种", "规格", "数量/株", "单价", "金额"):
        assert header in typical
    for i, line in enumerate(lines(5), start=1):
        assert f"{line.variety}" in typical
        assert line.spec in typical
        assert f"{i}\n{line.variety}" in typical
    assert typical.count("¥12.50") == 5
    assert typical.count("¥250.00") == 5


def test_subtotal_no_discount_and_post_fee(typical):
    assert re.search(r"小计\s*¥1,250\.00", typical)
    assert re.search(r"优惠\s*无", typical)
    assert re.search(r"运费\s*邮寄\s*¥16\.00", typical)
    assert re.search(r"合计\s*¥1,266\.00", typical)
    assert "运费到付" not in typical


@pytest.mark.parametrize(
    ("reason", "shown"), [("bulk", "批量优惠(满1000株)7折"), ("dealer", "代理商价7折")]
)
def test_discount_with_its_reason(reason, shown):
    data = contract(lines=lines(5, price_fen=2500, quantity=200), discount_fen=750000, discount_reason=reason,
                    shipping_method="express", shipping_fee_fen=2500, total_fen=1750000 + 2500)
    text = full_text(render_contract(data))
    assert re.search(r"小计\s*¥25,000\.00", text)
    assert re.search(rf"优惠\s*{re.escape(shown)}\s*-¥7,500\.00", text)
    assert re.search(r"运费\s*特快专递\s*¥25\.00", text)
    assert re.search(r"合计\s*¥17,525\.00", text)
    assert "人民币壹万柒仟伍佰贰拾伍元整" in text


def test_freight_prints_collect_on_delivery_instead_of_a_fee():
    data = contract(shipping_method="freight", shipping_fee_fen=0, shipping_collect=True, total_fen=125000)
    text = full_text(render_contract(data))
    assert re.search(r"运费\s*物流托运\s*运费到付", text)
    assert "运费¥" not in text


def test_pickup_names_the_base():
    data = contract(shipping_method="pickup", shipping_fee_fen=0, pickup_base="平邑示例基地", total_fen=125000)
    text = full_text(render_contract(data))
    assert "自提(平邑示例基地)" in text
    assert "无运费" in text


def test_guarantee_delivery_and_dispute_terms():
    text = full_text(render_contract(contract(claim_window_days=45)))
    flat = re.sub(r"\s+", "", text)
    for phrase in ("成活率100%", "免费补发或退款", "45日内附照片", "品种纯正", "假一赔十",
                   "按该株实付单价的十倍赔偿", "植物检疫证书", "48小时内", "款到两日内发货",
                   "高分子植物根系保湿剂", "提交甲方所在地人民法院诉讼解决"):
        assert phrase in flat, phrase
    assert "30日内" not in flat


def test_paid_contract_shows_payment_time_and_dispatch_deadline_in_shanghai_time(typical):
    assert "在线支付" in typical and "已付款" in typical
    assert "付款时间：2026-11-29 14:03" in typical
    assert "不迟于2026-12-01 14:03发货" in typical


def test_unpaid_bank_transfer():
    data = contract(payment_method="bank_transfer", payment_status="unpaid", status="pending_payment", paid_at=None,
                    dispatch_by=None)
    text = full_text(render_contract(data))
    assert "银行汇款" in text and "待付款" in text
    assert "付款时间" not in text
    assert "注明合同编号" in text


def test_signature_blocks_and_verification(typical):
    for phrase in ("甲方(盖章)", "代表签字", "乙方(签字)", "日期"):
        assert phrase in typical
    assert "https://miaomu.example.cn/contracts/verify/MM20261129-7K3QX9PA?c=Q7H2-9XKD" in typical
    assert "校验码：Q7H2-9XKD" in typical


def test_qr_code_is_drawn():
    with_qr = render_contract(contract())
    without = render_contract(contract(verify_url="", verify_code=""))
    assert len(read(with_qr).pages[0].get_contents().get_data()) > len(
        read(without).pages[0].get_contents().get_data()) + 2000


@pytest.mark.parametrize("fen", [5, 1600, 100000, 140950, 10000001, 100050000])
def test_total_in_figures_and_capitals(fen):
    data = contract(lines=one_line(fen), subtotal_fen=fen, shipping_fee_fen=0, shipping_method="pickup",
                    total_fen=fen)
    text = full_text(render_contract(data))
    assert "合计人民币(大写)" in text
    found = CAPITALS.findall(text)
    assert [parse_capitals(caps) for caps in found] == [fen]
    yuan, cents = divmod(fen, 100)
    assert f"¥{yuan:,}.{cents:02d}" in text


def test_long_contract_numbers_every_page_and_repeats_the_header(long_contract):
    texts = page_texts(long_contract)
    n = len(texts)
    assert n >= 3
    pages_with_rows = []
    for i, text in enumerate(texts, start=1):
        assert FOOTER.findall(text) == [(str(i), str(n))]
        if re.search(r"烟富3号苹果\d+号|秦脆苹果\d+号|冬枣\d+号", text):
            pages_with_rows.append(i)
            assert "品种" in text and "数量/株" in text and "单价" in text
    assert len(pages_with_rows) >= 3
    everything = "\n".join(texts)
    for line in lines(120):
        assert line.variety in everything
    assert re.search(r"合计\s*2,400\s*¥30,000\.00", everything)


def test_every_font_is_embedded(long_contract):
    reader = read(long_contract)
    seen = 0
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"].get_object()
        for ref in fonts.values():
            font = ref.get_object()
            described = font["/DescendantFonts"][0].get_object() if font["/Subtype"] == "/Type0" else font
            descriptor = described["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, font["/BaseFont"]
            assert "Helvetica" not in font["/BaseFont"]
            seen += 1
    assert seen >= len(reader.pages)


def test_every_printed_character_is_in_the_font(long_contract):
    data = contract(discount_fen=100, discount_reason="bulk", shipping_method="freight", shipping_collect=True,
                    payment_method="bank_transfer", payment_status="unpaid", status="pending_payment", paid_at=None)
    text = full_text(long_contract) + full_text(render_contract(data))
    glyphs = contract_font().face.charToGlyph
    missing = {ch for ch in text if not ch.isspace() and ord(ch) not in glyphs}
    assert not missing


def test_markup_in_customer_text_is_printed_literally():
    buyer = Party(name="王<b>&李</b>合作社", phone="139 0000 0000", address="河北省<保定>市 & 顺平县")
    text = full_text(render_contract(contract(buyer=buyer)))
    assert "王<b>&李</b>合作社" in text
    assert "河北省<保定>市 & 顺平县" in text


def test_batch_restarts_numbering_for_each_contract(long_contract):
    items = [contract(number="MM20261129-AAAA0001"), contract(number="MM20261129-BBBB0002", lines=lines(120)),
             contract(number="MM20261129-CCCC0003")]
    singles = [len(read(render_contract(item)).pages) for item in items]
    texts = page_texts(render_batch(items))
    assert len(texts) == sum(singles) == 2 + len(read(long_contract).pages)
    expected = [(str(i), str(n)) for n in singles for i in range(1, n + 1)]
    assert [FOOTER.findall(text)[0] for text in texts] == expected
    numbers = [item.number for item, n in zip(items, singles, strict=True) for _ in range(n)]
    for text, number in zip(texts, numbers, strict=True):
        assert f"合同编号：{number}" in text


def test_batch_of_nothing_is_an_error():
    with pytest.raises(ValueError):
        render_batch([])


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) not installed")
def test_first_page_draws_ink(tmp_path):
    pdf = tmp_path / "contract.pdf"
    pdf.write_bytes(render_contract(contract(date=datetime.date(2026, 12, 1))))
    out = subprocess.run(["pdftoppm", "-gray", "-r", "50", "-f", "1", "-l", "1", str(pdf)],
                         check=True, capture_output=True).stdout
    # PGM (P5): header "P5 <width> <height> <maxval>" and one whitespace byte, then one byte per pixel.
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+255\s", out)
    assert header
    width, height = int(header[1]), int(header[2])
    pixels = out[header.end():]
    assert abs(width - 413) <= 1 and abs(height - 585) <= 1  # A4 at 50 dpi
    assert len(pixels) == width * height
    dark = sum(1 for value in pixels if value < 160)
    assert 0.02 < dark / len(pixels) < 0.5


def page_streams(pdf: bytes) -> list[bytes]:
    return [page.get_contents().get_data() for page in read(pdf).pages]


def test_what_is_shared_between_renders_does_not_leak():
    """Parsed clauses and line breaks are shared by the process: a render is the same before and after others."""
    first = page_streams(render_contract(contract()))
    render_contract(contract(lines=lines(120), claim_window_days=7, shipping_method="pickup", pickup_base="基地"))
    render_batch([contract(number="MM20261129-BBBB0002"), contract(lines=lines(40))])
    assert page_streams(render_contract(contract())) == first


def test_clauses_split_across_pages_print_in_full():
    flat = re.sub(r"\s+", "", full_text(render_contract(contract(lines=lines(50)))))
    for clause in terms.STATIC_CLAUSES:
        assert re.sub(r"\s+", "", clause) in flat, clause[:20]


def test_long_party_and_signature_text_wraps_and_prints_literally():
    buyer = Party(name="示例省示例市示例县<东>&西果树种植专业合作社联合社第二分社（演示）", phone="139 0000 0000",
                  address="示例省示例市示例县示例镇示例村果树种植专业合作社联合社院内<仓库>&东侧第三排", contact="王示例")
    seller = Party(name="示例果苗繁育基地有限责任公司第一分公司及其下属各果苗繁育示范基地（演示）",
                   phone=SELLER.phone, address=SELLER.address)
    pdf = render_contract(contract(buyer=buyer, seller=seller))
    flat = re.sub(r"\s+", "", full_text(pdf))
    for value in (buyer.name, buyer.address, seller.name):
        assert re.sub(r"\s+", "", value) in flat
    assert len(read(pdf).pages) == 1


FURNITURE = re.compile(r"^(合同编号：\S+|第 \d+ 页 共 \d+ 页|购苗合同(\(续\) \S+)?)$")


def test_no_page_ends_with_a_heading():
    """Headings stay with the paragraph after them, wherever the page break falls."""
    headings = {heading for heading, _ in terms.clauses(contract())} | {"货物明细"}
    breaks = 0
    for count in range(20, 60, 3):
        for text in page_texts(render_contract(contract(lines=lines(count))))[:-1]:
            content = [line.strip() for line in text.split("\n") if line.strip()]
            while content and FURNITURE.match(content[-1]):
                content.pop()
            assert content[-1] not in headings, (count, content[-1])
            breaks += 1
    assert breaks >= 14
