"""The seasons tests run with windows made for today (season_files.todays_windows) unless they say otherwise."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from season_files import OPENS_IN_DAYS, today, todays_windows


@pytest.fixture
def opening() -> date:
    """The day Shandong's window opens in the file made for today."""
    return today() + timedelta(days=OPENS_IN_DAYS)


@pytest.fixture
def app_overrides(tmp_path):
    """Shandong and Henan closed today, Guangdong open (season_files.todays_windows)."""
    return {"SHIP_WINDOWS_FILE": todays_windows(tmp_path / "ship_windows.csv")}
