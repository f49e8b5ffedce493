"""The archive's list: filter by grade, segment, warning, region and kind; sort by value or last order. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shop.customers import segments as s

SORTS = ("value", "last")


@dataclass(frozen=True)
class Filters:
    """What staff asked for in the query string (unknown values are ignored, never an error page)."""

    grade: str = ""
    segment: str = ""
    warning: str = ""
    kind: str = ""
    region: str = ""
    sort: str = "value"

    @classmethod
    def parse(cls, args) -> Filters:
        """From request.args (or any mapping): keep only the values the archive knows."""
        def pick(name, allowed):
            value = (args.get(name) or "").strip()
            return value if value in allowed else ""
        return cls(grade=pick("grade", s.GRADES), segment=pick("segment", s.SEGMENTS),
                   warning=pick("warning", s.WARNINGS), kind=pick("kind", (s.RETAIL, s.DEALER)),
                   region=(args.get("region") or "").strip()[:60], sort=pick("sort", SORTS) or "value")

    def query(self) -> dict:
        """The filters as query-string values (for links and the export)."""
        return {k: v for k, v in self.__dict__.items() if v and not (k == "sort" and v == "value")}


def select(standings: list[s.Standing], regions: dict[int, str], f: Filters) -> list[s.Standing]:
    """The standings that match, sorted (value: highest first; last: most recent order first), then by key."""
    found = [x for x in standings
             if (not f.grade or x.grade == f.grade) and (not f.segment or x.segment == f.segment)
             and (not f.warning or f.warning in x.warnings) and (not f.kind or x.kind == f.kind)
             and (not f.region or f.region in regions.get(x.id, ""))]
    if f.sort == "last":
        return sorted(found, key=lambda x: (-(x.last_order or date.min).toordinal(), x.key))
    return sorted(found, key=lambda x: (-x.value_fen, x.key))


def page_of(rows: list, page: int, per_page: int) -> tuple[list, int]:
    """(the rows of page n, counted from 1, clamped to the pages there are), the number of pages."""
    pages = max(1, -(-len(rows) // per_page))
    page = min(max(1, page), pages)
    return rows[(page - 1) * per_page: page * per_page], pages
