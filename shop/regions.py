"""China's provinces, cities and districts for the address selects (shop/data/regions.json)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

PATH = Path(__file__).resolve().parent / "data" / "regions.json"


@cache
def tree() -> dict[str, dict[str, list[str]]]:
    """{province: {city: [district, ...]}}."""
    return json.loads(PATH.read_text(encoding="utf-8"))


def cities(province: str) -> list[str]:
    """The cities of a province (empty if unknown)."""
    return list(tree().get(province, {}))


def districts(province: str, city: str) -> list[str]:
    """The districts of a city (empty if unknown)."""
    return list(tree().get(province, {}).get(city, []))


def valid(province: str, city: str, district: str) -> bool:
    """True when the three name a real place, one inside the other."""
    return district in tree().get(province, {}).get(city, [])
