"""The audit log: every money or stock action, with who, when, and the values before and after."""

from __future__ import annotations

from shop.desk.models import AuditEntry
from shop.extensions import db


def record(actor: str, action: str, subject: str, before: dict | None = None, after: dict | None = None) -> None:
    """Add an audit entry to the current transaction."""
    db.session.add(AuditEntry(actor=actor, action=action, subject=subject, before=before or {}, after=after or {}))
