"""``python -m geo.store load``: copy the shipped data into the PostGIS database of ``ATLAS_DATABASE_URL``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from geo import settings
from geo.errors import DataError, StoreError
from geo.store import open_store
from geo.store.shipped import SCHEMA, load


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; 0 when done, 1 with a message saying what to fix otherwise."""
    parser = argparse.ArgumentParser(prog="python -m geo.store", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser(
        "load", help=f"copy boroughs, indicators, UTOPÍAS, AGEBs and colonias into {SCHEMA}.*"
    )
    parser.parse_args(argv)
    try:
        url = settings.database_url()
    except settings.SettingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if url is None:
        print(
            f"error: {settings.DATABASE_URL} is not set. The shipped data is copied into PostGIS only: set it "
            "to the team's database, e.g. ATLAS_DATABASE_URL=postgresql+psycopg://user@host/atlas",
            file=sys.stderr,
        )
        return 1
    try:
        counts = load(open_store(url).engine)
    except (StoreError, DataError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for table, rows in counts.items():
        print(f"{SCHEMA}.{table}: {rows} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
