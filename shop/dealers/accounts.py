"""Dealer accounts: apply, approve or reject, suspend and reactivate. Every decision is audited; the caller
commits. The same functions serve the site, the desk and the command line."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from stdnum.cn import uscc

from shop import audit
from shop.dealers.models import APPROVED, PENDING, REJECTED, SUSPENDED, Dealer
from shop.extensions import db
from shop.orders.methods import is_mobile

# Which decisions each status allows: (from, to)
DECISIONS = {(PENDING, APPROVED), (PENDING, REJECTED), (APPROVED, SUSPENDED), (SUSPENDED, APPROVED),
             (REJECTED, APPROVED)}


class AccountError(Exception):
    """The account cannot be made or changed; the message says why in 中文 and English."""


def credit_code_problem(code: str) -> str | None:
    """None for an empty or valid 统一社会信用代码 (18 characters, check digit), else what is wrong."""
    if not code:
        return None
    if not uscc.is_valid(code):
        return "统一社会信用代码不正确（18位，最后一位为校验码） (not a valid unified social credit code)"
    return None


def by_phone(phone: str) -> Dealer | None:
    """The dealer who logs in with this phone."""
    return db.session.execute(sa.select(Dealer).where(Dealer.phone == phone.strip())).scalar()


def create(*, company: str, name: str, phone: str, region: str = "", credit_code: str = "", password: str = "",
           status: str = PENDING, actor: str) -> Dealer:
    """A new dealer account (an application, or an approved dealer an operator creates)."""
    company, name, phone, region = company.strip(), name.strip(), phone.strip(), region.strip()
    credit_code = uscc.compact(credit_code) if credit_code.strip() else ""  # "9111 0000-…" → 18 characters
    if not company or len(company) > 100:
        raise AccountError("公司名称须为 1 到 100 个字 (company: 1–100 characters)")
    if not name or len(name) > 40:
        raise AccountError("联系人姓名须为 1 到 40 个字 (contact name: 1–40 characters)")
    if not is_mobile(phone):
        raise AccountError("手机号须为11位大陆手机号 (phone: an 11-digit mainland mobile number)")
    if len(region) > 60:
        raise AccountError("地区最多 60 个字 (region: at most 60 characters)")
    problem = credit_code_problem(credit_code)
    if problem:
        raise AccountError(problem)
    if by_phone(phone) is not None:
        raise AccountError("这个手机号已注册为代理商 (a dealer with this phone exists)")
    dealer = Dealer(company=company, contact_name=name, phone=phone, region=region, credit_code=credit_code,
                    status=status)
    if password:
        dealer.set_password(password)
    if status != PENDING:
        dealer.decided_by, dealer.decided_at = actor, datetime.now(UTC)
    db.session.add(dealer)
    db.session.flush()
    audit.record(actor, "dealer_created", phone, {}, {"company": company, "status": status})
    return dealer


ACTIONS = {"approve": ({PENDING, REJECTED}, APPROVED), "reject": ({PENDING}, REJECTED),
           "suspend": ({APPROVED}, SUSPENDED), "reactivate": ({SUSPENDED}, APPROVED)}


def act(dealer: Dealer, action: str, *, actor: str, reason: str = "") -> None:
    """approve | reject | suspend | reactivate, each only from the statuses it names."""
    allowed_from, status = ACTIONS[action]
    if dealer.status not in allowed_from:
        raise AccountError(f"“{dealer.status_label()}”的代理商不能执行此操作 (a {dealer.status} dealer cannot be {action}d)")
    decide(dealer, status, actor=actor, reason=reason)


def decide(dealer: Dealer, status: str, *, actor: str, reason: str = "") -> None:
    """Approve, reject (a reason is required), suspend or reactivate."""
    reason = reason.strip()
    if (dealer.status, status) not in DECISIONS:
        raise AccountError(f"不能从“{dealer.status_label()}”改为该状态 (cannot go from {dealer.status} to {status})")
    if status in (REJECTED, SUSPENDED) and not reason:
        raise AccountError("请填写原因 (a reason is required)")
    before = dealer.status
    dealer.status, dealer.decision_reason = status, reason[:200]
    dealer.decided_by, dealer.decided_at = actor[:60], datetime.now(UTC)
    audit.record(actor, f"dealer_{status}", dealer.phone, {"status": before}, {"status": status, "reason": reason})
