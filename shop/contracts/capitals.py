"""Amounts in capitals (大写金额) as written on Chinese financial documents.

Follows the 中国人民银行 rules for 中文大写金额 (《正确填写票据和结算凭证的基本规定》):
- 壹拾 is always written in full (壹拾陆元, never 拾陆元);
- a run of zeros inside the number is written as a single 零 (壹仟零伍拾元, 壹佰万零伍佰元);
- 整 follows 元 when there are no 角 and no 分; after 角 we write nothing (壹仟肆佰零玖元伍角);
- when 角 is zero but 分 is not, 零 stands between 元 and 分 (壹拾万元零壹分);
- an amount below one yuan starts directly with 角 or 分 (人民币伍分).
"""

DIGITS = "零壹贰叁肆伍陆柒捌玖"
PREFIX = "人民币"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_DIGIT_VALUE = {ch: i for i, ch in enumerate(DIGITS)}
_UNIT_VALUE = {"拾": 10, "佰": 100, "仟": 1000}
_WAN = 10**4
_YI = 10**8


def amount_in_capitals(fen: int) -> str:
    """Return fen as 人民币…元…角…分 / …元整 in capitals; ValueError if negative."""
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise TypeError(f"fen must be int, got {type(fen).__name__}")
    if fen < 0:
        raise ValueError(f"amount in capitals needs a non-negative amount, got {fen} fen")
    yuan, rest = divmod(fen, 100)
    jiao, fen_digit = divmod(rest, 10)
    if fen == 0:
        return PREFIX + "零元整"
    parts = [PREFIX]
    if yuan:
        parts.append(_integer(yuan) + "元")
    if jiao:
        parts.append(DIGITS[jiao] + "角")
    if fen_digit:
        if yuan and not jiao:
            parts.append("零")
        parts.append(DIGITS[fen_digit] + "分")
    elif not jiao:
        parts.append("整")
    return "".join(parts)


def _integer(n: int) -> str:
    """Capitals for a positive integer, grouping by 亿 and 万, zero runs collapsed to one 零."""
    if n >= _YI:
        high, low = divmod(n, _YI)
        return _integer(high) + "亿" + _joined_low(low, _YI // 10)
    if n >= _WAN:
        high, low = divmod(n, _WAN)
        return _group(high) + "万" + _joined_low(low, _WAN // 10)
    return _group(n)


def _joined_low(low: int, leading_place: int) -> str:
    """The part after 亿/万: 零 first when its leading digit is a zero."""
    if low == 0:
        return ""
    return ("零" if low < leading_place else "") + _integer(low)


def _group(n: int) -> str:
    """Capitals for 1..9999."""
    out: list[str] = []
    pending_zero = False
    for place in range(3, -1, -1):
        digit = n // 10**place % 10
        if digit == 0:
            pending_zero = bool(out)
            continue
        if pending_zero:
            out.append("零")
            pending_zero = False
        out.append(DIGITS[digit] + _SMALL_UNITS[place])
    return "".join(out)


def parse_capitals(text: str) -> int:
    """Inverse of amount_in_capitals: 人民币壹仟零伍拾元整 → 105000 (fen); ValueError if malformed."""
    s = "".join(text.split())
    s = s.removeprefix(PREFIX)
    if s.endswith(("整", "正")):
        s = s[:-1]
    if not s:
        raise ValueError(f"no amount in {text!r}")
    integer_text, sep, fraction_text = s.rpartition("元")
    if not sep:
        integer_text, fraction_text = "", s
    elif not integer_text:
        raise ValueError(f"no digits before 元 in {text!r}")
    yuan = _parse_integer(integer_text, text) if integer_text else 0
    return yuan * 100 + _parse_fraction(fraction_text, text)


def _parse_integer(s: str, original: str) -> int:
    total = section = digit = 0
    seen_digit = False
    for ch in s:
        if ch in _DIGIT_VALUE:
            digit = _DIGIT_VALUE[ch]
            seen_digit = True
        elif ch in _UNIT_VALUE:
            section += (digit or 1) * _UNIT_VALUE[ch]
            digit = 0
        elif ch == "万":
            section = (section + digit) * _WAN
            digit = 0
        elif ch == "亿":
            total = (total + section + digit) * _YI
            section = digit = 0
        else:
            raise ValueError(f"unexpected {ch!r} in amount {original!r}")
    if not seen_digit:
        raise ValueError(f"no digits before 元 in {original!r}")
    return total + section + digit


def _parse_fraction(s: str, original: str) -> int:
    fen = 0
    i = 0
    while i < len(s):
        ch = s[i]
        if ch == "零":
            i += 1
            continue
        if ch not in _DIGIT_VALUE or i + 1 >= len(s) or s[i + 1] not in "角分":
            raise ValueError(f"cannot read {s!r} in amount {original!r}")
        fen += _DIGIT_VALUE[ch] * (10 if s[i + 1] == "角" else 1)
        i += 2
    return fen
