"""The desk tests: every one ships only to places the regions know, and most need a logged-in staff member."""

from __future__ import annotations

import pytest

from tests.actions import staff_client, stand_in_regions


@pytest.fixture(autouse=True)
def _regions(monkeypatch):
    stand_in_regions(monkeypatch)


@pytest.fixture
def desk(app):
    """A browser logged in to the desk as staff member 小李."""
    return staff_client(app)
