"""Flowables and the canvas the contract is drawn with: fast text lines and rows, the QR code, page x of y."""


import re
from collections import Counter
from collections.abc import Sequence
from typing import ClassVar

from reportlab.lib.colors import black
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.textsplit import wordSplit
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    Table,
)
from reportlab.platypus.flowables import _FUZZ

from shop.contracts.qr import qr_rows
from shop.contracts.styles import (
    CONTENT_WIDTH,
    FONT_NAME,
    INK,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    PAGE_SIZE,
    RULE,
)

_DARK_RUN = re.compile("1+")


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
