"""A layer's rows to the store's row records and back, so a read gives the frame that was published.

Each row becomes a JSON object of its cells (missing values as null, numpy
scalars as Python numbers) and the WKB of its geometry; the column names and
dtypes are kept once per version and applied again on reading.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.importing.crs import WGS84


def _cell(value: Any) -> Any:
    """A cell as JSON can hold it: None for every kind of missing value, Python scalars for numpy ones."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def columns(rows: gpd.GeoDataFrame) -> list[list[str]]:
    """The attribute columns and their dtypes, in order: ``[[name, dtype], ...]``."""
    return [[str(name), str(dtype)] for name, dtype in rows.drop(columns=rows.geometry.name).dtypes.items()]


def records(rows: gpd.GeoDataFrame) -> Iterable[tuple[dict[str, Any], bytes]]:
    """Each row's cells as a JSON-ready dict and its geometry as WKB, in the frame's order."""
    table = rows.drop(columns=rows.geometry.name)
    names = [str(name) for name in table.columns]
    shapes = shapely.to_wkb(rows.geometry.to_numpy())
    for cells, shape in zip(table.astype(object).itertuples(index=False, name=None), shapes, strict=True):
        yield {name: _cell(value) for name, value in zip(names, cells, strict=True)}, shape


def frame(
    described: Sequence[Sequence[str]], cells: Sequence[dict[str, Any]], shapes: Sequence[bytes]
) -> gpd.GeoDataFrame:
    """The GeoDataFrame (EPSG:4326) of stored rows: their cells in the published columns and dtypes."""
    table = pd.DataFrame(
        {name: pd.Series([row.get(name) for row in cells], dtype=object) for name, _ in described}
    )
    for name, dtype in described:
        if dtype != "object":
            table[name] = table[name].astype(dtype)
    geometry = shapely.from_wkb(np.asarray(shapes, dtype=object)) if len(shapes) else []
    return gpd.GeoDataFrame(table, geometry=gpd.GeoSeries(geometry, crs=WGS84), crs=WGS84)
