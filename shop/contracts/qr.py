"""The verification QR code's module matrix: segno's standard encoding with a fast mask choice.

segno (like ReportLab's encoder) spends most of its time on choosing the data mask: it applies each of the
eight masks module by module and scores each result in a pure-Python loop. Here segno's own steps (segno is
pinned in requirements.txt) place the codewords, and the eight candidates are built and scored with whole rows
and columns as integers and strings, by exactly the rules of segno's ``mask_scores`` (ISO/IEC 18004:2015
7.8.3). The result is the same matrix as ``segno.make_qr(data, error="m", boost_error=False)`` (the tests
check this), in about a sixth of the time.
"""

import functools
import itertools

from segno import consts
from segno import encoder as _enc

ERROR = consts.ERROR_LEVEL_M
_FINDER_LIKE = "1011101"


def qr_rows(data: str) -> tuple[str, ...]:
    """The symbol (no quiet zone) as one '0'/'1' string per row, top row first; '1' is dark."""
    version, plain = _unmasked(data)
    size = _enc.calc_matrix_size(version)
    geometry = _geometry(size)
    plain_t = _transpose(plain, size)
    best_mask, best_score = 0, None
    for number, (pattern, pattern_t) in enumerate(zip(geometry.masks, geometry.masks_t, strict=True)):
        rows = [row ^ bits for row, bits in zip(plain, pattern, strict=True)]
        columns = [col ^ bits for col, bits in zip(plain_t, pattern_t, strict=True)]
        score = _penalty(rows, columns, size)
        if best_score is None or score < best_score:
            best_mask, best_score = number, score
    masked = tuple(bytearray(format(row ^ bits, f"0{size}b").encode().translate(_TO_BITS))
                   for row, bits in zip(plain, geometry.masks[best_mask], strict=True))
    _enc.add_format_info(masked, version, ERROR, best_mask)
    _enc.add_version_info(masked, version)
    return tuple(bytes(row).translate(_TO_DIGITS).decode() for row in masked)


def _unmasked(data: str) -> tuple[int, list[int]]:
    """segno's _encode up to the codeword placement (the modes segno chooses, level M, no error boost):
    the symbol's rows before masking, with the format and version areas still light."""
    segments = _enc.prepare_data(data, None, None)
    version = _enc.find_version(segments, ERROR, eci=False, micro=False)
    buff = _enc.Buffer()
    for segment in segments:
        _enc.write_segment(buff, segment, None, _enc.version_range(version), False)
    capacity = consts.SYMBOL_CAPACITY[version][ERROR]
    _enc.write_terminator(buff, capacity, None, len(buff))
    _enc.write_padding_bits(buff, version, len(buff))
    _enc.write_pad_codewords(buff, version, capacity, len(buff))
    bits = _enc.make_final_message(version, ERROR, buff).getbits()
    base, places = _layout(version)
    if len(bits) != len(places):  # pragma: no cover - segno's capacity tables guarantee it
        raise ValueError(f"{len(bits)} codeword bits for {len(places)} modules")
    rows = list(base)
    for (i, bit), dark in zip(places, bits, strict=True):
        if dark:
            rows[i] |= bit
    return version, rows


@functools.cache
def _layout(version: int) -> tuple[tuple[int, ...], tuple[tuple[int, int], ...]]:
    """The function patterns as rows, and where each codeword bit goes (row, column bit), in segno's order
    (add_codewords: two-module columns from the right, alternately upwards and downwards)."""
    size = _enc.calc_matrix_size(version)
    matrix = _enc.make_matrix(size, size)
    _enc.add_finder_patterns(matrix, size, size)
    _enc.add_alignment_patterns(matrix, size, size)
    base = tuple(_bits(size, lambda j, row=row: row[j] == 0x1) for row in matrix)
    places = []
    for right in range(size - 1, 0, -2):
        if right <= 6:
            right -= 1
        for vertical in range(size):
            for j in (right, right - 1):
                upwards = ((right & 2) == 0) ^ (j < 6)
                i = size - 1 - vertical if upwards else vertical
                if matrix[i][j] == 0x2:
                    places.append((i, 1 << (size - 1 - j)))
    return base, tuple(places)


def _transpose(rows: list[int], size: int) -> list[int]:
    return [int("".join(col), 2) for col in zip(*(format(row, f"0{size}b") for row in rows), strict=True)]


_TO_DIGITS = bytes.maketrans(b"\x00\x01", b"01")
_TO_BITS = bytes.maketrans(b"01", b"\x00\x01")


class _Geometry:
    """What depends only on the symbol's size: the eight mask patterns limited to the encoding region,
    by rows and by columns."""

    def __init__(self, size: int):
        function = _enc.make_matrix(size, size)
        _enc.add_finder_patterns(function, size, size)
        _enc.add_alignment_patterns(function, size, size)
        function[-8][8] = 0x1  # the dark module
        self.masks = [[_bits(size, lambda j, i=i, fn=fn: function[i][j] > 0x1 and fn(i, j)) for i in range(size)]
                      for fn in _enc.get_data_mask_functions(False)]
        self.masks_t = [_transpose(mask, size) for mask in self.masks]


def _bits(size: int, dark) -> int:
    """Row as an int, column 0 in the highest bit (so format(row, '0{size}b') reads left to right)."""
    value = 0
    for j in range(size):
        value = (value << 1) | bool(dark(j))
    return value


@functools.cache
def _geometry(size: int) -> _Geometry:
    return _Geometry(size)


def _penalty(rows: list[int], columns: list[int], size: int) -> int:
    """segno's mask_scores (N1 + N2 + N3 + N4) computed on whole rows and columns."""
    lines = [format(line, f"0{size}b") for line in (*rows, *columns)]
    # N1: 5 + i equal modules in a row or column → 3 + i. All lines as one integer, a light guard module
    # between lines; for dark runs and (inverted) light runs, `fives` marks each start of 5 equal modules:
    # a run of L ≥ 5 has L - 4 of them and one first one, and scores (L - 4) + 2.
    dark = int("0".join(lines), 2)
    score = 0
    for same in (dark, ~dark & _line_bits(size)):
        fives = same & (same >> 1) & (same >> 2) & (same >> 3) & (same >> 4)
        score += fives.bit_count() + 2 * (fives & ~(fives << 1)).bit_count()
    score += sum(_finder_like(line, size) for line in lines if _FINDER_LIKE in line)
    pairs = (1 << (size - 1)) - 1
    full = (1 << size) - 1
    for above, below in itertools.pairwise(rows):  # N2: each 2×2 block of one colour → 3
        same = ~(above ^ below) & full
        score += 3 * (same & (same >> 1) & ~(above ^ (above >> 1)) & pairs).bit_count()
    dark_count = sum(row.bit_count() for row in rows)  # N4: 10 per 5% away from half dark
    score += 10 * int(abs(float(dark_count) / size**2 * 100 - 50) / 5)
    return score


@functools.cache
def _line_bits(size: int) -> int:
    """Every module bit of the 2 × size lines joined by _penalty, no guard bit."""
    return int("0".join(["1" * size] * (2 * size)), 2)


def _finder_like(line: str, size: int) -> int:
    """N3 exactly as segno counts it: 1:1:3:1:1 with four light modules (or the edge) before or after."""
    count = 0
    idx = line.find(_FINDER_LIKE)
    while idx != -1:
        offset = idx + 7
        if (idx in (0, size - 7) or "1" not in line[max(idx - 4, 0):idx]
                or "1" not in line[offset:min(offset + 4, size)]):
            count += 40
        else:
            offset = idx + 4
        idx = line.find(_FINDER_LIKE, offset)
    return count
