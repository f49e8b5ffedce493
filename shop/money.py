"""Money as integer fen (分): parsing yuan text with Decimal, formatting, half-up percentages."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# Plain digits ("1234.5") or properly grouped thousands ("1,234.50"); the sign and symbols are handled apart.
_NUMBER = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_MAX_TEXT = 40
MAX_FEN = 10**15  # ten trillion yuan: far above any order, well inside a 64-bit column


def parse_yuan(text: str) -> int:
    """Fen from yuan text such as "12", "12.5", "12.50", "¥1,234.50" or "1234.50元"; ValueError if not money."""
    if not isinstance(text, str):
        raise ValueError(f"amount must be text, got {type(text).__name__}")
    raw = text
    if len(raw) > _MAX_TEXT:
        raise ValueError(f"amount is too long ({len(raw)} characters): {raw[:_MAX_TEXT]!r}…")
    text = text.strip().replace("\u3000", "")
    if text.startswith("-") or text.startswith("−"):
        raise ValueError(f"amount must not be negative: {raw!r}")
    text = text.lstrip("+").lstrip("¥￥").strip().removesuffix("元").strip()
    if not text:
        raise ValueError(f"amount is empty: {raw!r}")
    if text.startswith("-"):
        raise ValueError(f"amount must not be negative: {raw!r}")
    if not _NUMBER.fullmatch(text):
        raise ValueError(f"not an amount in yuan (expected e.g. 12, 12.50 or ¥1,234.50): {raw!r}")
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern already rules this out
        raise ValueError(f"not an amount in yuan: {raw!r}") from None
    fen = value * 100
    if fen != fen.to_integral_value():
        raise ValueError(f"amount has more than two decimals (分 is the smallest unit): {raw!r}")
    if fen > MAX_FEN:
        raise ValueError(f"amount is too large: {raw!r}")
    return int(fen)


def format_yuan(fen: int) -> str:
    """Yuan with two decimals and no symbol, for JSON: 123450 → "1234.50"."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(int(fen)), 100)
    return f"{sign}{yuan}.{cents:02d}"


def format_money(fen: int) -> str:
    """Yuan for people: 123450 → "¥1,234.50"."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(int(fen)), 100)
    return f"{sign}¥{yuan:,}.{cents:02d}"


def percent_half_up(fen: int, numerator: int, denominator: int) -> int:
    """fen × numerator / denominator rounded half up to the fen, in integers only."""
    if fen < 0 or numerator < 0:
        raise ValueError("percent_half_up takes a non-negative amount and numerator")
    if denominator <= 0:
        raise ValueError("percent_half_up needs a positive denominator")
    return (2 * fen * numerator + denominator) // (2 * denominator)
