"""A throwaway PostgreSQL + PostGIS cluster owned by the test run: its own folder, a loopback port, no password.

Debian's ``postgresql`` and ``postgresql-15-postgis-3`` (``make test``
installs them) provide ``initdb`` and ``pg_ctl``; the cluster lives in a
temporary folder, listens on a free port of 127.0.0.1 only, and is stopped and
removed at the end of the run. PostgreSQL refuses to run as root, so as root
the server runs as the ``postgres`` user the Debian package creates (via
``runuser``). ``fsync`` is off: the tests kill clients, not the server.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import psycopg

_BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda path: int(path.parent.name))
SUPERUSER = "atlas"
TEMPLATE = "atlas_postgis"


def _bin_dir() -> Path | None:
    """The newest PostgreSQL's programs folder holding initdb and pg_ctl, if any."""
    found = [path for path in _BIN_DIRS if (path / "initdb").exists() and (path / "pg_ctl").exists()]
    return found[-1] if found else None


def missing() -> str | None:
    """Why a PostGIS cluster cannot be started here (None: it can)."""
    bin_dir = _bin_dir()
    if bin_dir is None:
        return "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): apt-get install postgresql"
    version = bin_dir.parent.name
    control = Path(f"/usr/share/postgresql/{version}/extension/postgis.control")
    if not control.exists():
        return f"PostGIS is not installed for PostgreSQL {version}: apt-get install postgresql-{version}-postgis-3"
    if os.geteuid() == 0 and not shutil.which("runuser"):
        return "running as root without runuser to start PostgreSQL as the postgres user"
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    """One started cluster; :meth:`database` makes a fresh empty database and returns its URL."""

    def __init__(self) -> None:
        bin_dir = _bin_dir()
        assert bin_dir is not None, missing()
        self._bin = bin_dir
        self.folder = Path(tempfile.mkdtemp(prefix="atlas-postgis-"))
        self.port = _free_port()
        self._numbers = itertools.count(1)
        self._as_owner: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
            self._as_owner = ["runuser", "-u", "postgres", "--"]
        data = self.folder / "data"
        self._run("initdb", "-D", str(data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8", "--no-locale")
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.folder} -c fsync=off"
        self._run(
            "pg_ctl", "start", "-w", "-D", str(data), "-l", str(self.folder / "server.log"), "-o", options
        )
        self._data = data
        with self._admin() as connection:
            connection.execute(f"CREATE DATABASE {TEMPLATE}")
        with psycopg.connect(self._dsn(TEMPLATE), autocommit=True) as connection:
            connection.execute("CREATE EXTENSION postgis")

    def _run(self, program: str, *arguments: str) -> None:
        subprocess.run(
            [*self._as_owner, str(self._bin / program), *arguments], check=True, capture_output=True, cwd="/"
        )

    def _dsn(self, database: str) -> str:
        return f"host=127.0.0.1 port={self.port} user={SUPERUSER} dbname={database}"

    def _admin(self) -> psycopg.Connection:
        return psycopg.connect(self._dsn("postgres"), autocommit=True)

    def database(self, *, postgis: bool = True) -> str:
        """A new database (PostGIS already in it, or quite empty) and its SQLAlchemy URL."""
        name = f"atlas_test_{next(self._numbers)}"
        with self._admin() as connection:
            connection.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE if postgis else 'template0'}")
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        """Stop the server and remove its folder."""
        try:
            self._run("pg_ctl", "stop", "-m", "immediate", "-D", str(self._data))
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
