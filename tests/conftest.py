"""Fixtures shared by the test modules."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from geo import settings, users
from geo.assets.manifest import missing_assets
from geo.assets.serve import use_cdn_assets
from geo.filters import opened_year_range
from geo.loaders import Atlas, load_atlas
from geo.paths import VENDOR_DIR
from geo.store import Store, open_store
from tests import postgis_support, store_support
from ui.data import offline_status


@pytest.fixture(scope="session", autouse=True)
def empty_team_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Every app the tests run (AppTest, and servers started from here) gets an empty store of its own.

    Never the project's ``store/`` (a developer's published layers); a test
    that publishes points ``ATLAS_STORE`` at a store of its own.
    """
    patch = pytest.MonkeyPatch()
    patch.setenv("ATLAS_STORE", str(tmp_path_factory.mktemp("empty-team-store")))
    patch.delenv("ATLAS_DATABASE_URL", raising=False)
    yield
    patch.undo()


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


@pytest.fixture
def cdn_assets() -> Iterator[None]:
    """folium's own CDN links before and after the test, whatever another test switched to."""
    use_cdn_assets()
    yield
    use_cdn_assets()


@pytest.fixture
def vendor_dir() -> Path:
    """``static/vendor`` when installed; skip, or fail under ``ATLAS_REQUIRE_VENDOR=1``."""
    missing = missing_assets(VENDOR_DIR)
    if missing:
        message = (
            f"{len(missing)} vendored file(s) missing under {VENDOR_DIR} "
            f"(e.g. {missing[0]}); run `python -m geo.assets`"
        )
        if settings.require_vendor():
            pytest.fail(message)
        pytest.skip(message)
    return VENDOR_DIR


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """The bytes behind every download button rendered, by file name."""
    saved: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def record(self, path_or_data, mimetype, kind, filename=None):  # type: ignore[no-untyped-def]
        if filename and isinstance(path_or_data, bytes):
            saved[filename] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
    return saved


@pytest.fixture(scope="session")
def postgis() -> Iterator[postgis_support.Cluster]:
    """A throwaway PostGIS cluster for the whole run, started on first use; skipped, saying why, when not installed."""
    reason = postgis_support.missing()
    if reason:
        pytest.skip(f"PostGIS half of the store tests skipped: {reason}")
    cluster = postgis_support.Cluster()
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgis"])
def store_target(request: pytest.FixtureRequest, tmp_path: Path) -> str | Path:
    """Where a fresh, empty store lives: a folder for the embedded store, or a new PostGIS database."""
    if request.param == "sqlite":
        return tmp_path / "store"
    return request.getfixturevalue("postgis").database()


@pytest.fixture
def store(store_target: str | Path) -> Iterator[Store]:
    """A fresh store on each backend with one editor account (``store_support.EDITOR``)."""
    opened = open_store(store_target)
    users.add(opened, store_support.EDITOR, store_support.PASSWORD)
    yield opened
    opened.close()
