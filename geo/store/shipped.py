"""The shipped data files copied into PostGIS tables, for a team that queries them from QGIS or SQL.

The Atlas itself keeps reading ``data/``; this copy is for other tools. Each
dataset is read through :mod:`geo.loaders` (so it is validated as the app
validates it) and written to the ``atlas_shipped`` schema with its columns as
read (per-row ``source`` columns included), geometries in EPSG:4326 with a
spatial index. ``atlas_shipped.sources`` lists each table's file, title,
licence and sources from ``data/datapackage.json``, which also become the
tables' comments. Everything is replaced in one transaction: a failed load
leaves the previous copy.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd
from sqlalchemy import Connection, Engine, MetaData, Table
from sqlalchemy.schema import CreateSchema, DropSchema, SetTableComment

from geo import loaders, paths

SCHEMA = "atlas_shipped"


def _datasets(folder: Path) -> dict[str, tuple[str, Callable[[], pd.DataFrame]]]:
    """Table name → (the datapackage resource it copies, a reader of it)."""
    boroughs = loaders.read_boroughs(folder / paths.BOUNDARIES.name)
    return {
        "boroughs": ("boroughs", lambda: boroughs),
        "indicators": (
            "indicators",
            lambda: loaders.read_indicators(folder / paths.INDICATORS.name, boroughs),
        ),
        "utopias": ("utopias", lambda: loaders.read_sites(folder / paths.SITES.name, boroughs)),
        "agebs": (
            "agebs",
            lambda: loaders.read_agebs(folder / paths.AGEBS.name, folder / paths.AGEB_SHAPES.name),
        ),
        "colonias": (
            "colonias",
            lambda: loaders.read_colonias(folder / paths.COLONIAS.name, folder / paths.COLONIA_SHAPES.name),
        ),
    }


def _sources(resource: dict) -> str:
    return "; ".join(source.get("title", "") for source in resource.get("sources", ()))


def _write(connection: Connection, table: str, frame: pd.DataFrame) -> None:
    if isinstance(frame, gpd.GeoDataFrame):
        frame.to_postgis(table, connection, schema=SCHEMA, index=False)  # with a GiST index (GeoAlchemy2)
    else:
        frame.to_sql(table, connection, schema=SCHEMA, index=False)


def load(engine: Engine, folder: Path | None = None) -> dict[str, int]:
    """Copy the shipped datasets of ``folder`` (the app's data folder) into PostGIS; rows per table."""
    folder = folder or paths.data_dir()
    resources = {
        item["name"]: item for item in loaders.read_catalogue(folder / paths.DATAPACKAGE.name)["resources"]
    }
    frames = {table: (resources[name], read()) for table, (name, read) in _datasets(folder).items()}
    sources = pd.DataFrame(
        [
            {
                "table_name": table,
                "file": resource.get("path", ""),
                "title": resource.get("title", ""),
                "licence": "; ".join(item.get("name", "") for item in resource.get("licenses", ())),
                "sources": _sources(resource),
            }
            for table, (resource, _) in frames.items()
        ]
    )
    with engine.begin() as connection:
        connection.execute(DropSchema(SCHEMA, cascade=True, if_exists=True))
        connection.execute(CreateSchema(SCHEMA))
        for table, (resource, frame) in frames.items():
            _write(connection, table, frame)
            comment = f"{resource.get('title', table)}. Sources: {_sources(resource)}"
            described = Table(table, MetaData(), schema=SCHEMA, comment=comment)
            connection.execute(SetTableComment(described))
        _write(connection, "sources", sources)
    return {table: len(frame) for table, (_, frame) in frames.items()}
