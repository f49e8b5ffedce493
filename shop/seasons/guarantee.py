"""What shipping out of season does to the survival guarantee (成活率100%): the contract's clause, and the rule the
survival claims will apply (SPEC "Seasons"). Pure."""

from __future__ import annotations

from dataclasses import dataclass

from shop.seasons.windows import NOW

FROST, HEAT = "frost", "heat"  # the damage a claim may name (冻害, 热害/日灼)
WEATHER_DAMAGE = frozenset({FROST, HEAT})

HEADING = "非适宜季节发货"
# The contract prints OUT_OF_SEASON word for word; a refused survival claim quotes it.
OUT_OF_SEASON = ("乙方选择在收货地适宜栽植期外立即发货，成活率100%保证不包括非适宜季节栽植造成的冻害或热害"
                 "（霜冻、抽条、高温日灼失水）")
OUT_OF_SEASON_EN = ("You chose to ship now, outside the planting season of the destination: the 100% survival "
                    "guarantee does not cover frost or heat damage from out-of-season planting (frost, dieback, "
                    "sun scald and drying out in the heat)")


@dataclass(frozen=True)
class Refusal:
    """Why a claim is refused: a stable code and the contract's words in Chinese and English."""

    code: str
    zh: str
    en: str


OUT_OF_SEASON_REFUSAL = Refusal("out_of_season", OUT_OF_SEASON, OUT_OF_SEASON_EN)


def covers_weather_damage(ship_timing: str) -> bool:
    """False for an order the buyer had shipped out of season (`now`): frost and heat damage are not covered."""
    return ship_timing != NOW


def survival_claim_refusal(ship_timing: str, damage: str) -> Refusal | None:
    """The refusal of a survival claim for damage ("frost", "heat", …) on an order with this ship_timing, or None
    when the out-of-season clause does not stop it (the claims issue decides the rest)."""
    if damage in WEATHER_DAMAGE and not covers_weather_damage(ship_timing):
        return OUT_OF_SEASON_REFUSAL
    return None
