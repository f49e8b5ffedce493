"""The purchase contract (购苗合同) as an A4 PDF, one contract or a batch in one merged file."""

import io
from collections.abc import Iterable, Sequence

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from shop.contracts import terms
from shop.contracts.capitals import amount_in_capitals
from shop.contracts.document import ContractData, ContractLine, Party
from shop.contracts.flowables import (
    ClauseParagraph,
    ContractStart,
    KeepWithNext,
    MetaLine,
    NumberedCanvas,
    Row,
    Stack,
    TextLines,
    TextTable,
    VerifyQr,
)
from shop.contracts.styles import (
    CONTENT_WIDTH,
    FONT_NAME,
    HEADER_FILL,
    INK,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    PAGE_SIZE,
    RULE,
    Styles,
    contract_font,
)
from shop.contracts.terms import format_fen, text

LINE_HEADER = ("序号", "品种", "规格", "数量/株", "单价", "金额")
LINE_COL_WIDTHS = tuple(w * mm for w in (11, 44, 51, 20, 22, 26))
QR_SIZE = 22 * mm
CELL_FONT_SIZE = 9  # = Styles.cell.fontSize
CELL_PADDING = 6  # ReportLab's default cell padding, left and right

_BASE_TABLE = [
    ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
    ("FONTSIZE", (0, 0), (-1, -1), CELL_FONT_SIZE),
    ("TEXTCOLOR", (0, 0), (-1, -1), INK),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
]
LINES_STYLE = TableStyle([
    *_BASE_TABLE,
    ("GRID", (0, 0), (-1, -1), 0.5, RULE),
    ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
    ("ALIGN", (0, 0), (-1, 0), "CENTER"),
    ("ALIGN", (0, 1), (0, -1), "CENTER"),
    ("ALIGN", (3, 1), (-1, -1), "RIGHT"),
    ("TOPPADDING", (0, 0), (-1, -1), 2),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
])
SUMMARY_STYLE = TableStyle([
    *_BASE_TABLE,
    ("FONTSIZE", (0, 0), (-1, -1), 9.5),
    ("ALIGN", (2, 0), (2, -1), "RIGHT"),
    ("LINEABOVE", (0, -1), (-1, -1), 0.8, INK),
    ("FONTSIZE", (0, -1), (-1, -1), 11),
    ("TOPPADDING", (0, 0), (-1, -1), 1),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
])
PARTY_PADDING = (5, CELL_PADDING)  # left and right inside the parties box
META_FONT_SIZE = 9.5
SUMMARY_WIDTHS = (12 * mm, 50 * mm, 28 * mm)
SIGN_QR_WIDTH = QR_SIZE + 4 * mm
SIGN_SIDE = (CONTENT_WIDTH - SIGN_QR_WIDTH) / 2


def render_contract(data: ContractData) -> bytes:
    """One contract as an A4 PDF with the Chinese font embedded."""
    return render_batch([data])


def render_batch(items: Iterable[ContractData]) -> bytes:
    """Several contracts in ONE PDF; each restarts its own 第 x 页 共 y 页 numbering."""
    contract_font()
    story: list[Flowable] = []
    titles: list[str] = []
    for data in items:
        if story:
            story.append(PageBreak())
        story.extend(contract_story(data))
        titles.append(data.number)
    if not story:
        raise ValueError("render_batch needs at least one contract")
    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf,
        keepTogetherClass=KeepWithNext,  # headings are kept with what follows them
        pagesize=PAGE_SIZE,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        initialFontName=FONT_NAME,  # else the canvas preamble pulls in an unembedded Helvetica
        title=f"购苗合同 {titles[0]}" if len(titles) == 1 else f"购苗合同 {len(titles)} 份",
        author="苗木商城",
        creator="苗木商城",
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    doc.addPageTemplates([PageTemplate(id="contract", frames=[frame])])
    doc.build(story, canvasmaker=NumberedCanvas)
    return buf.getvalue()


def contract_story(data: ContractData) -> list[Flowable]:
    """The flowables of one contract, starting with the marker that restarts page numbering."""
    story: list[Flowable] = [
        ContractStart(data.number),
        ClauseParagraph("购苗合同", Styles.title, static=True),
        _meta(data),
        Spacer(1, 1.5 * mm),
        _parties(data.seller, data.buyer),
        ClauseParagraph("货物明细", Styles.heading, static=True),
        _lines_table(data.lines),
        Spacer(1, 1.5 * mm),
        _summary(data),
    ]
    for heading, paragraphs in terms.clauses(data):
        story.append(ClauseParagraph(heading, Styles.heading, static=True))
        story.extend(ClauseParagraph(p, Styles.body, static=p in terms.STATIC_CLAUSES) for p in paragraphs)
    story.append(Spacer(1, 2.5 * mm))
    story.append(_signatures(data))
    return story


def _meta(data: ContractData) -> Flowable:
    return MetaLine(f"合同编号：{data.number}", f"签订日期：{terms.chinese_date(data.date)}", META_FONT_SIZE)


def _party_cell(role: str, party: Party) -> Flowable:
    lines = [f"{role}：{party.name}", f"地址：{party.address}"]
    phone = f"电话：{party.phone}"
    if party.contact:
        phone += f"　联系人：{party.contact}"
    lines.append(phone)
    if party.bank:
        lines.append(party.bank)
    return text_block(lines, Styles.party, CONTENT_WIDTH / 2 - sum(PARTY_PADDING))


def _parties(seller: Party, buyer: Party) -> Flowable:
    row = [_party_cell("甲方(供方)", seller), _party_cell("乙方(需方)", buyer)]
    return Row([(cell, CONTENT_WIDTH / 2) for cell in row], padding=PARTY_PADDING, valign="top", boxed=True)


def _lines_table(lines: tuple[ContractLine, ...]) -> Table:
    rows: list[list] = [list(LINE_HEADER)]
    for i, line in enumerate(lines, start=1):
        spec = " ".join(part for part in (line.grade, line.spec) if part)
        rows.append([
            str(i),
            _cell(line.variety, LINE_COL_WIDTHS[1]),
            _cell(spec, LINE_COL_WIDTHS[2]),
            f"{line.quantity:,}",
            format_fen(line.unit_price_fen),
            format_fen(line.amount_fen),
        ])
    quantity = sum(line.quantity for line in lines)
    rows.append(["", "合计", "", f"{quantity:,}", "", format_fen(sum(li.amount_fen for li in lines))])
    return TextTable(rows, colWidths=LINE_COL_WIDTHS, repeatRows=1, style=LINES_STYLE)


def _cell(value: str, width: float) -> str | Paragraph:
    """Plain text when it fits on one line (much cheaper to lay out), else a wrapping paragraph."""
    if "\n" not in value and _fits(value, CELL_FONT_SIZE, width - 2 * CELL_PADDING):
        return value
    return Paragraph(text(value), Styles.cell)


def _fits(value: str, size: float, width: float) -> bool:
    return stringWidth(value, FONT_NAME, size) <= width


def text_block(lines: Sequence[str | tuple[str, float]], style: ParagraphStyle, width: float) -> Flowable:
    """Plain lines (optionally each with its own font size) as TextLines when each fits the width,
    else one wrapping paragraph that reads the same."""
    sized = [(line, style.fontSize) if isinstance(line, str) else line for line in lines]
    split = [(part, size) for line, size in sized for part in line.split("\n")]
    widest = max(stringWidth(part, FONT_NAME, size) for part, size in split)
    if widest <= width:
        return TextLines(split, style.leading, style.textColor, widest)
    markup = "<br/>".join(
        text(line) if size == style.fontSize else f"<font size={size}>{text(line)}</font>" for line, size in sized)
    return Paragraph(markup, style)


def _summary(data: ContractData) -> Flowable:
    """Totals on the right; on the left the total in capitals and the payment state."""
    if terms.discount_text(data) == "无":
        discount_row = ["优惠", "无", ""]
    else:
        discount_row = ["优惠", terms.discount_text(data), format_fen(-data.discount_fen)]
    rows = [
        ["小计", "", format_fen(data.subtotal_fen)],
        discount_row,
        ["运费", terms.shipping_method_text(data), terms.shipping_fee_text(data)],
        ["合计", "", format_fen(data.total_fen)],
    ]
    totals = TextTable(rows, colWidths=SUMMARY_WIDTHS, style=SUMMARY_STYLE, hAlign="RIGHT")
    left_width = CONTENT_WIDTH - sum(SUMMARY_WIDTHS)
    left = Stack([
        text_block(["合计人民币(大写)：", (amount_in_capitals(data.total_fen), 10.5)], Styles.body, left_width),
        Spacer(1, 1 * mm),
        text_block(terms.payment_lines(data), Styles.body, left_width),
    ])
    return Row([(left, left_width), (totals, sum(SUMMARY_WIDTHS))])


def _signatures(data: ContractData) -> Flowable:
    """Both signature blocks, the QR code and the verification line, kept together on one page."""
    blank = "________________"
    day = "日期：______年____月____日"
    seller = text_block([f"甲方(盖章)：{data.seller.name}", f"代表签字：{blank}", day], Styles.sign, SIGN_SIDE)
    buyer = text_block([f"乙方(签字)：{blank}", f"({data.buyer.name})", day], Styles.sign, SIGN_SIDE)
    cells: list[tuple[Flowable, float]] = [(seller, SIGN_SIDE), (buyer, SIGN_SIDE)]
    if data.verify_url:
        cells.append((VerifyQr(data.verify_url, QR_SIZE), SIGN_QR_WIDTH))
    verify = None
    if data.verify_url or data.verify_code:
        line = "核验本合同："
        if data.verify_url:
            line += f"扫描上方二维码或访问 {data.verify_url}"
        if data.verify_code:
            line += f"　校验码：{data.verify_code}"
        verify = text_block([line], Styles.small, CONTENT_WIDTH)
    return Row(cells, below=verify)
