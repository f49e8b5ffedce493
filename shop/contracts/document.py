"""What a purchase contract (购苗合同) prints: plain frozen dataclasses, built from an order's snapshot."""

import datetime
from dataclasses import dataclass


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
    payment_method: str  # "stripe" | "bank_transfer"
    payment_status: str  # "pending_payment" | "paid" | ...
    paid_at: datetime.datetime | None
    dispatch_by: datetime.datetime | None
    claim_window_days: int  # 成活率100% claim window in days after receipt
    pickup_base: str = ""
    verify_url: str = ""  # printed as a QR code and as text under it
    verify_code: str = ""
    bulk_min_plants: int = 1000  # the bulk rule the order was priced under (批量: from this many plants)
