"""The desk's charts as plain SVG drawn on the server (no script, no CDN): they scale to a phone's width."""

from __future__ import annotations

from datetime import date

from markupsafe import Markup, escape

from shop.customers import segments as s
from shop.money import format_yuan

WIDTH = 340  # the viewBox: the SVG is drawn at 100% of its box, so it reads at 360 px and wider


def season_months(orders, as_of: date) -> list[tuple[int, int, int]]:
    """(month, this season's fen, last season's fen) for the twelve months from July, up to the as-of day."""
    start = s.season_start(as_of)
    last_start, last_end = s.year_before(start), s.year_before(as_of)
    months = [((start.month + i - 1) % 12) + 1 for i in range(12)]
    this, last = dict.fromkeys(months, 0), dict.fromkeys(months, 0)
    for row in orders:
        got = s.counted(row)
        if got is None:
            continue
        day, fen = got
        if start <= day <= as_of:
            this[day.month] += fen
        elif last_start <= day <= last_end:
            last[day.month] += fen
    return [(m, this[m], last[m]) for m in months]


def value_by_grade(standings) -> list[tuple[str, int, int]]:
    """(grade, customers, value fen) for A, B and C."""
    return [(g, sum(1 for x in standings if x.grade == g), sum(x.value_fen for x in standings if x.grade == g))
            for g in s.GRADES]


def _yuan_short(fen: int) -> str:
    yuan = fen // 100
    return f"{yuan / 10000:.1f}万" if yuan >= 10000 else format_yuan(fen).split(".")[0]


def months_chart(monthly: list[tuple[int, int, int]], this_label: str, last_label: str) -> Markup:
    """Paired bars per month: this season (dark) against last season (light), with a legend."""
    top = max([max(t, la) for _, t, la in monthly] + [1])
    height, base, slot = 170, 140, (WIDTH - 10) / 12
    parts = [f'<svg viewBox="0 0 {WIDTH} {height}" width="100%" role="img" class="chart" '
             f'aria-label="{escape(this_label)} / {escape(last_label)}" xmlns="http://www.w3.org/2000/svg">',
             f'<rect x="6" y="4" width="10" height="10" class="this"/><text x="20" y="13">{escape(this_label)}</text>',
             f'<rect x="90" y="4" width="10" height="10" class="last"/><text x="104" y="13">{escape(last_label)}</text>',
             f'<text x="{WIDTH - 4}" y="13" text-anchor="end">{escape(_yuan_short(top))}</text>']
    for i, (month, this, last) in enumerate(monthly):
        x = 5 + i * slot
        for j, (fen, cls) in enumerate(((last, "last"), (this, "this"))):
            h = round(110 * fen / top, 1)
            parts.append(f'<rect x="{x + 2 + j * (slot / 2 - 1):.1f}" y="{base - h}" width="{slot / 2 - 2:.1f}" '
                         f'height="{h}" class="{cls}"><title>{month}: {escape(format_yuan(fen))}</title></rect>')
        parts.append(f'<text x="{x + slot / 2:.1f}" y="{base + 14}" text-anchor="middle">{month}</text>')
    parts.append(f'<line x1="4" y1="{base}" x2="{WIDTH - 4}" y2="{base}" class="axis"/></svg>')
    return Markup("".join(parts))  # noqa: S704 - every text in it went through escape()


def bar_chart(pairs: list[tuple[str, int]]) -> Markup:
    """Horizontal bars, one per (label, fen), with the amount at the end."""
    top = max([fen for _, fen in pairs] + [1])
    row = 26
    height = max(row, row * len(pairs)) + 6
    parts = [f'<svg viewBox="0 0 {WIDTH} {height}" width="100%" role="img" class="chart" '
             f'xmlns="http://www.w3.org/2000/svg">']
    for i, (label, fen) in enumerate(pairs):
        y = 4 + i * row
        w = round(170 * fen / top, 1)
        parts.append(f'<text x="2" y="{y + 16}">{escape(label[:8])}</text>'
                     f'<rect x="80" y="{y + 4}" width="{w}" height="16" class="this"/>'
                     f'<text x="{84 + w}" y="{y + 16}">{escape(_yuan_short(fen))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text in it went through escape()
