"""The purchase contract (购苗合同) as an A4 PDF, one contract or a batch in one merged file."""

import io
from collections import Counter
from collections.abc import Iterable
from itertools import groupby

from reportlab.graphics.barcode import qrencoder
from reportlab.lib.colors import black
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
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
BOX_STYLE = TableStyle([
    *_BASE_TABLE,
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("BOX", (0, 0), (-1, -1), 0.5, RULE),
    ("INNERGRID", (0, 0), (-1, -1), 0.5, RULE),
    ("LEFTPADDING", (0, 0), (-1, -1), 5),
    ("TOPPADDING", (0, 0), (-1, -1), 3),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
])
PLAIN_STYLE = TableStyle([*_BASE_TABLE, ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)])


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
        Paragraph("购苗合同", Styles.title),
        _meta(data),
        Spacer(1, 1.5 * mm),
        _parties(data.seller, data.buyer),
        Paragraph("货物明细", Styles.heading),
        _lines_table(data.lines),
        Spacer(1, 1.5 * mm),
        _summary(data),
    ]
    for heading, paragraphs in terms.clauses(data):
        story.append(Paragraph(heading, Styles.heading))
        story.extend(Paragraph(p, Styles.body) for p in paragraphs)
    story.append(Spacer(1, 2.5 * mm))
    story.append(KeepTogether(_signatures(data)))
    return story


def _meta(data: ContractData) -> Table:
    row = [f"合同编号：{data.number}", f"签订日期：{terms.chinese_date(data.date)}"]
    style = TableStyle([*PLAIN_STYLE.getCommands(), ("FONTSIZE", (0, 0), (-1, -1), 9.5), ("ALIGN", (1, 0), (1, 0), "RIGHT")])
    return Table([row], colWidths=[CONTENT_WIDTH / 2] * 2, style=style)


def _party_cell(role: str, party: Party) -> Paragraph:
    """One paragraph per party (one parse and wrap instead of one per line)."""
    lines = [f"{role}：{text(party.name)}", f"地址：{text(party.address)}"]
    phone = f"电话：{text(party.phone)}"
    if party.contact:
        phone += f"　联系人：{text(party.contact)}"
    lines.append(phone)
    if party.bank:
        lines.append(text(party.bank))
    return Paragraph("<br/>".join(lines), Styles.party)


def _parties(seller: Party, buyer: Party) -> Table:
    row = [_party_cell("甲方(供方)", seller), _party_cell("乙方(需方)", buyer)]
    return Table([row], colWidths=[CONTENT_WIDTH / 2] * 2, style=BOX_STYLE)


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
    return Table(rows, colWidths=LINE_COL_WIDTHS, repeatRows=1, style=LINES_STYLE)


def _cell(value: str, width: float) -> str | Paragraph:
    """Plain text when it fits on one line (much cheaper to lay out), else a wrapping paragraph."""
    if "\n" not in value and stringWidth(value, FONT_NAME, CELL_FONT_SIZE) <= width - 2 * CELL_PADDING:
        return value
    return Paragraph(text(value), Styles.cell)


def _summary(data: ContractData) -> Table:
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
    widths = (12 * mm, 50 * mm, 28 * mm)
    totals = Table(rows, colWidths=widths, style=SUMMARY_STYLE, hAlign="RIGHT")
    left = [
        Paragraph(f"合计人民币(大写)：<br/><font size=10.5>{amount_in_capitals(data.total_fen)}</font>", Styles.body),
        Spacer(1, 1 * mm),
        Paragraph("<br/>".join(terms.payment_paragraphs(data)), Styles.body),
    ]
    return Table([[left, totals]], colWidths=[CONTENT_WIDTH - sum(widths), sum(widths)], style=PLAIN_STYLE)


def _signatures(data: ContractData) -> list[Flowable]:
    blank = "________________"
    day = "日期：______年____月____日"
    seller = Paragraph(f"甲方(盖章)：{text(data.seller.name)}<br/>代表签字：{blank}<br/>{day}", Styles.sign)
    buyer = Paragraph(f"乙方(签字)：{blank}<br/>({text(data.buyer.name)})<br/>{day}", Styles.sign)
    qr_width = QR_SIZE + 4 * mm
    side = (CONTENT_WIDTH - qr_width) / 2
    row: list = [seller, buyer, VerifyQr(data.verify_url, QR_SIZE) if data.verify_url else ""]
    out: list[Flowable] = [Table([row], colWidths=[side, side, qr_width], style=PLAIN_STYLE)]
    if data.verify_url or data.verify_code:
        verify = "核验本合同："
        if data.verify_url:
            verify += f"扫描上方二维码或访问 {text(data.verify_url)}"
        if data.verify_code:
            verify += f"　校验码：{text(data.verify_code)}"
        out += [Spacer(1, 1 * mm), Paragraph(verify, Styles.small)]
    return out


class VerifyQr(Flowable):
    """The verification QR code (ReportLab's encoder), drawn as one vector path in module units.

    QrCodeWidget builds a validated shape per dark run and encodes twice; this draws the same modules
    with a single fill, about ten times faster, and stays sharp in print.
    """

    BORDER = 2  # quiet zone in modules

    def __init__(self, url: str, size: float):
        super().__init__()
        code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
        code.addData(url)
        code.make()
        self.modules = code.modules
        self.width = self.height = size

    def wrap(self, availWidth, availHeight):
        return self.width, self.height

    def draw(self):
        count = len(self.modules)
        unit = self.width / (count + 2 * self.BORDER)
        ops = []
        for r, row in enumerate(self.modules):
            y = count - 1 - r + self.BORDER
            c = self.BORDER
            for dark, run in groupby(row, key=bool):
                length = len(list(run))
                if dark:
                    ops.append(f"{c} {y} {length} 1.04 re")  # 4% overlap hides seams between rows
                c += length
        self.canv.saveState()
        self.canv.setFillColor(black)
        self.canv.scale(unit, unit)
        self.canv.addLiteral("\n".join(ops) + "\nf")
        self.canv.restoreState()


class ContractStart(Flowable):
    """Zero-size marker at the top of each contract; tells the canvas a new numbering starts."""

    def __init__(self, number: str):
        super().__init__()
        self.number = number

    def wrap(self, availWidth, availHeight):
        return 0, 0

    def draw(self):
        self.canv.contract_seq += 1
        self.canv.contract_number = self.number


class NumberedCanvas(Canvas):
    """Holds pages back until the end, then stamps 第 x 页 共 y 页 per contract (two passes)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.contract_seq = 0
        self.contract_number = ""
        self._held_pages: list[dict] = []

    def showPage(self):
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        held = self._held_pages
        totals = Counter(page["contract_seq"] for page in held)
        seen: Counter = Counter()
        for page in held:
            self.__dict__.update(page)
            seen[self.contract_seq] += 1
            self._furniture(seen[self.contract_seq], totals[self.contract_seq])
            super().showPage()
        super().save()

    def _furniture(self, page: int, pages: int):
        width, _ = PAGE_SIZE
        self.saveState()
        self.setFont(FONT_NAME, 8)
        self.setFillColor(RULE)
        baseline = MARGIN_BOTTOM / 2
        self.drawString(MARGIN_X, baseline, f"合同编号：{self.contract_number}")
        self.drawCentredString(width / 2, baseline, f"第 {page} 页 共 {pages} 页")
        self.drawRightString(width - MARGIN_X, baseline, "购苗合同")
        if page > 1:
            self.drawRightString(width - MARGIN_X, PAGE_SIZE[1] - MARGIN_TOP / 2, f"购苗合同(续) {self.contract_number}")
        self.restoreState()
