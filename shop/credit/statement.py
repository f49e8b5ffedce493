"""The monthly statement (对账单) of a dealer's account as an A4 PDF, in the contract's embedded Chinese font.

Pure layout: every figure comes from `ledger.statement` (opening, each line, totals, closing, what was overdue)
and from the dealer's grant; this module only places and formats them. No Flask, no database.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from datetime import datetime, timedelta

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    TableStyle,
)

from shop.contracts.document import Party
from shop.contracts.flowables import MetaLine, Row, TextTable
from shop.contracts.render import text_block
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
from shop.contracts.terms import shanghai_time, text
from shop.credit import ledger
from shop.money import format_money

TITLE = "对账单"
KINDS = {ledger.ORDER: "赊购订单", ledger.CANCELLED: "订单取消", ledger.RETURNED: "退回账户", ledger.PAYMENT: "回款"}
ENTRY_HEADER = ("日期", "摘要", "借方(应收)", "贷方(已收)", "余额")
ENTRY_WIDTHS = tuple(w * mm for w in (22, 66, 28, 28, 30))
OVERDUE_HEADER = ("订单号", "到期日", "未付金额", "逾期天数")
OVERDUE_WIDTHS = tuple(w * mm for w in (66, 36, 36, 36))
CELL_PADDING = 6  # ReportLab's default cell padding, left and right
CELL_FONT_SIZE = 9
PREPAID = "（预付余额）"  # a negative balance: paid in beyond what is owed

_TABLE = [
    ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
    ("FONTSIZE", (0, 0), (-1, -1), CELL_FONT_SIZE),
    ("TEXTCOLOR", (0, 0), (-1, -1), INK),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ("GRID", (0, 0), (-1, -1), 0.5, RULE),
    ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
    ("ALIGN", (0, 0), (-1, 0), "CENTER"),
    ("TOPPADDING", (0, 0), (-1, -1), 2),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
]
# The contract's heading keeps with what follows; a statement's table may be pages long, so its heading only asks
# for room for a few rows (CondPageBreak) and the table splits, its header row repeated.
HEADING = ParagraphStyle("statement-heading", parent=Styles.heading, keepWithNext=0)
ROOM_UNDER_HEADING = 25 * mm
ENTRIES_STYLE = TableStyle([*_TABLE, ("ALIGN", (2, 1), (-1, -1), "RIGHT")])
OVERDUE_STYLE = TableStyle([*_TABLE, ("ALIGN", (1, 1), (-1, -1), "RIGHT")])


def render_statement(statement: ledger.Statement, *, seller: Party, dealer: Party, account: ledger.Account,
                     generated_at: datetime, closed: bool = True) -> bytes:
    """The 对账单 as a PDF. `closed` is False for the month still running: what is overdue is then as of
    generated_at, not the month's end (the caller hands the matching figures in `statement.overdue`)."""
    contract_font()
    month = f"{statement.year}年{statement.month}月"
    generated = shanghai_time(generated_at)
    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf, pagesize=PAGE_SIZE, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM, initialFontName=FONT_NAME,  # else an unembedded Helvetica is pulled in
        title=f"{TITLE} {dealer.name} {statement.year}-{statement.month:02d}", author=seller.name,
        creator="苗木商城")
    doc.addPageTemplates([PageTemplate(id="statement", frames=[
        Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")])])
    footer = (f"{TITLE} {dealer.name} {month}", f"生成时间：{generated}")
    doc.build(story(statement, seller=seller, dealer=dealer, account=account, generated=generated, closed=closed),
              canvasmaker=functools.partial(StatementCanvas, footer=footer))
    return buf.getvalue()


def story(statement: ledger.Statement, *, seller: Party, dealer: Party, account: ledger.Account, generated: str,
          closed: bool) -> list[Flowable]:
    """The flowables of one statement, top to bottom."""
    first, following = ledger.month_bounds(statement.year, statement.month)
    period = f"对账期间：{first.isoformat()} 至 {(following - timedelta(days=1)).isoformat()}"
    return [
        Paragraph(f"{TITLE}（{statement.year}年{statement.month}月）", Styles.title),
        MetaLine(period, f"生成时间：{generated}", 9.5),
        Spacer(1, 1.5 * mm),
        _parties(seller, dealer),
        Spacer(1, 1.5 * mm),
        _lines([f"授信额度：{format_money(account.limit_fen)}　账期：发货后 {account.terms_days} 天",
                f"期初欠款：{_owed(statement.opening_fen)}　期末欠款：{_owed(statement.closing_fen)}"], Styles.body),
        *_heading("往来明细"),
        _entries(statement),
        Spacer(1, 1 * mm),
        _lines(["余额为客户尚欠金额；负数为预付余额，将用于冲抵以后的赊购订单。"], Styles.small),
        *_heading("月末逾期未付" if closed else "截至生成时逾期未付"),
        _overdue(statement.overdue),
        Spacer(1, 3 * mm),
        _lines([f"如对本对账单有异议，请于收到后 7 日内联系{seller.name}" + (f"（{seller.phone}）" if seller.phone else "")
                + "。", *([seller.bank] if seller.bank else [])], Styles.small),
    ]


def _heading(words: str) -> list[Flowable]:
    return [CondPageBreak(ROOM_UNDER_HEADING), Paragraph(words, HEADING)]


def _owed(fen: int) -> str:
    """What the dealer owes; a negative amount is their balance paid in advance."""
    return format_money(fen) + (PREPAID if fen < 0 else "")


def _parties(seller: Party, dealer: Party) -> Flowable:
    padding = (5, CELL_PADDING)
    half = CONTENT_WIDTH / 2
    width = half - sum(padding)
    ours = [f"供方：{seller.name}", f"地址：{seller.address}",
            f"电话：{seller.phone}" + (f"　联系人：{seller.contact}" if seller.contact else "")]
    theirs = [f"客户：{dealer.name}", f"联系人：{dealer.contact}", f"电话：{dealer.phone}"]
    if dealer.address:
        theirs.append(f"地区：{dealer.address}")
    return Row([(text_block(ours, Styles.party, width), half), (text_block(theirs, Styles.party, width), half)],
               padding=padding, valign="top", boxed=True)


def _lines(lines: Sequence[str], style) -> Flowable:
    """Lines of plain text across the page (a line too long for it wraps)."""
    return text_block(lines, style, CONTENT_WIDTH)


def summary(entry: ledger.Entry) -> str:
    """摘要 of a line: what happened and to which order, or the bank reference of a payment."""
    return f"{KINDS[entry.kind]} {entry.reference}".strip()


def _entries(statement: ledger.Statement) -> Flowable:
    rows: list[list] = [list(ENTRY_HEADER)]
    rows.append(["", "期初欠款", "", "", format_money(statement.opening_fen)])
    for entry in statement.entries:
        rows.append([entry.day.isoformat(), _cell(summary(entry), ENTRY_WIDTHS[1]),
                     format_money(entry.debit_fen) if entry.debit_fen else "",
                     format_money(entry.credit_fen) if entry.credit_fen else "",
                     format_money(entry.owed_after_fen)])
    rows.append(["", "本月合计", format_money(statement.debits_fen), format_money(statement.credits_fen), ""])
    rows.append(["", "期末欠款", "", "", format_money(statement.closing_fen)])
    return TextTable(rows, colWidths=ENTRY_WIDTHS, repeatRows=1, style=ENTRIES_STYLE)


def _overdue(overdue: Sequence[ledger.Settled]) -> Flowable:
    if not overdue:
        return _lines(["无"], Styles.body)
    rows: list[list] = [list(OVERDUE_HEADER)]
    for line in overdue:
        due = ledger.local_day(line.order.due_at).isoformat() if line.order.due_at else ""
        rows.append([line.order.number, due, format_money(line.owed_fen), f"{line.overdue_days} 天"])
    return TextTable(rows, colWidths=OVERDUE_WIDTHS, repeatRows=1, style=OVERDUE_STYLE)


def _cell(value: str, width: float) -> str | Paragraph:
    """Plain text when it fits on one line, else a paragraph that wraps (a long bank reference)."""
    if stringWidth(value, FONT_NAME, CELL_FONT_SIZE) <= width - 2 * CELL_PADDING:
        return value
    return Paragraph(text(value), Styles.cell)


class StatementCanvas(Canvas):
    """Holds the pages back until the end, then stamps 第 x 页 共 y 页 and the footer on each."""

    def __init__(self, *args, footer: tuple[str, str] = ("", ""), **kwargs):
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._held: list[dict] = []

    def showPage(self):
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        pages = len(self._held)
        for number, page in enumerate(self._held, start=1):
            self.__dict__.update(page)
            self._furniture(number, pages)
            super().showPage()
        super().save()

    def _furniture(self, page: int, pages: int):
        width, height = PAGE_SIZE
        left, right = self._footer
        self.saveState()
        self.setFont(FONT_NAME, 8)
        self.setFillColor(RULE)
        baseline = MARGIN_BOTTOM / 2
        self.drawString(MARGIN_X, baseline, left)
        self.drawCentredString(width / 2, baseline, f"第 {page} 页 共 {pages} 页")
        self.drawRightString(width - MARGIN_X, baseline, right)
        if page > 1:
            self.drawRightString(width - MARGIN_X, height - MARGIN_TOP / 2, f"{left}(续)")
        self.restoreState()
