"""Connecting to the store's database and bringing its schema up to date (Alembic, on open).

SQLite (the embedded store): one file in WAL mode, so readers keep reading
their snapshot while one writer writes; the driver's own transaction handling
is switched off and the store begins every transaction itself, a write with
``BEGIN IMMEDIATE`` (it takes the write lock first, so two writers queue
instead of failing half-way), a read with a plain ``BEGIN``. ``synchronous =
FULL``: a commit is on disk before the store says it is done.

PostgreSQL: psycopg 3; reads run as read-only ``REPEATABLE READ`` transactions
(one snapshot per read), writes as ``READ COMMITTED`` serialised on the row
of the store-wide version (:mod:`geo.store.store`).
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, func, select
from sqlalchemy.exc import OperationalError

from geo.errors import StoreError

FILE_NAME = "atlas.sqlite"
MIGRATIONS = Path(__file__).with_name("migrations")
#: How long a writer waits for another writer's lock before it gives up (seconds).
LOCK_TIMEOUT = 60
#: The execution option that makes a connection's transactions writes (SQLite: ``BEGIN IMMEDIATE``).
WRITE = "atlas_write"
# pg_advisory_xact_lock key: two app servers opening an empty database migrate it once, in turn.
_MIGRATION_LOCK = 7_110_011


def postgres_url(url: str) -> str:
    """The URL with psycopg 3 as its driver (a bare ``postgresql://`` would pick psycopg2)."""
    return "postgresql+psycopg://" + url.split("://", 1)[1] if url.startswith("postgresql://") else url


def sqlite_engine(folder: Path) -> Engine:
    """The engine of the embedded store's file in ``folder`` (created with the folder if missing)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError("unavailable", f"cannot create the store folder {folder}", str(exc)) from exc
    engine = create_engine(f"sqlite:///{folder / FILE_NAME}", connect_args={"timeout": LOCK_TIMEOUT})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in ("journal_mode = WAL", "synchronous = FULL", "foreign_keys = ON"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.execute(f"PRAGMA busy_timeout = {LOCK_TIMEOUT * 1000}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        write = connection.get_execution_options().get(WRITE)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


#: Seconds to wait for the database to answer a new connection (an unreachable host fails this fast).
CONNECT_TIMEOUT_S = 5


def postgres_engine(url: str) -> Engine:
    """The engine of a PostGIS store at ``url`` (checked connections: a restarted server is no error)."""
    return create_engine(
        postgres_url(url), pool_pre_ping=True, connect_args={"connect_timeout": CONNECT_TIMEOUT_S}
    )


def _config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def migrate(engine: Engine) -> None:
    """Bring the database's schema to the newest migration (from an empty database too), in one transaction.

    A database already at the newest revision costs one query. One written by
    a newer Atlas (a revision this code does not know) is refused rather than
    changed.
    """
    scripts = ScriptDirectory(str(MIGRATIONS))
    head = scripts.get_current_head()
    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
            connection.rollback()
            if current == head:
                return
            if current is not None and current not in {
                script.revision for script in scripts.walk_revisions()
            }:
                raise StoreError(
                    "unavailable",
                    f"the store's schema is at revision {current}, which this Atlas does not know",
                    "run the Atlas version that wrote it, or a newer one",
                )
        with engine.connect().execution_options(**{WRITE: True}) as connection, connection.begin():
            if connection.dialect.name == "postgresql":
                connection.execute(select(func.pg_advisory_xact_lock(_MIGRATION_LOCK)))
            command.upgrade(_config(connection), "head")
    except OperationalError as exc:
        raise StoreError(
            "unavailable",
            f"cannot open the store's database ({engine.url.render_as_string(hide_password=True)})",
            f"check that it is reachable and writable: {exc.orig}",
        ) from exc
