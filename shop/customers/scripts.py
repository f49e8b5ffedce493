"""Call scripts (话术) per segment, after 篇5's VIP / 普通 / 重点 / 休眠 invitations, written for a nursery; admins
edit them at the desk (a stored row replaces the default, audited)."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from shop import audit
from shop.customers import segments as s
from shop.customers.models import CallScript
from shop.extensions import db

MAX_SCRIPT = 4000

DEFAULTS: dict[str, tuple[str, str]] = {
    s.VIP: (
        "尊敬的{name}您好！我是苗场的客服。首先感谢您一直以来对我们苗木的支持与信任。为回馈老客户，"
        "今年秋季起苗前我们先为您预留一级苗，并保留去年的代理价；您去年种的品种长势怎么样？"
        "如需技术指导，我们的技术员可以上门或视频看园。欢迎您来平邑、临沭基地看苗，我们安排接待。",
        "Dear {name}, this is the nursery. Thank you for your loyal support. As a thank-you to our long-standing "
        "customers we set aside grade-1 plants for you before the autumn lifting, at last year's price. How are "
        "the varieties you planted last year doing? Our technician can visit or look at your orchard by video. "
        "You are welcome to see the plants at our Pingyi and Linshu bases."),
    s.KEY: (
        "尊敬的{name}您好！我是苗场的客服。今年新品种（如阳光玫瑰、8518早实核桃）苗情很好，"
        "结合您的种植规划，我们可以帮您算好株数和授粉树搭配。批量订购另有优惠，款到按合同约定时间发货，"
        "根系保湿包装。您看今年秋栽还是明年春栽，我们提前为您留苗？",
        "Dear {name}, this is the nursery. This year's new varieties (e.g. Shine Muscat, 8518 early walnut) are "
        "growing well. We can work out the number of plants and pollinizers for your planting plan, with the bulk "
        "discount, dispatched promptly after payment in root-moist packing. Will you plant this autumn or next "
        "spring, so that we can set plants aside for you?"),
    s.ORDINARY: (
        "您好{name}！我是苗场的客服。您上次买的苗成活怎么样？有任何问题可以随时找我们，成活率100%，"
        "死苗按合同补发或退款。今年的价格表和栽植季节提醒已经更新，需要的话我发给您。",
        "Hello {name}, this is the nursery. How did the plants you bought last time take? Any problem, just ask "
        "us: dead plants are replaced or refunded under the contract. This year's price list and planting-season "
        "reminders are out; shall I send them to you?"),
    s.DORMANT: (
        "您好{name}！我是苗场的客服，好久没有联系您了。想问问您的果园现在怎么样，是否需要补苗或更新品种？"
        "我们今年新增了几个抗病高产的品种，老客户回来订苗我们照样优惠。如果上次有不满意的地方，也请告诉我们，我们改进。",
        "Hello {name}, this is the nursery; it has been a while. How is your orchard doing: do you need "
        "replacement plants or new varieties? We have added some disease-resistant, high-yield varieties this "
        "year, and returning customers keep their discount. If anything disappointed you last time, please tell "
        "us so we can put it right."),
}


class ScriptError(Exception):
    """A script that cannot be saved; the message says why in 中文 and English."""


def all_scripts() -> dict[str, tuple[str, str]]:
    """Each segment's script (zh, en): the stored one, else the default; one query."""
    stored = {row.segment: (row.body_zh, row.body_en) for row in db.session.execute(sa.select(CallScript)).scalars()}
    return {segment: stored.get(segment, DEFAULTS[segment]) for segment in s.SEGMENTS}


def save(segment: str, body_zh: str, body_en: str, actor: str, now: datetime | None = None) -> CallScript:
    """An admin's new script for a segment, audited with the text before and after; the caller commits."""
    if segment not in DEFAULTS:
        raise ScriptError("没有这个客户类别 (no such segment)")
    body_zh, body_en = body_zh.strip(), body_en.strip()
    if not body_zh or len(body_zh) > MAX_SCRIPT or len(body_en) > MAX_SCRIPT:
        raise ScriptError(f"话术须为 1 到 {MAX_SCRIPT} 个字 (a script is 1 to {MAX_SCRIPT} characters)")
    row = db.session.get(CallScript, segment)
    before = {"zh": row.body_zh, "en": row.body_en} if row else {"zh": DEFAULTS[segment][0], "en": DEFAULTS[segment][1]}
    if row is None:
        row = CallScript(segment=segment, body_zh=body_zh, body_en=body_en, updated_by=actor)
        db.session.add(row)
    row.body_zh, row.body_en, row.updated_by = body_zh, body_en or DEFAULTS[segment][1], actor
    row.updated_at = now or datetime.now(UTC)
    audit.record(actor, "edit_call_script", f"script:{segment}", before, {"zh": body_zh, "en": row.body_en})
    db.session.flush()
    return row


def fill(text: str, name: str) -> str:
    """The script with the customer's name in it (only {name} is replaced)."""
    return text.replace("{name}", name)
