"""Contract data used by the contract tests and the benchmark."""

import datetime

from shop.contracts.document import ContractData, ContractLine, Party

SELLER = Party(
    name="示例果苗繁育基地（演示）",
    phone="0000-0000000",
    address="山东省临沂市示例县示例路8号",
    contact="张示例",
    bank="开户行：示例银行示例支行\n户名：示例果苗繁育基地\n账号：0000 0000 0000 0000",
)
BUYER = Party(name="示例买家", phone="138-0000-0000", address="河南省洛阳市示例区示例村3组", contact="示例买家")

VARIETIES = (
    ("烟富3号苹果", "一级苗", "高1.2米以上 地径1.0厘米"),
    ("秦脆苹果", "二级苗", "高0.8-1.2米"),
    ("冬枣", "嫁接苗", "地径0.8厘米"),
    ("突尼斯软籽石榴", "一级苗", "高1米"),
    ("美早大樱桃", "一级苗", "吉塞拉6号砧木 高1.5米"),
)


def lines(count: int, price_fen: int = 1250, quantity: int = 20) -> tuple[ContractLine, ...]:
    """count lines cycling through the varieties, numbered so each line is findable."""
    out = []
    for i in range(count):
        variety, grade, spec = VARIETIES[i % len(VARIETIES)]
        out.append(ContractLine(f"{variety}{i + 1}号", grade, spec, quantity, price_fen, quantity * price_fen))
    return tuple(out)


def contract(**overrides) -> ContractData:
    """A paid, one-page 5-line contract by post; overrides replace any field."""
    contract_lines = overrides.pop("lines", lines(5))
    subtotal = sum(li.amount_fen for li in contract_lines)
    fields = dict(
        number="MM20261129-7K3QX9PA",
        date=datetime.date(2026, 11, 29),
        seller=SELLER,
        buyer=BUYER,
        lines=contract_lines,
        subtotal_fen=subtotal,
        discount_fen=0,
        discount_reason=None,
        shipping_method="post",
        shipping_fee_fen=1600,
        shipping_collect=False,
        total_fen=subtotal + 1600,
        payment_method="stripe",
        payment_status="paid",
        paid_at=datetime.datetime(2026, 11, 29, 6, 3, tzinfo=datetime.UTC),
        dispatch_by=datetime.datetime(2026, 12, 1, 6, 3, tzinfo=datetime.UTC),
        claim_window_days=30,
        pickup_base="",
        verify_url="https://miaomu.example.cn/contracts/verify/MM20261129-7K3QX9PA?c=Q7H2-9XKD",
        verify_code="Q7H2-9XKD",
    )
    fields.update(overrides)
    return ContractData(**fields)
