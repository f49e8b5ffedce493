"""The verification QR code: the same symbol segno makes (standard mask choice), drawn module for module."""

import io
import random
import re
import string

import pytest
import segno
from contract_samples import contract
from pypdf import PdfReader
from segno import encoder as segno_encoder

from shop.contracts import qr
from shop.contracts.render import VerifyQr, render_contract

URL = "https://miaomu.example.cn/contracts/verify/MM20261129-7K3QX9PA?c=Q7H2-9XKD"


def segno_rows(data: str) -> tuple[str, ...]:
    symbol = segno.make_qr(data, error="m", boost_error=False)
    return tuple("".join(str(bit) for bit in row) for row in symbol.matrix)


def urls() -> list[str]:
    """Verification URLs of many lengths (QR versions 1 to 20 and more), seeded."""
    rng = random.Random(20261129)
    alphabet = string.ascii_uppercase + string.digits + "-.?="
    out = ["H", "12345", "https://x.cn/验证", URL]
    out += ["https://miaomu.example.cn/verify/" + "".join(rng.choice(alphabet) for _ in range(n))
            for n in [*range(1, 640, 7), *[40] * 40]]
    return out


def test_matrix_is_segnos_for_every_length_and_mask():
    versions, masks = set(), set()
    for data in urls():
        symbol = segno.make_qr(data, error="m", boost_error=False)
        versions.add(symbol.version)
        masks.add(symbol.mask)
        assert qr.qr_rows(data) == segno_rows(data), data
    assert masks == set(range(8))
    assert {1, 7, 10, 20} <= versions  # with and without version information


@pytest.mark.parametrize("data", [URL, "https://miaomu.example.cn/verify/" + "A" * 200])
def test_penalty_is_segnos_for_each_mask(data):
    version, plain = qr._unmasked(data)
    size = segno_encoder.calc_matrix_size(version)
    geometry = qr._geometry(size)
    columns = qr._transpose(plain, size)
    for mask, (rows_mask, cols_mask) in enumerate(zip(geometry.masks, geometry.masks_t, strict=True)):
        rows = [row ^ bits for row, bits in zip(plain, rows_mask, strict=True)]
        cols = [col ^ bits for col, bits in zip(columns, cols_mask, strict=True)]
        matrix = tuple(bytearray(int(ch) for ch in format(row, f"0{size}b")) for row in rows)
        assert qr._penalty(rows, cols, size) == segno_encoder.evaluate_mask(matrix, size, size), mask


def test_the_page_draws_exactly_the_dark_modules():
    content = PdfReader(io.BytesIO(render_contract(contract(verify_url=URL)))).pages[0].get_contents().get_data()
    drawn = {(int(x), int(y), int(w)) for x, y, w in re.findall(rb"(\d+) (\d+) (\d+) 1\.04 re", content)}
    rows = segno_rows(URL)
    count, border = len(rows), VerifyQr.BORDER
    expected = set()
    for r, row in enumerate(rows):
        for run in re.finditer("1+", row):
            expected.add((run.start() + border, count - 1 - r + border, run.end() - run.start()))
    assert drawn == expected
