"""Fixtures shared by the test modules."""

from __future__ import annotations

import pytest

from ui.data import offline_status


@pytest.fixture
def offline_app(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the app in offline mode on the shipped data, as on a machine with no internet."""
    monkeypatch.setenv("ATLAS_OFFLINE", "1")
    monkeypatch.delenv("ATLAS_DATA_DIR", raising=False)
    offline_status.clear()
