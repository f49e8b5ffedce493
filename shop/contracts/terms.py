"""The words of the contract: labels, money and time formatting, and the clauses (条款)."""

import datetime
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from shop.contracts.document import ContractData
from shop.money import format_money
from shop.orders.methods import payment_label as payment_method_label
from shop.orders.states import (
    AWAITING_DISPATCH,
    CANCELLED,
    COMPLETED,
    DISPATCHED,
    PENDING_PAYMENT,
    UNPAID,
    payment_label,
    status_label,
)
from shop.pricing import Rules
from shop.seasons import guarantee
from shop.seasons.windows import NOW, RESERVE

SHANGHAI = ZoneInfo("Asia/Shanghai")

DISCOUNT_REASONS = {"bulk": "批量优惠(满{bulk_min_plants}株){label}", "dealer": "代理商价{label}"}
SHIPPING_METHODS = {"post": "邮寄", "express": "特快专递", "freight": "物流托运", "pickup": "自提"}
ROOT_PACKING = "高分子植物根系保湿剂"


def format_fen(fen: int) -> str:
    """Money for print: 140950 → ¥1,409.50, -30000 → -¥300.00 (the shop's one money format)."""
    return format_money(fen)


def shanghai_time(moment: datetime.datetime) -> str:
    """A stored (UTC, or naive meaning UTC) time shown in Asia/Shanghai: 2026-11-29 14:03."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def chinese_date(day: datetime.date) -> str:
    """2026-11-29 → 2026年11月29日."""
    return f"{day.year}年{day.month}月{day.day}日"


def text(value: str) -> str:
    """Untrusted text made safe for ReportLab paragraph markup."""
    return escape(value).replace("\n", "<br/>")


def discount_text(data: ContractData) -> str:
    """批量优惠(满N株)X折 / 代理商价X折 / 无, with the threshold and label of the rules the order was priced under."""
    if not data.discount_fen and not data.discount_reason:
        return "无"
    return DISCOUNT_REASONS.get(data.discount_reason or "", "优惠").format(
        bulk_min_plants=data.bulk_min_plants, label=data.rules.discount_label())


def shipping_method_text(data: ContractData) -> str:
    """邮寄 / 特快专递 / 物流托运 / 自提(基地名)."""
    name = SHIPPING_METHODS.get(data.shipping_method, data.shipping_method)
    if data.shipping_method == "pickup" and data.pickup_base:
        name += f"({data.pickup_base})"
    return name


def shipping_fee_text(data: ContractData) -> str:
    """运费到付 for freight collected on delivery, otherwise the fee (自提 has none)."""
    if data.shipping_collect:
        return "运费到付"
    if data.shipping_method == "pickup" and not data.shipping_fee_fen:
        return "无运费"
    return format_fen(data.shipping_fee_fen)


# The contract's main terms, phrased once: the clauses below and guarantee_terms() (the checkout page's short
# list) are both built from these phrases, so what the buyer accepts and what the contract prints never drift.


def dispatch_promise(rules: Rules) -> str:
    """款到…内发货 (dispatch within the days of the rules), as the contract says it."""
    return f"款到{rules.dispatch_within()}内发货"


PACKING = f"根系蘸{ROOT_PACKING}，保湿包装后发运"
SURVIVAL = "成活率100%"
SURVIVAL_REMEDY = "苗木死亡的，由甲方免费补发或退款"
CLAIM_WINDOW = "自收货之日起{days}日内附照片向甲方报告"
PURITY = "品种纯正，假一赔十"
TENFOLD = "按该株实付单价的十倍赔偿"
ACCEPTANCE = "到货验收"
ARRIVAL_CLAIM = "数量不符或运输损伤的"
ARRIVAL_WINDOW = "到货后48小时内附照片向甲方提出"
QUARANTINE_HEADING = "植物检疫"
QUARANTINE = "随货提供苗木产地植物检疫证书"
DISPUTES_HEADING = "争议解决"
DISPUTES = "协商不成的，提交甲方所在地人民法院诉讼解决"

# Clause paragraphs that are the same on every contract (paragraph markup).
PACKING_CLAUSE = f"3. 包装：苗木起苗后{PACKING}，保证运输途中根系不失水。"
ACCEPTANCE_CLAUSE = (
    f"乙方应在货到时当场清点数量，检查苗木根系、枝干及保湿包装情况。{ARRIVAL_CLAIM}，乙方应在{ARRIVAL_WINDOW}，"
    "甲方核实后补发或退款；逾期未提出的，视为数量及外观验收合格，但不影响第三条的质量保证。"
)
PURITY_CLAUSE = (
    f"2. {PURITY}：甲方保证所售苗木品种纯正，与本合同所列品种一致。经证实某株苗木品种与合同不符的，甲方{TENFOLD}。"
)
QUARANTINE_CLAUSE = f"3. {QUARANTINE_HEADING}：甲方{QUARANTINE}，保证苗木经检疫合格、无检疫性病虫害。"
DISPUTES_CLAUSE = f"本合同履行中发生争议的，双方应友好协商解决；{DISPUTES}。"
OTHER_CLAUSE = (
    "本合同自乙方下单之日起成立，甲乙双方签字(盖章)后各执一份，具有同等法律效力。"
    "本合同内容以甲方系统存档为准，可扫描下方二维码或访问验证网址核验真伪。"
)
# Printed only when the buyer chose to ship outside the destination's window (shop.seasons.guarantee).
OUT_OF_SEASON_CLAUSE = f"4. {guarantee.HEADING}：{guarantee.OUT_OF_SEASON}。"
STATIC_CLAUSES = frozenset({PACKING_CLAUSE, ACCEPTANCE_CLAUSE, PURITY_CLAUSE, QUARANTINE_CLAUSE, DISPUTES_CLAUSE,
                            OTHER_CLAUSE})


def clauses(data: ContractData) -> list[tuple[str, list[str]]]:
    """The numbered clauses as (heading, paragraphs in paragraph markup)."""
    return [
        ("一、交货与包装", _delivery_clause(data)),
        (f"二、{ACCEPTANCE}", [ACCEPTANCE_CLAUSE]),
        ("三、质量保证", [_survival_clause(data.claim_window_days), PURITY_CLAUSE, QUARANTINE_CLAUSE]
         + ([OUT_OF_SEASON_CLAUSE] if data.ship_timing == NOW else [])),
        (f"四、{DISPUTES_HEADING}", [DISPUTES_CLAUSE]),
        ("五、其他", [OTHER_CLAUSE]),
    ]


def guarantee_terms(claim_window_days: int, rules: Rules = Rules()) -> list[str]:
    """The contract's main terms in short, as plain text: what the checkout page lists before "accept contract"."""
    return [
        f"{dispatch_promise(rules)}，{PACKING}",
        f"{SURVIVAL}：正确栽植后{SURVIVAL_REMEDY}；请{CLAIM_WINDOW.format(days=claim_window_days)}",
        f"{PURITY}：品种与合同不符的，{TENFOLD}",
        f"{ACCEPTANCE}：{ARRIVAL_CLAIM}，请在{ARRIVAL_WINDOW}",
        f"{QUARANTINE_HEADING}：{QUARANTINE}",
        f"{DISPUTES_HEADING}：{DISPUTES}",
    ]


def _survival_clause(claim_window_days: int) -> str:
    return (f"1. {SURVIVAL}：乙方按甲方提供的栽植技术要求正确栽植后，{SURVIVAL_REMEDY}。"
            f"乙方应{CLAIM_WINDOW.format(days=claim_window_days)}，逾期不予受理。")


def payment_lines(data: ContractData) -> list[str]:
    """付款方式 / 付款状态 / 订单状态 (/ 付款时间, refunds), and how to pay by bank transfer while unpaid (plain text)."""
    method = payment_method_label(data.payment_method)
    status = payment_label(data.payment_status)
    out = [f"付款方式：{method}　付款状态：{status}", f"订单状态：{status_label(data.status)}"]
    if data.paid_at is not None:
        out.append(f"付款时间：{shanghai_time(data.paid_at)}")
    if data.refunded_fen:
        out.append(f"已付{format_fen(data.paid_fen)}，已退款{format_fen(data.refunded_fen)}")
    if data.credit_terms_days is not None:
        due = f"（到期日：{shanghai_time(data.due_at)}）" if data.due_at is not None else ""
        out.append(f"账期：甲方发货后{data.credit_terms_days}日内付清货款{due}，逾期未付的，乙方暂停赊购。")
    if data.payment_method == "bank_transfer" and data.payment_status == UNPAID and data.status == PENDING_PAYMENT:
        out.append("请汇入甲方上列账户，附言注明合同编号。")
    return out


def _when(data: ContractData) -> str:
    """The delivery term as it stands in the order's state."""
    promise = dispatch_promise(data.rules)
    if data.status == CANCELLED:
        return f"本合同项下订单已于{_at(data.cancelled_at)}取消，甲方不再发货"
    if data.status in (DISPATCHED, COMPLETED) and data.dispatched_at is not None:
        sent = f"{promise}；甲方已于{shanghai_time(data.dispatched_at)}发货"
        if data.carrier or data.tracking_number:
            sent += f"（承运方：{text(data.carrier)}，运单号：{text(data.tracking_number)}）"
        if data.quarantine_cert:
            issued = (f"，签发日期{chinese_date(data.quarantine_cert_issued_on)}"
                      if data.quarantine_cert_issued_on else "")
            sent += f"，植物检疫证书编号：{text(data.quarantine_cert)}{issued}"
        if data.status == COMPLETED and data.received_at is not None:
            sent += f"，乙方已于{shanghai_time(data.received_at)}确认收货"
        return sent
    reserved = data.ship_timing == RESERVE and data.season_opens_on is not None
    if reserved:
        promise = (f"乙方选择预约发货：收货地适宜栽植期自{chinese_date(data.season_opens_on)}开始，甲方在该日起"
                   f"{data.rules.dispatch_within()}内发货，付款晚于该日的，{promise}")
    elif data.ship_timing == NOW:
        promise = f"乙方选择在收货地适宜栽植期外立即发货（见第三条第4款），{promise}"
    if data.dispatch_by is not None and data.status == AWAITING_DISPATCH:
        if data.credit_terms_days is not None:  # on account: counted from the order (or the window), not a payment
            start = (f"乙方选择预约发货：账期订单自收货地适宜栽植期开始之日（{chinese_date(data.season_opens_on)}）起"
                     if reserved else "账期订单自下单之时起")
            return f"{start}{data.rules.dispatch_within()}内发货，即甲方不迟于{shanghai_time(data.dispatch_by)}发货"
        return f"{promise}，即甲方不迟于{shanghai_time(data.dispatch_by)}发货"
    return f"{promise}(自甲方收到全部货款之时起计算)"


def _at(moment: datetime.datetime | None) -> str:
    return shanghai_time(moment) if moment is not None else ""


def _delivery_clause(data: ContractData) -> list[str]:
    when = _when(data)
    method = text(shipping_method_text(data))
    if data.shipping_method == "pickup":
        how = f"交货方式：{method}，乙方凭合同编号到基地提货。"
    elif data.shipping_collect:
        how = f"交货方式：{method}，运费到付，由乙方在提货时向承运方支付。"
    else:
        how = f"交货方式：{method}，运费{format_fen(data.shipping_fee_fen)}已计入合计金额。"
    return [
        f"1. 发货时间：{when}。",
        f"2. {how}",
        PACKING_CLAUSE,
    ]
