"""Order numbers that say the day but cannot be guessed from one another."""

from __future__ import annotations

import secrets
from datetime import datetime
from zoneinfo import ZoneInfo

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read over the phone
SHANGHAI = ZoneInfo("Asia/Shanghai")


def new_number(now: datetime) -> str:
    """MM + date in China + 10 random characters (50 bits): e.g. MM20261129-7K3QX9PA2B."""
    day = now.astimezone(SHANGHAI).strftime("%Y%m%d")
    return f"MM{day}-" + "".join(secrets.choice(ALPHABET) for _ in range(10))
