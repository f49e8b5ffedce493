"""Font, paragraph styles and page geometry of the contract PDF; built once per process."""

import functools
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import paragraph as _rl_paragraph

# WenQuanYi Micro Hei: TrueType outlines, CJK plus Latin, digits and ¥ (Droid Sans Fallback has no Latin).
FONT_PATH = Path(__file__).parent / "fonts" / "wqy-microhei.ttc"
FONT_NAME = "WenQuanYiMicroHei"
FONT_SUBFONT_INDEX = 0

PAGE_SIZE = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 12 * mm
MARGIN_BOTTOM = 15 * mm
CONTENT_WIDTH = PAGE_SIZE[0] - 2 * MARGIN_X

INK = colors.HexColor("#1a1a1a")
RULE = colors.HexColor("#7a7a7a")
HEADER_FILL = colors.HexColor("#e8efe6")


# ReportLab's CJK wrapping keeps these off the start of a line but its list lacks the full-width
# comma, semicolon, colon and marks common in Chinese text; add them (process-wide, only affects CJK wrap).
_CHINESE_NO_LINE_START = "，；：！？％）》」』】"
_rl_paragraph.ALL_CANNOT_START += "".join(
    ch for ch in _CHINESE_NO_LINE_START if ch not in _rl_paragraph.ALL_CANNOT_START
)


@functools.cache
def contract_font() -> TTFont:
    """Parse the TTF once and register it with ReportLab (embedded as a subset in every PDF)."""
    font = TTFont(FONT_NAME, str(FONT_PATH), subfontIndex=FONT_SUBFONT_INDEX)
    pdfmetrics.registerFont(font)
    return font


def _style(name: str, size: float, leading: float, **kw) -> ParagraphStyle:
    return ParagraphStyle(
        name, fontName=FONT_NAME, fontSize=size, leading=leading, textColor=INK, wordWrap="CJK", **kw
    )


class Styles:
    """The paragraph styles of the contract, shared by every render."""

    title = _style("title", 18, 22, alignment=TA_CENTER, spaceAfter=1.5 * mm)
    heading = _style("heading", 10.5, 14, spaceBefore=1.2 * mm, spaceAfter=0.6 * mm, keepWithNext=1)
    body = _style("body", 9, 13)
    party = _style("party", 9, 12.5)
    cell = _style("cell", 9, 11.5)
    small = _style("small", 7.5, 9.5)
    sign = _style("sign", 9.5, 17)
