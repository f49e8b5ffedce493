"""Bulk entry (批量录入): a dealer's list, one grade and quantity a line, each line given its own verdict.

Pure: no flask, no request, no database. It reads a CatalogIndex built from the cached catalog tree
(`CatalogIndex.from_tree(shop.catalog.tree.current())`), so a list of 500 lines costs no query of its own.
The paste box, the CSV upload (shop.dealers.csvfile) and the quick grid all end here as lines of text.

A line names a grade by SKU, or by variety (中文 or English, exact or contained) and grade words that must all
be in the grade's name or propagation, then a quantity: 500, 500株, 1,000, 1万, 2.5万, 五百, 一千二, 两千.
Repeated grades are merged: the first line keeps `merged_rows`, each later one has `merged_into`, all of them
share the verdict of the total, and `ok_items` orders the total once.
"""

from __future__ import annotations

import re
import unicodedata
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from shop.orders.intake import MAX_QUANTITY

MAX_LINES = 500  # non-empty lines of one list
MAX_LINE_CHARS = 300  # a longer line is not read
MAX_CANDIDATES = 5
STATUSES = ("ok", "not_found", "ambiguous", "quote_only", "insufficient_stock", "bad_quantity")

SEPARATORS = re.compile(r"[\s,;、|=*×]+")  # after NFKC: ，；： are , ; :
THOUSANDS = re.compile(r"(?<![^\s,;、|=*×:])\d{1,3}(?:,\d{3})+(?=$|[\s,;、|=*×株棵颗万.])")
UNIT = re.compile(r"(?:株|棵|颗|苗|根|支|个|plants?|pcs)$", re.IGNORECASE)
ARABIC = re.compile(r"(\d+(?:\.\d+)?)([万千百]?)")
CHINESE = re.compile(r"[\d.零〇一二两三四五六七八九十百千万壹贰叁肆伍陆柒捌玖拾佰仟点]+")
GLUED = re.compile(r"(.*[\u3400-\u9fff])(\d[\d,.]*[万千]?(?:株|棵|颗)?)")  # 巨峰二级500株
MULTIPLIERS = {"": 1, "百": 100, "千": 1_000, "万": 10_000}
HEADER_WORDS = {"sku", "quantity", "qty", "数量", "品种", "规格", "variety", "grade", "货号", "编号"}
# Grade words as dealers write them; a word made only of these is split into them (嫁接一级 → 嫁接, 一级).
GRADE_WORDS = sorted(["特级", "一级", "二级", "三级", "嫁接", "扦插", "实生", "组培", "分株", "压条", "砧木", "矮化",
                      "一年生", "二年生", "三年生", "营养钵", "盆苗", "挂果", "绿化", "大苗", "小苗", "盆景"],
                     key=len, reverse=True)
INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb"
                       "\ud800-\udfff]")  # control and format characters, lone surrogates
CN_DIGITS = dict(zip("一二三四五六七八九", "123456789", strict=True))


class TooManyLines(ValueError):
    """More than MAX_LINES non-empty lines."""

    def __init__(self, count: int):
        self.count = count
        self.message_zh = f"一次最多{MAX_LINES}行（现在{count}行），请分开提交"
        self.message_en = f"At most {MAX_LINES} lines at a time (this list has {count}); split it"
        super().__init__(self.message_en)

    def message(self, lang: str = "zh") -> str:
        return self.message_en if lang == "en" else self.message_zh


@dataclass(frozen=True)
class Candidate:
    """A grade a line may have meant."""

    sku: str
    variety: str
    grade: str
    variety_en: str
    grade_en: str


@dataclass(frozen=True)
class ParsedLine:
    """One line's verdict; `quantity` is what this line asks for (a merged group's total is in the message)."""

    row: int  # the line's number in the text (blank and header lines count, as in the textarea or spreadsheet)
    text: str
    status: str
    sku: str | None
    quantity: int | None
    available: int | None  # the grade's stock, once the grade is known
    candidates: tuple[Candidate, ...]
    merged_into: int | None
    merged_rows: tuple[int, ...]
    message_zh: str
    message_en: str

    def message(self, lang: str = "zh") -> str:
        return self.message_en if lang == "en" else self.message_zh


@dataclass(frozen=True)
class Summary:
    """A list's counts: rows that are ok (merged ones included) and rows to fix."""

    ok: int
    problems: int
    merged: int  # later lines folded into an earlier one


@dataclass(frozen=True)
class Entry:
    """A grade as the parser matches it."""

    sku: str
    variety: str
    variety_en: str
    grade: str
    grade_en: str
    price_fen: int | None
    stock: int
    words: str  # name, English name and propagation as name keys, for grade words
    rank: int  # catalog order

    @property
    def candidate(self) -> Candidate:
        return Candidate(self.sku, self.variety, self.grade, self.variety_en, self.grade_en)

    def label(self, lang: str) -> str:
        return f"{self.variety_en}, {self.grade_en}" if lang == "en" else f"{self.variety} {self.grade}"


def fold(text: str) -> str:
    """Text as compared: NFKC (full-width digits and commas), lower case."""
    return unicodedata.normalize("NFKC", text).lower()


@lru_cache(maxsize=4096)
def name_key(text: str) -> str:
    """A variety name as looked up: no spaces or punctuation, 五号 = 5号, O = 0 (S04 is SO4)."""
    key = re.sub(r"[\s\-_·・.()\[\]/'’]+", "", fold(text))
    key = re.sub(r"([一二三四五六七八九])号", lambda m: CN_DIGITS[m.group(1)] + "号", key)
    return key.replace("o", "0")


class CatalogIndex:
    """The catalog as the parser looks it up: grades by SKU, varieties by name and category."""

    def __init__(self, varieties: list[tuple[tuple[str, ...], tuple[str, ...], tuple[Entry, ...]]], version: int = 0):
        self.version = version
        self.by_sku: dict[str, Entry] = {}
        self.grades: list[tuple[Entry, ...]] = []
        self.by_name: dict[str, list[int]] = {}
        self.by_category: dict[str, list[int]] = {}
        self.names: list[tuple[int, str]] = []  # (variety, key) for names contained in words or words in names
        self._contained: dict[str, tuple[list[int], str]] = {}
        for number, (names, categories, entries) in enumerate(varieties):
            self.grades.append(entries)
            self.by_sku.update((e.sku.upper(), e) for e in entries)
            for key in {name_key(n) for n in names if n}:
                self.by_name.setdefault(key, []).append(number)
                self.names.append((number, key))
            for key in {name_key(c) for c in categories if c}:
                self.by_category.setdefault(key, []).append(number)
        self.categories = set(self.by_category)

    @classmethod
    def from_tree(cls, catalog) -> CatalogIndex:
        """The index of a shop.catalog.tree.Catalog, built once per catalog version (per tree object)."""
        global _cached
        ref, index = _cached
        if ref() is catalog:
            return index
        varieties, rank = [], 0
        for category in catalog.categories:
            for v in category.varieties:
                entries = []
                for g in v.grades:
                    words = " ".join(name_key(w) for w in (g.name, g.name_en, g.propagation))
                    entries.append(Entry(g.sku, v.name, v.name_en, g.name, g.name_en, g.price_fen, g.stock, words, rank))
                    rank += 1
                varieties.append(((v.name, v.name_en, v.slug), (category.name, category.name_en), tuple(entries)))
        index = cls(varieties, catalog.version)
        _cached = (weakref.ref(catalog), index)
        return index

    def contained(self, key: str) -> tuple[list[int], str]:
        """Varieties whose name holds the word (冬枣 → 沾化冬枣), else those whose name the word holds, longest
        first (阳光玫瑰一级 → 阳光玫瑰), with what is left of the word."""
        found = self._contained.get(key)
        if found is None:
            inside = [n for n, name in self.names if key in name] if len(key) >= (2 if key.isascii() else 1) else []
            if inside:
                found = (sorted(set(inside)), "")
            else:
                holders = [(len(name), n, name) for n, name in self.names if len(name) >= 2 and name in key]
                longest = max((size for size, _, _ in holders), default=0)
                kept = [(n, name) for size, n, name in holders if size == longest]
                found = (sorted({n for n, _ in kept}), key.replace(kept[0][1], " ", 1) if kept else "")
            if len(self._contained) < 10_000:  # words dealers send: bounded
                self._contained[key] = found
        return found

    def resolve(self, words: list[str]) -> Match:
        """The grade the words name, else the closest candidates."""
        for word in words:
            entry = self.by_sku.get(fold(word).upper())
            if entry is not None:
                return Match(entry, (), True)
        keys = [name_key(w) for w in words]
        tries = list(self._exact(keys))  # 阳光玫瑰 SO4: the variety 阳光玫瑰 on SO4 rootstock, not the variety SO4
        if not tries:
            tries = [(self.by_category[k], keys[:i] + keys[i + 1:]) for i, k in enumerate(keys) if k in self.by_category]
        if not tries:
            for i, key in enumerate(keys):
                found, left = self.contained(key)
                if found:
                    tries = [(found, [*keys[:i], *left.split(), *keys[i + 1:]])]
                    break
        first = None
        for varieties, rest in tries[:4]:
            match = self._grade(varieties, rest)
            if match.entry is not None:
                return match
            first = first or match
        return first or Match(None, (), False)

    def _grade(self, varieties: list[int], rest: list[str]) -> Match:
        """Among these varieties' grades, the one all grade words are in."""
        wanted = [a for key in rest if key not in self.categories for a in grade_atoms(key)]
        grades = [e for n in varieties for e in self.grades[n]]
        matching = [e for e in grades if all(a in e.words for a in wanted)]
        if len(matching) == 1:
            return Match(matching[0], (), True)
        pool = sorted(matching or grades, key=lambda e: (
            -sum(a in e.words for a in wanted), e.price_fen is None or e.stock <= 0, e.rank))
        return Match(None, tuple(e.candidate for e in pool[:MAX_CANDIDATES]), True, len(matching) > 1)

    def _exact(self, keys: list[str]) -> Iterable[tuple[list[int], list[str]]]:
        """Each run of up to four words that is a variety's name, first and longest first (English has spaces)."""
        for start in range(len(keys)):
            for end in range(min(len(keys), start + 4), start, -1):
                found = self.by_name.get("".join(keys[start:end]))
                if found:
                    yield found, keys[:start] + keys[end:]


@dataclass(frozen=True)
class Match:
    """What a line's words name: one grade, or none and the candidates."""

    entry: Entry | None
    candidates: tuple[Candidate, ...]
    variety_found: bool
    ambiguous: bool = False


_cached: tuple[weakref.ref, CatalogIndex | None] = (lambda: None, None)


@lru_cache(maxsize=4096)
def grade_atoms(word: str) -> tuple[str, ...]:
    """A grade word as the parts that must each be in the grade: 嫁接一级苗 → [嫁接, 一级]; 1级 = 一级."""
    word = re.sub(r"([1-3])级", lambda m: "一二三"[int(m.group(1)) - 1] + "级", word)
    parts, i = [], 0
    while i < len(word):
        known = next((w for w in GRADE_WORDS if word.startswith(w, i)), None)
        if known:
            parts.append(known)
            i += len(known)
        elif word[i] == "苗":
            i += 1
        else:
            whole = word.removesuffix("苗")
            return (whole,) if whole else ()
    return tuple(parts)


@lru_cache(maxsize=4096)
def parse_quantity(text: str) -> int | None:
    """A whole number of plants from 1 to MAX_QUANTITY, as dealers write it; None for anything else."""
    text = UNIT.sub("", fold(text).strip()).strip()
    if not text or len(text) > 20:
        return None
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", text):
        text = text.replace(",", "")
    value: Decimal | None = None
    match = ARABIC.fullmatch(text)
    if match:
        try:
            value = Decimal(match.group(1)) * MULTIPLIERS[match.group(2)]
        except InvalidOperation:
            return None
    elif CHINESE.fullmatch(text) and not text.replace(".", "").isdigit():
        value = _chinese(text)
    if value is None or value != value.to_integral_value() or not 1 <= value <= MAX_QUANTITY:
        return None
    return int(value)


def _chinese(text: str) -> Decimal | None:
    """五百, 一千二, 两千, 2万5 by cn2an (loaded on first use: it takes a while to import)."""
    import cn2an

    try:
        return Decimal(str(cn2an.cn2an(text, "smart")))
    except (ValueError, KeyError, IndexError, TypeError, InvalidOperation):
        return None


def _quantity_like(text: str) -> bool:
    bare = UNIT.sub("", fold(text))
    return any(c.isdigit() for c in bare) or bool(CHINESE.fullmatch(bare or "x"))


def clean(line: str) -> str:
    """A line without control characters, lone surrogates or zero-width marks, trimmed."""
    return INVISIBLE.sub("", line.replace("\t", " ")).strip()


def _words(line: str) -> list[str]:
    text = THOUSANDS.sub(lambda m: m.group(0).replace(",", ""), unicodedata.normalize("NFKC", line))
    return [w for w in SEPARATORS.split(text.replace(":", " ")) if w and w.lower() not in ("x", "×")]


def _is_header(words: list[str]) -> bool:
    return bool(words) and all(w.lower() in HEADER_WORDS for w in words)


def rows_of(text: str) -> list[tuple[int, str, list[str]]]:
    """(line number, line, words) of each line to read: blank and header lines skipped; TooManyLines past MAX_LINES."""
    rows = []
    for number, raw in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        line = clean(raw)
        words = _words(line) if line else []
        if words and not _is_header(words):
            rows.append((number, line, words))
    if len(rows) > MAX_LINES:
        raise TooManyLines(len(rows))
    return rows


def parse(text: str, index: CatalogIndex) -> list[ParsedLine]:
    """Every line's verdict, repeated grades merged and the stock checked on their total."""
    drafts = [_judge(row, line, words, index) for row, line, words in rows_of(text)]
    groups: dict[str, list[dict]] = {}
    for draft in drafts:
        if draft["status"] == "ok":
            groups.setdefault(draft["entry"].sku, []).append(draft)
    for group in groups.values():
        _settle(group)
    return [ParsedLine(d["row"], d["text"], d["status"], d["entry"].sku if d["entry"] else None, d["quantity"],
                       d["entry"].stock if d["entry"] else None, d["candidates"], d.get("merged_into"),
                       d.get("merged_rows", ()), d["zh"], d["en"]) for d in drafts]


def _judge(row: int, line: str, words: list[str], index: CatalogIndex) -> dict:
    """A line's verdict before merging: the grade first, then the quantity, then the price."""
    draft = {"row": row, "text": line, "entry": None, "quantity": None, "candidates": ()}
    if len(line) > MAX_LINE_CHARS:
        return _verdict(draft, "not_found", f"这一行太长（超过{MAX_LINE_CHARS}个字），无法识别",
                        f"This line is too long to read (over {MAX_LINE_CHARS} characters)")
    names, amount = words[:-1], words[-1]
    glued = GLUED.fullmatch(amount) if parse_quantity(amount) is None else None
    if glued and parse_quantity(glued.group(2)) is not None:
        names, amount = [*names, glued.group(1)], glued.group(2)
    match = index.resolve(names) if names else Match(None, (), False)
    if match.entry is None and (not names or not _quantity_like(amount)):  # 阳光玫瑰 一级扦插苗: no quantity
        whole = index.resolve(words)
        if whole.entry is not None or not names:
            match, amount = whole, ""
    draft["candidates"] = match.candidates
    name = " ".join(names) if amount else " ".join(words)
    if match.entry is None:
        if match.ambiguous:
            return _verdict(draft, "ambiguous", f"「{name}」有多个规格，请写明规格（如 一级、嫁接）或填SKU",
                            f"“{name}” has several grades: add the grade words (一级, 嫁接…) or give the SKU")
        if match.variety_found:
            return _verdict(draft, "not_found", f"「{name}」没有这个规格，请从候选中选择",
                            f"“{name}”: no such grade of this variety; pick one of the candidates")
        return _verdict(draft, "not_found", f"找不到「{name}」：请检查品种名或SKU",
                        f"Nothing matches “{name}”: check the variety name or the SKU")
    entry = draft["entry"] = match.entry
    quantity = parse_quantity(amount) if amount else None
    if quantity is None:
        if not amount:
            return _verdict(draft, "bad_quantity", f"{entry.label('zh')}：缺少数量",
                            f"{entry.label('en')}: the quantity is missing")
        return _verdict(draft, "bad_quantity", f"数量「{amount}」无效：须为1到{MAX_QUANTITY}之间的整数",
                        f"Quantity “{amount}” is not valid: a whole number from 1 to {MAX_QUANTITY:,}")
    draft["quantity"] = quantity
    if entry.price_fen is None:
        return _verdict(draft, "quote_only", f"{entry.label('zh')} 需询价，不能直接下单，请联系我们报价",
                        f"{entry.label('en')} is priced on request (询价): ask us for a quote")
    return _verdict(draft, "ok", f"{entry.label('zh')} {quantity}株", f"{entry.label('en')}: {quantity:,} plants")


def _verdict(draft: dict, status: str, zh: str, en: str) -> dict:
    draft.update(status=status, zh=zh, en=en)
    return draft


def _settle(group: list[dict]) -> None:
    """Lines of one grade: the first keeps the others (merged_rows), the stock is checked on the total."""
    first, entry = group[0], group[0]["entry"]
    total = sum(d["quantity"] for d in group)
    rows_zh, rows_en = "、".join(str(d["row"]) for d in group), ", ".join(str(d["row"]) for d in group)
    if len(group) > 1:
        first["merged_rows"] = tuple(d["row"] for d in group[1:])
        first["zh"] += f"（第{rows_zh}行合并，共{total}株）"
        first["en"] += f" (rows {rows_en} merged: {total:,} in all)"
        for d in group[1:]:
            d["merged_into"] = first["row"]
            _verdict(d, "ok", f"与第{first['row']}行是同一规格，已合并到第{first['row']}行（共{total}株）",
                     f"Same grade as row {first['row']}: merged into it ({total:,} in all)")
    if total > entry.stock:
        together_zh, together_en = (f"第{rows_zh}行合计", f"rows {rows_en} together: ") if len(group) > 1 else ("", "")
        for d in group:
            merged = (f"已合并到第{first['row']}行；", f"Merged into row {first['row']}; ") if d is not first else ("", "")
            _verdict(d, "insufficient_stock",
                     f"{merged[0]}{entry.label('zh')} 库存不足：{together_zh}需要{total}株，现有{entry.stock}株",
                     f"{merged[1]}{entry.label('en')}: not enough stock ({together_en}{total:,} wanted, "
                     f"{entry.stock:,} available)")


def ok_items(lines: Iterable[ParsedLine]) -> list[tuple[str, int]]:
    """(SKU, quantity) of the good lines, repeated grades summed, in the order first written: for service.place."""
    items: dict[str, int] = {}
    for line in lines:
        if line.status == "ok" and line.sku is not None:
            items[line.sku] = items.get(line.sku, 0) + (line.quantity or 0)
    return list(items.items())


def summary(lines: Iterable[ParsedLine]) -> Summary:
    """How many lines are good, how many need fixing, how many were merged into an earlier one."""
    lines = list(lines)
    ok = sum(line.status == "ok" for line in lines)
    return Summary(ok, len(lines) - ok, sum(line.merged_into is not None for line in lines))
