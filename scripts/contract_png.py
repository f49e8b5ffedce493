"""CI check: render a contract, turn page 1 into a PNG with pdftoppm, and make sure the page is not blank."""

from __future__ import annotations

import datetime
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from shop.contracts.document import ContractData, ContractLine, Party  # noqa: E402
from shop.contracts.render import render_contract  # noqa: E402


def sample() -> ContractData:
    """A fictitious paid order of three lines."""
    lines = (
        ContractLine("8518早实核桃", "一级实生苗", "苗高≥60cm · 地径≥0.8cm", 300, 500, 150000),
        ContractLine("阳光玫瑰", "一级嫁接苗", "苗高≥50cm · 地径≥0.6cm", 200, 350, 70000),
        ContractLine("红阳猕猴桃", "一级嫁接苗", "苗高≥60cm", 50, 600, 30000),
    )
    return ContractData(
        number="MM20261129-DEMO000001", date=datetime.date(2026, 11, 29),
        seller=Party("示例果树种苗场（演示）", "000-0000-0000", "山东省临沂市示例路1号（演示地址）", "张示例",
                     "示例银行 账号:0000 0000 0000 0000"),
        buyer=Party("示例买家", "13800000000", "山东省临沂市平邑县示例村"),
        lines=lines, subtotal_fen=250000, discount_fen=0, discount_reason=None, shipping_method="post",
        shipping_fee_fen=0, shipping_collect=False, total_fen=250000, payment_method="bank_transfer",
        payment_status="paid", paid_at=datetime.datetime(2026, 11, 29, 2, 0, tzinfo=datetime.UTC),
        dispatch_by=datetime.datetime(2026, 12, 1, 2, 0, tzinfo=datetime.UTC), claim_window_days=30,
        verify_url="http://127.0.0.1:5000/verify/MM20261129-DEMO000001.ABCDEF", verify_code="ABCDEF",
    )


def ink_fraction(pgm: bytes) -> float:
    """Share of pixels darker than light grey in a binary PGM (P5) image."""
    parts = pgm.split(maxsplit=4)
    if parts[0] != b"P5":
        raise ValueError("not a binary PGM")
    width, height = int(parts[1]), int(parts[2])
    pixels = parts[4][: width * height]
    return sum(1 for value in pixels if value < 200) / (width * height)


def main() -> int:
    out = Path(tempfile.mkdtemp(prefix="contract-png-"))
    pdf = out / "contract.pdf"
    pdf.write_bytes(render_contract(sample()))
    subprocess.run(["pdftoppm", "-f", "1", "-l", "1", "-r", "60", "-png", str(pdf), str(out / "page")], check=True)
    subprocess.run(["pdftoppm", "-f", "1", "-l", "1", "-r", "60", "-gray", str(pdf), str(out / "page")], check=True)
    png = next(out.glob("page*.png"))
    fraction = ink_fraction(next(out.glob("page*.pgm")).read_bytes())
    print(f"rendered {png} ({png.stat().st_size} bytes); ink on page 1: {fraction:.1%}")
    if fraction < 0.02:
        print("the page is blank: FAILED")
        return 1
    print("contract page renders: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
