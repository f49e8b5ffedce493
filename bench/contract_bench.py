"""Time the purchase contract PDF: one contract against a bare one-page document, and a batch of 500.

Run: .venv/bin/python bench/contract_bench.py   (targets: ratio ≤ 1.5, batch of 500 ≤ 30 s)
"""

import datetime
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportlab.platypus import Paragraph, SimpleDocTemplate  # noqa: E402

from shop.contracts import terms  # noqa: E402
from shop.contracts.document import ContractData, ContractLine, Party  # noqa: E402
from shop.contracts.render import render_batch, render_contract  # noqa: E402
from shop.contracts.styles import (  # noqa: E402
    FONT_NAME,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    PAGE_SIZE,
    Styles,
    contract_font,
)

N = 30
BATCH = 500


def typical(number: str = "MM20261129-7K3QX9PA") -> ContractData:
    """A paid 5-line contract by post: one page."""
    varieties = ["烟富3号苹果", "秦脆苹果", "冬枣", "突尼斯软籽石榴", "美早大樱桃"]
    lines = tuple(ContractLine(v, "一级苗", "高1.2米以上 地径1.0厘米", 50, 1250, 62500) for v in varieties)
    paid = datetime.datetime(2026, 11, 29, 6, 3, tzinfo=datetime.UTC)
    return ContractData(
        number=number, date=datetime.date(2026, 11, 29),
        seller=Party("示例果苗繁育基地（演示）", "0000-0000000", "山东省临沂市示例县示例路8号", "张示例",
                     "开户行：示例银行示例支行\n账号：0000 0000 0000 0000"),
        buyer=Party("示例买家", "138-0000-0000", "河南省洛阳市示例区示例村3组"),
        lines=lines, subtotal_fen=312500, discount_fen=0, discount_reason=None,
        shipping_method="post", shipping_fee_fen=1600, shipping_collect=False, total_fen=314100,
        payment_method="stripe", payment_status="paid", paid_at=paid, dispatch_by=paid + datetime.timedelta(days=2),
        claim_window_days=30, verify_url=f"https://miaomu.example.cn/contracts/verify/{number}?c=Q7H2-9XKD",
        verify_code="Q7H2-9XKD",
    )


def bare_document(data: ContractData) -> bytes:
    """The fair baseline: same embedded font, page size and margins, the contract's words as paragraphs."""
    contract_font()
    paragraphs = ["购苗合同", f"合同编号：{data.number}　甲方：{data.seller.name}　乙方：{data.buyer.name}"]
    paragraphs += [f"{line.variety} {line.spec} {line.quantity}株 ¥12.50 ¥625.00" for line in data.lines]
    for heading, texts in terms.clauses(data):
        paragraphs += [heading, *texts]
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=PAGE_SIZE, leftMargin=MARGIN_X, rightMargin=MARGIN_X,
                            topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, initialFontName=FONT_NAME)
    doc.build([Paragraph(p, Styles.body) for p in paragraphs])
    return buf.getvalue()


def median_seconds(*fns, n: int = N) -> list[float]:
    """Median wall time of each function; the runs are interleaved so that both sides of the ratio see the
    same machine load (on a shared machine, timing one side after the other skews the ratio either way)."""
    for fn in fns:
        fn()  # warm-up: parses the font, fills ReportLab's caches
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(n):
        for fn, out in zip(fns, times, strict=True):
            start = time.perf_counter()
            fn()
            out.append(time.perf_counter() - start)
    return [statistics.median(t) for t in times]


def main() -> int:
    data = typical()
    contract, bare = median_seconds(lambda: render_contract(data), lambda: bare_document(data))
    ratio = contract / bare
    print(f"render_contract (5 lines, 1 page): median {contract * 1000:.1f} ms over {N}")
    print(f"bare one-page document:            median {bare * 1000:.1f} ms over {N}")
    print(f"ratio: {ratio:.2f}  (target ≤ 1.5)")

    items = [typical(f"MM20261129-{i:08d}") for i in range(BATCH)]
    start = time.perf_counter()
    pdf = render_batch(items)
    batch = time.perf_counter() - start
    print(f"render_batch of {BATCH}: {batch:.1f} s, {len(pdf) / 1e6:.1f} MB  (target ≤ 30 s)")
    return 0 if ratio <= 1.5 and batch <= 30 else 1


if __name__ == "__main__":
    raise SystemExit(main())
