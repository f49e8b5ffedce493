"""The purchase contract (购苗合同) as an A4 PDF, one contract or a batch in one merged file."""

import io
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import ClassVar

from reportlab.lib.colors import black
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.textsplit import wordSplit
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
from reportlab.platypus.flowables import _FUZZ

from shop.contracts import terms
from shop.contracts.capitals import amount_in_capitals
from shop.contracts.document import ContractData, ContractLine, Party
from shop.contracts.qr import qr_rows
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
_DARK_RUN = re.compile("1+")
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


class MetaLine(Flowable):
    """One line with a text on the left and one on the right (the contract number and the date)."""

    PADDING = 3  # as a table row's default top and bottom padding

    def __init__(self, left: str, right: str, size: float):
        super().__init__()
        self.left, self.right, self.size = left, right, size
        self.width = CONTENT_WIDTH
        self.height = size * 1.2 + 2 * self.PADDING

    def wrap(self, availWidth, availHeight):
        return self.width, self.height

    def draw(self):
        canv = self.canv
        canv.setFillColor(INK)
        canv.setFont(FONT_NAME, self.size)
        baseline = self.PADDING + 0.2 * self.size * 1.2 + 0.1 * self.size
        canv.drawString(0, baseline, self.left)
        canv.drawRightString(self.width, baseline, self.right)


class Row(Flowable):
    """Flowables side by side in fixed-width cells: the few table rows of the contract without a Table.

    A one-row Table parses its style for every cell and wraps each cell twice; this wraps each cell once.
    Cells are centred vertically (or set at the top), optionally inside a box with a rule between cells,
    with an optional full-width flowable under the row. It never splits: like a one-row Table it moves to
    the next page whole, and so keeps the signatures with their verification line (KeepTogether's effect).
    """

    PADDING_Y = 3  # above and below the cells, as a table row's default padding
    GAP = 1 * mm  # between the row and the flowable under it

    def __init__(self, cells: Sequence[tuple[Flowable, float]], *, padding: tuple[float, float] = (0, 0),
                 valign: str = "middle", boxed: bool = False, below: Flowable | None = None):
        super().__init__()
        self.cells = list(cells)
        self.padding = padding
        self.valign = valign
        self.boxed = boxed
        self.below = below

    def wrap(self, availWidth, availHeight):
        inner = sum(self.padding)
        self._heights = [cell.wrapOn(self.canv, width - inner, availHeight)[1] for cell, width in self.cells]
        self._row = max(self._heights) + 2 * self.PADDING_Y
        self._below = self.below.wrapOn(self.canv, availWidth, availHeight)[1] + self.GAP if self.below else 0
        self.width = sum(width for _, width in self.cells)
        self.height = self._row + self._below
        return self.width, self.height

    def split(self, availWidth, availHeight):
        return []

    def draw(self):
        canv = self.canv
        x = 0.0
        top = self.height - self.PADDING_Y
        for (cell, width), height in zip(self.cells, self._heights, strict=True):
            y = top - height if self.valign == "top" else self._below + (self._row - height) / 2
            cell.drawOn(canv, x + self.padding[0], y)
            x += width
        if self.boxed:
            canv.saveState()
            canv.setStrokeColor(RULE)
            canv.setLineWidth(0.5)
            canv.rect(0, self._below, self.width, self._row, stroke=1, fill=0)
            x = 0.0
            for _, width in self.cells[:-1]:
                x += width
                canv.line(x, self._below, x, self._below + self._row)
            canv.restoreState()
        if self.below is not None:
            self.below.drawOn(canv, 0, 0)


class Stack(Flowable):
    """Flowables one under the other, as a table cell holding a list of them."""

    def __init__(self, flowables: Sequence[Flowable]):
        super().__init__()
        self.flowables = list(flowables)

    def wrap(self, availWidth, availHeight):
        self._sizes = [f.wrapOn(self.canv, availWidth, availHeight) for f in self.flowables]
        self.width = max(w for w, _ in self._sizes)
        self.height = sum(h for _, h in self._sizes)
        return self.width, self.height

    def draw(self):
        y = self.height
        for flowable, (_, height) in zip(self.flowables, self._sizes, strict=True):
            y -= height
            flowable.drawOn(self.canv, 0, y)


class TextTable(Table):
    """A Table that writes its plain-string cells into one text object instead of one per cell.

    ReportLab's Table draws each string with its own text object (BT…ET with matrix, font and leading);
    the contract's lines and totals tables are mostly short strings. Positions follow Table._drawCell
    exactly; any other cell (a Paragraph that wraps) first closes the text object, so the page's text
    stays in reading order.
    """

    _text = None

    def _drawCell(self, cellval, cellstyle, pos, size):
        if (not isinstance(cellval, str) or cellstyle.alignment not in _TEXT_ALIGN or cellstyle.href
                or cellstyle.destination or cellstyle.direction or cellstyle.shaping):
            self._end_text()
            return super()._drawCell(cellval, cellstyle, pos, size)
        colpos, rowpos = pos
        colwidth, rowheight = size
        text = self._text
        if text is None:
            text = self._text = self.canv.beginText()
            self._text_state = None, None
        font = (cellstyle.fontname, cellstyle.fontsize, cellstyle.leading)
        if font != self._text_state[0]:
            text.setFont(*font)
        if cellstyle.color != self._text_state[1]:
            text.setFillColor(cellstyle.color)
        self._text_state = font, cellstyle.color
        lines = cellval.split("\n")
        leading, fontsize = cellstyle.leading, cellstyle.fontsize
        if cellstyle.valign == "BOTTOM":
            y = rowpos + cellstyle.bottomPadding + len(lines) * leading - fontsize
        elif cellstyle.valign == "TOP":
            y = rowpos + rowheight - cellstyle.topPadding - fontsize
        else:
            y = rowpos + (cellstyle.bottomPadding + rowheight - cellstyle.topPadding + len(lines) * leading) / 2 - fontsize
        align = _TEXT_ALIGN[cellstyle.alignment]
        if align == "LEFT":
            x = colpos + cellstyle.leftPadding
        elif align == "RIGHT":
            x = colpos + colwidth - cellstyle.rightPadding
        else:
            x = colpos + (colwidth + cellstyle.leftPadding - cellstyle.rightPadding) * 0.5
        for line in lines:
            shift = 0 if align == "LEFT" else stringWidth(line, cellstyle.fontname, fontsize)
            text.setTextOrigin(x - (shift if align == "RIGHT" else shift / 2), y)
            text.textLine(line)
            y -= leading

    def _drawLines(self):
        self._end_text()
        super()._drawLines()

    def _end_text(self):
        if self._text is not None:
            self.canv.drawText(self._text)
            self._text = None
            self._curcellstyle = None  # the text object changed the fill colour; let Table set it again


_TEXT_ALIGN = {"LEFT": "LEFT", "RIGHT": "RIGHT", "CENTRE": "CENTRE", "CENTER": "CENTRE"}


class TextLines(Flowable):
    """Lines of plain text (no markup, no wrapping) drawn as a Paragraph of the same style would place them.

    Building a Paragraph parses markup and breaks CJK text into lines on every wrap (and a table wraps its
    cells twice); text_block uses this instead whenever every line already fits.
    """

    def __init__(self, lines: Sequence[tuple[str, float]], leading: float, color, width: float):
        super().__init__()
        self.lines = tuple(lines)
        self.leading = leading
        self.color = color
        self.width = width
        self.height = leading * len(self.lines)

    def wrap(self, availWidth, availHeight):
        return self.width, self.height

    def draw(self):
        first_size = self.lines[0][1]
        out = self.canv.beginText(0, self.height - first_size)
        out.setFillColor(self.color)
        for line, size in self.lines:
            out.setFont(FONT_NAME, size, self.leading)
            out.textLine(line)
        self.canv.drawText(out)


class ClauseParagraph(Paragraph):
    """A Paragraph that breaks its lines once per width.

    A heading and the paragraph after it are wrapped twice (keep-with-next measures them, then the frame
    places them), so each instance remembers its line breaks. For text that is the same on every contract
    (static=True: headings and terms.STATIC_CLAUSES) the parsed markup and the line breaks are shared by
    the whole process. What is shared is never handed out: each paragraph gets clones of the parsed
    fragments, and only the plain result of ReportLab's wordSplit (tuples of numbers and strings) is kept,
    every wrap building its own line objects, so nothing a wrap, draw or split might touch is shared.
    """

    _shared_breaks: ClassVar[dict[tuple, tuple]] = {}

    _shared_frags: ClassVar[dict[tuple[str, str], list]] = {}

    def __init__(self, text: str, style: ParagraphStyle, *, static: bool = False, frags=None, **kwargs):
        if static and frags is None:  # parse the markup once per process; each paragraph gets its own copies
            parsed = self._shared_frags.get((text, style.name))
            if parsed is None:
                parsed = self._shared_frags[text, style.name] = Paragraph(text, style).frags
            frags = [frag.clone() for frag in parsed]
        super().__init__(text, style, frags=frags, **kwargs)
        self._static = static
        self._breaks: tuple | None = None

    def breakLinesCJK(self, maxWidths):
        frags = self.frags
        simple = (len(frags) == 1 and hasattr(frags[0], "text") and not hasattr(frags[0], "cbDefn")
                  and not self.bulletText and not self.style.endDots and not getattr(self, "_splitpara", 0))
        if not simple:
            return super().breakLinesCJK(maxWidths)
        if not isinstance(maxWidths, (list, tuple)):
            maxWidths = [maxWidths]
        frag = frags[0]
        key = (frag.text, frag.fontName, frag.fontSize, tuple(maxWidths))
        if self._breaks is not None and self._breaks[0] == key:
            lines = self._breaks[1]
        else:
            lines = self._shared_breaks.get(key) if self._static else None
            if lines is None:
                lines = tuple((space, line) for space, line in wordSplit(frag.text, list(maxWidths), frag.fontName,
                                                                         frag.fontSize))
                if self._static:
                    self._shared_breaks[key] = lines
            self._breaks = key, lines
        self.height = 0
        return frag.clone(kind=0, lines=[(space, [line]) for space, line in lines], ascent=frag.fontSize,
                          descent=-0.2 * frag.fontSize)


class KeepWithNext(KeepTogether):
    """What the document uses for a heading with keepWithNext: KeepTogether without its frame deepcopy.

    ReportLab's KeepTogether.wrap deep-copies the current frame on every wrap to collect generated content,
    which no flowable of the contract produces; the sizes it computes are the same.
    """

    def wrap(self, aW, aH):
        width = height = space_after = 0.0
        first = None
        for flowable in self._content:
            w, h = flowable.wrapOn(self.canv, aW, 0xFFFFFFF)
            if h <= _FUZZ:
                continue
            width = max(width, min(w, aW))
            height += h
            if first is None:
                first = h
            else:
                height += max(flowable.getSpaceBefore() - space_after, 0)
            space_after = flowable.getSpaceAfter()
            height += space_after
        self._H = height - space_after
        self._H0 = first or 0
        self._wrapInfo = aW, aH
        return width, 0xFFFFFF  # force a split, as KeepTogether does


class VerifyQr(Flowable):
    """The verification QR code (shop.contracts.qr, standard mask choice), drawn as one vector path.

    QrCodeWidget builds a validated shape per dark run and encodes twice; this draws the same modules
    with a single fill, about ten times faster, and stays sharp in print.
    """

    BORDER = 2  # quiet zone in modules

    def __init__(self, url: str, size: float):
        super().__init__()
        self.rows = qr_rows(url)
        self.width = self.height = size

    def wrap(self, availWidth, availHeight):
        return self.width, self.height

    def draw(self):
        count = len(self.rows)
        unit = self.width / (count + 2 * self.BORDER)
        ops = []
        for r, row in enumerate(self.rows):
            y = count - 1 - r + self.BORDER
            ops += [f"{run.start() + self.BORDER} {y} {run.end() - run.start()} 1.04 re" for run in _DARK_RUN.finditer(row)]
        # 1.04: a 4% overlap hides seams between rows
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
