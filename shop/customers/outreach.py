"""Whom to contact this week (回访): next-contact dates due within the week (or past), churn warnings, dormant
customers who were A by their lifetime value (dormant VIPs). Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from shop.customers import segments as s

WEEK_DAYS = 7
DUE, CHURN, DORMANT_VIP = "due", "churn", "dormant_vip"


@dataclass(frozen=True)
class Call:
    """One customer to call, and why."""

    standing: s.Standing
    reasons: tuple[str, ...]
    next_contact_on: date | None


def this_week(standings: list[s.Standing], next_contact: dict[int, date | None], as_of: date) -> list[Call]:
    """The calls of the week starting on the as-of day: due dates first (oldest first), then by value."""
    until = as_of + timedelta(days=WEEK_DAYS - 1)
    calls = []
    for x in standings:
        when = next_contact.get(x.id)
        reasons = [r for r, on in ((DUE, when is not None and when <= until), (CHURN, s.CHURN in x.warnings),
                                   (DORMANT_VIP, x.segment == s.DORMANT and x.lifetime_grade == s.A)) if on]
        if reasons:
            calls.append(Call(x, tuple(reasons), when))
    return sorted(calls, key=lambda c: (c.next_contact_on is None, c.next_contact_on or as_of,
                                        -c.standing.value_fen, c.standing.key))
