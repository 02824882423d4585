"""Fixtures shared by the test modules."""

from __future__ import annotations

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager

from geo.filters import opened_year_range
from geo.loaders import Atlas, load_atlas
from ui.data import offline_status


@pytest.fixture
def offline_app(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the app in offline mode on the shipped data, as on a machine with no internet."""
    monkeypatch.setenv("ATLAS_OFFLINE", "1")
    monkeypatch.delenv("ATLAS_DATA_DIR", raising=False)
    offline_status.clear()


@pytest.fixture
def deferred(monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, str | None, str | None]]:
    """The (callable, mime type, file name) of every download button made lazily on the page."""
    calls: list[tuple[object, str | None, str | None]] = []
    original = MediaFileManager.add_deferred

    def record(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        calls.append((data_callable, mimetype, file_name))
        return original(self, data_callable, mimetype, coordinates, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return calls


@pytest.fixture(scope="session")
def atlas() -> Atlas:
    """The shipped data, loaded once (a module may define its own ``atlas`` instead)."""
    return load_atlas()


@pytest.fixture(scope="session")
def latest(atlas: Atlas) -> int:
    """The last year of the "opened by" filter: a new visitor's view."""
    return opened_year_range(atlas.sites)[1]
