"""The team's store: published layers and decks, their versions, the audit log and editor accounts.

One interface (:class:`Store`), two backends chosen by the settings:

- **Embedded** (the default, what ``make run`` uses): one SQLite file,
  ``atlas.sqlite`` in the ``ATLAS_STORE`` folder (``store/`` in the project,
  git-ignored). Plain SQLite, geometries as WKB: Python ships SQLite, so the
  store needs no server and no extra Debian package; SpatiaLite or a
  GeoPackage would add ``mod_spatialite`` to install for spatial SQL the
  Atlas does not run there (a published layer is read whole and worked on with
  geopandas, like an upload). WAL mode lets readers read while one writer
  writes.
- **PostGIS** when ``ATLAS_DATABASE_URL`` is set: the same tables, geometries
  in ``geometry(Geometry, 4326)`` columns with a GiST index, what several app
  servers share and what QGIS can open.

Both are driven by SQLAlchemy 2 (psycopg 3 for PostgreSQL); the schema is made
and upgraded by the Alembic migrations in ``geo/store/migrations`` when the
store opens, from an empty database too.

Use::

    store = open_store()                   # the settings' store (or a folder / a URL)
    catalogue = store.catalogue()          # store version + every current layer and deck, one snapshot
    layer = store.read_layer("obras-2026") # a UserLayer, drawable like an upload
    record = store.publish_layer(layer, editor="ana", sha256=..., report_summary={...})

Caching: ``store.version()`` is one cheap query; key cached reads on it (the
catalogue) or on ``(ident, version)`` (a version never changes). Writes are
refused unless ``editor`` is an editor (:mod:`geo.store.accounts`); errors are
:class:`geo.errors.StoreError` with a ``reason`` code for the page.
Plain Python: no Streamlit.
"""

from __future__ import annotations

from pathlib import Path

from geo import paths, settings
from geo.store.engine import migrate, postgres_engine, sqlite_engine
from geo.store.store import AuditEntry, Catalogue, Record, Store

#: The embedded store's folder when ``ATLAS_STORE`` is not set.
DEFAULT_FOLDER = paths.ROOT / "store"

__all__ = ["AuditEntry", "Catalogue", "Record", "Store", "open_store"]


def open_store(url_or_folder: str | Path | None = None) -> Store:
    """Open (and migrate) a store: a ``postgresql`` URL, a folder for the SQLite file, or the settings' store.

    With no argument: ``ATLAS_DATABASE_URL`` if set, else the ``ATLAS_STORE``
    folder, else ``store/`` in the project.
    """
    target = url_or_folder or settings.database_url() or settings.store_dir() or DEFAULT_FOLDER
    if isinstance(target, str) and target.startswith("postgresql"):
        engine = postgres_engine(target)
    else:
        engine = sqlite_engine(Path(target))
    migrate(engine)
    return Store(engine)
