"""Work that must wait until the transaction is committed: calls to outside services (Stripe) that should
happen only if our change really lands, and never while a database lock is held."""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
KEY = "after_commit"


def later(session, action: Callable[[], None]) -> None:
    """Run action once the session's current transaction commits; forget it if the transaction rolls back."""
    session.info.setdefault(KEY, []).append(action)


@event.listens_for(Session, "after_commit")
def _run(session: Session) -> None:
    for action in session.info.pop(KEY, []):
        try:
            action()
        except Exception:  # best effort: what the action guards against has a safety net of its own
            log.exception("after-commit action failed")


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(KEY, None)
