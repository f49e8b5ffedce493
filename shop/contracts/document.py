"""What a purchase contract (购苗合同) prints: plain frozen dataclasses, built from an order's snapshot."""

import datetime
from dataclasses import dataclass

from shop.pricing import Rules


@dataclass(frozen=True)
class Party:
    """甲方 (seller, the nursery) or 乙方 (buyer); bank holds the seller's 开户行/账号 lines."""

    name: str
    phone: str
    address: str
    contact: str = ""
    bank: str = ""


@dataclass(frozen=True)
class ContractLine:
    """One line of the order: a variety and grade in one size (规格), amounts in fen."""

    variety: str
    grade: str
    spec: str
    quantity: int
    unit_price_fen: int
    amount_fen: int


@dataclass(frozen=True)
class ContractData:
    """Everything printed on one contract; money in integer fen, datetimes aware (UTC) or naive UTC."""

    number: str  # contract number = order number, e.g. "MM20261129-7K3QX9PA"
    date: datetime.date
    seller: Party
    buyer: Party
    lines: tuple[ContractLine, ...]
    subtotal_fen: int
    discount_fen: int
    discount_reason: str | None  # "bulk" | "dealer" | None
    shipping_method: str  # "post" | "express" | "freight" | "pickup"
    shipping_fee_fen: int
    shipping_collect: bool  # True → 运费到付 is printed instead of a fee
    total_fen: int
    payment_method: str  # "stripe" | "bank_transfer" | "credit"
    payment_status: str  # where the money is: "unpaid" | "paid" | "partially_refunded" | "refunded" | "on_account"
    paid_at: datetime.datetime | None
    dispatch_by: datetime.datetime | None
    claim_window_days: int  # 成活率100% claim window in days after receipt
    pickup_base: str = ""
    verify_url: str = ""  # printed as a QR code and as text under it
    verify_code: str = ""
    bulk_min_plants: int = Rules.bulk_min_plants  # the bulk rule the order was priced under (批量: from this many plants)
    rules: Rules = Rules()  # the rules the order was placed under: the discount's label, the dispatch promise
    status: str = "awaiting_dispatch"  # where the goods are (shop.orders.states)
    paid_fen: int = 0
    refunded_fen: int = 0
    dispatched_at: datetime.datetime | None = None
    carrier: str = ""
    tracking_number: str = ""
    received_at: datetime.datetime | None = None
    cancelled_at: datetime.datetime | None = None
    credit_terms_days: int | None = None  # a credit order (账期): days after dispatch it falls due
    due_at: datetime.datetime | None = None
    ship_timing: str = ""  # outside the destination's window: "reserve" or "now" (shop.seasons.windows)
    season_opens_on: datetime.date | None = None  # the window's next opening, when placed outside it
    quarantine_cert: str = ""  # 植物检疫证书 number, once dispatched
    quarantine_cert_issued_on: datetime.date | None = None
