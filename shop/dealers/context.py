"""Who is buying: anonymous retail, or which approved dealer. Resolved once per request from the API token or
the dealer's web session, and passed to pricing and order placement."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BuyerContext:
    """The buyer as pricing sees them; RETAIL for everyone who is not an approved, active dealer."""

    dealer_id: int | None = None
    company: str = ""
    name: str = ""
    phone: str = ""
    region: str = ""

    @property
    def is_dealer(self) -> bool:
        """An approved dealer: the dealer discount on every priced line at any quantity (never stacked with bulk)."""
        return self.dealer_id is not None

    @classmethod
    def of(cls, dealer) -> BuyerContext:
        """The context of a dealer row: a dealer's only while the account is approved."""
        if dealer is None or not dealer.active:
            return RETAIL
        return cls(dealer_id=dealer.id, company=dealer.company, name=dealer.contact_name, phone=dealer.phone,
                   region=dealer.region)


RETAIL = BuyerContext()
