"""Synthetic customers and orders for the benchmark and for trying the desk: obviously fictitious (phones
1990000xxxx for buyers, 1980000xxxx for dealers, names 示例客户…), two seasons ending on the as-of day."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from shop.customers import segments
from shop.customers.models import Customer, dealer_key, retail_key
from shop.dealers.models import APPROVED, Dealer
from shop.extensions import db
from shop.orders import states
from shop.orders.models import Order, OrderLine

CHUNK = 5000
DEALER_SHARE = 20  # one customer in this many is a dealer
CATEGORIES = (("葡萄", "巨峰", "Kyoho"), ("核桃", "8518", "8518"), ("苹果", "红富士", "Red Fuji"),
              ("桃", "中油五号", "Zhongyou 5"), ("樱桃", "美早", "Tieton"), ("石榴", "突尼斯软籽", "Tunisian soft-seed"))
REGIONS = ("山东省临沂市", "山东省潍坊市", "河南省洛阳市", "河北省石家庄市", "江苏省徐州市", "陕西省咸阳市")


def _chunks(rows: list[dict], model) -> None:
    for start in range(0, len(rows), CHUNK):
        db.session.execute(sa.insert(model), rows[start:start + CHUNK])


def make(*, customers: int, orders: int, seed: int = 1, as_of: date | None = None) -> tuple[int, int, int]:
    """Insert the customers (a dealer in DEALER_SHARE), their dealers and the orders; (customers, orders, dealers)."""
    rng = random.Random(seed)
    as_of = as_of or segments.local_day(datetime.now(UTC))
    end = datetime.combine(as_of, time(3), UTC)  # 11:00 in Shanghai on the as-of day
    tag = f"{seed % 100:02d}"
    offset = db.session.execute(sa.select(sa.func.count(Customer.id))).scalar()  # a second run adds new people
    numbered = range(offset, offset + customers)
    dealer_rows = [{"company": f"示例经销部{i:05d}（演示）", "contact_name": "示例经理", "phone": f"1980{i:07d}",
                    "region": REGIONS[i % len(REGIONS)], "status": APPROVED}
                   for i in numbered if i % DEALER_SHARE == 0]
    _chunks(dealer_rows, Dealer)
    dealer_ids = dict(db.session.execute(sa.select(Dealer.phone, Dealer.id).where(Dealer.phone.like("1980%"))).all())
    people = []
    for i in numbered:
        if i % DEALER_SHARE == 0:
            d = dealer_ids[f"1980{i:07d}"]
            people.append({"key": dealer_key(d), "kind": segments.DEALER, "dealer_id": d,
                           "name": f"示例经销部{i:05d}（演示）", "phone": f"1980{i:07d}", "region": REGIONS[i % len(REGIONS)]})
        else:
            people.append({"key": retail_key(f"1990{i:07d}"), "kind": segments.RETAIL, "dealer_id": None,
                           "name": f"示例客户{i:05d}", "phone": f"1990{i:07d}", "region": REGIONS[i % len(REGIONS)]})
    _chunks([{**p, "created_at": end - timedelta(days=730)} for p in people], Customer)
    ids = dict(db.session.execute(sa.select(Customer.key, Customer.id)).all())
    weights = [1 / (i + 1) ** 0.8 for i in range(customers)]  # a few big customers, many small ones (Pareto)
    shuffled = list(range(customers))
    rng.shuffle(shuffled)
    picks = rng.choices(shuffled, weights=weights, k=orders)
    order_rows, line_rows = [], []
    for n, who in enumerate(picks):
        person = people[who]
        placed = end - timedelta(minutes=rng.randrange(730 * 24 * 60))
        category, variety, variety_en = CATEGORIES[rng.randrange(len(CATEGORIES))]
        plants = rng.randrange(50, 5000)
        price = rng.choice((60, 100, 150, 300, 500))
        total = plants * price
        dealer = person["dealer_id"] is not None
        on_credit = dealer and rng.random() < 0.5
        cancelled = rng.random() < 0.08
        paid = not cancelled and not on_credit and rng.random() < 0.95
        row = {"number": f"SYN{tag}{offset % 1000:03d}{n:09d}", "customer_id": ids[person["key"]], "dealer_id": person["dealer_id"],
               "customer_name": person["name"][:40], "phone": person["phone"], "province": person["region"][:3],
               "city": person["region"][3:], "shipping_method": "freight" if dealer else "post",
               "payment_method": "credit" if on_credit else "bank_transfer", "subtotal_fen": total, "discount_fen": 0,
               "goods_total_fen": total, "shipping_fee_fen": 0, "total_fen": total, "plants": plants,
               "weight_g": plants * 30, "created_at": placed, "expires_at": placed + timedelta(hours=24),
               "status": states.CANCELLED if cancelled else (states.COMPLETED if paid or on_credit
                                                             else states.PENDING_PAYMENT),
               "payment_status": states.ON_ACCOUNT if on_credit and not cancelled else
               (states.PAID if paid else states.UNPAID),
               "paid_fen": total if paid else 0, "paid_at": placed + timedelta(hours=3) if paid else None,
               "cancelled_at": placed + timedelta(days=1) if cancelled else None}
        order_rows.append(row)
        line_rows.append({"number": row["number"], "sku": f"SYN-{variety_en[:6].upper()}", "category": category,
                          "variety": variety, "variety_en": variety_en, "grade": "一级", "grade_en": "Grade 1",
                          "spec": "示例规格", "unit_price_fen": price, "quantity": plants, "amount_fen": total,
                          "weight_g": 30})
    _chunks(order_rows, Order)
    numbers = dict(db.session.execute(sa.select(Order.number, Order.id).where(Order.number.like(f"SYN{tag}{offset % 1000:03d}%"))).all())
    _chunks([{**{k: v for k, v in line.items() if k != "number"}, "order_id": numbers[line["number"]]}
             for line in line_rows], OrderLine)
    db.session.commit()
    return customers, orders, len(dealer_rows)
