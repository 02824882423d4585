"""A visitor's confirmed layers as data: what the check kept, named and sourced by the user, ready to draw.

A :class:`UserLayer` is made only from a :class:`~geo.importing.check.CheckedLayer`
the user confirmed. It lives in the visitor's session (``ui.userlayers``),
never on disk or in another session. The map model filters its sites with
the view (:func:`shown_sites`) and :mod:`geo.mapview` draws them; the page
offers the cleaned layer back as GeoJSON and as spreadsheet-safe CSV.

Every cell is the file's text: whoever shows one escapes it.
Plain Python: no Streamlit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import geopandas as gpd
import pandas as pd

from geo.exports import _feature_collection, table_csv
from geo.importing.check import CheckedLayer
from geo.importing.columns import Kind, guess_roles, year_columns
from geo.importing.crs import WGS84
from geo.importing.read import Upload
from geo.state import ViewState

#: The columns a spatial file of points gets for the site check (its geometry's coordinates, as text).
POINT_COLUMNS = ("longitude", "latitude")
#: The GeoJSON's ``name`` member of a downloaded layer: an identifier, not a translation.
COLLECTION = "cdmx-inclusion-atlas-your-layer"
_UNSAFE_FILE_CHARACTERS = re.compile(r"[^\w.-]+")


@dataclass(frozen=True, eq=False)
class UserLayer:
    """A confirmed layer: the checked rows (EPSG:4326), the user's name and source line for it, its kind.

    ``ident`` is unique in the session (widget keys and removal use it);
    ``file`` is the uploaded file's name, as given.
    """

    ident: str
    kind: Kind
    name: str
    source: str
    file: str
    rows: gpd.GeoDataFrame

    @property
    def count(self) -> int:
        return len(self.rows)


def guess_kind(upload: Upload) -> Kind:
    """The kind a file most likely holds: polygons are boundaries, points sites; a table by its columns.

    A table with year columns or a value column and no coordinates is an
    indicator table; anything else is a list of sites (the user can change it).
    """
    frame = upload.frame
    if frame is None:
        return "sites"
    if isinstance(frame, gpd.GeoDataFrame):
        types = set(frame.geometry.dropna().geom_type)
        return "boundaries" if types and types <= {"Polygon", "MultiPolygon"} else "sites"
    sites = guess_roles(frame, "sites")
    if {"lat", "lon"} <= sites.keys():
        return "sites"
    indicators = guess_roles(frame, "indicators")
    if year_columns(frame) or ("value" in indicators and "name" not in sites):
        return "indicators"
    return "sites"


def check_frame(upload: Upload, kind: Kind) -> pd.DataFrame | None:
    """The frame the check of ``kind`` reads: a points file's sites get their coordinates as text columns.

    The check places sites by coordinate cells, so a spatial file's points
    become ``longitude`` / ``latitude``, in WGS 84 when the file declares its
    CRS, as written otherwise (the check recognises a projected one and asks);
    other geometries are dropped for sites.
    """
    frame = upload.frame
    if kind != "sites" or not isinstance(frame, gpd.GeoDataFrame):
        return frame
    if frame.crs is not None:
        frame = frame.to_crs(WGS84)
    points = frame.geometry.where(frame.geometry.geom_type == "Point")
    table = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    for column, values in zip(POINT_COLUMNS, (points.x, points.y), strict=True):
        table[column] = [None if pd.isna(value) else repr(float(value)) for value in values]
    return table


def user_layer(checked: CheckedLayer, *, ident: str, name: str, source: str, file: str) -> UserLayer:
    """The confirmed layer of a check: its usable rows only, under the user's name and source line."""
    return UserLayer(ident=ident, kind=checked.kind, name=name, source=source, file=file, rows=checked.layer)


def shown_sites(layer: UserLayer, view: ViewState, latest_year: int) -> UserLayer:
    """The layer's sites the view's borough, status and year filters keep (other kinds are returned as they are).

    With a borough filter only the sites placed in those boroughs stay: a site
    kept as context outside the city is in none, so it is drawn only when no
    borough is filtered. The other filters apply only where the layer has the
    column: a site whose status is one of the Atlas's must be ticked; one with
    no status or another status stays. For a past year (``view.opened`` before
    ``latest_year``) a layer with years keeps the sites of that year or
    before, like the shipped ones.
    """
    if layer.kind != "sites":
        return layer
    rows = layer.rows
    keep = pd.Series(True, index=rows.index)
    if view.boro:
        keep &= rows["borough"].isin(view.boro) & ~rows["context"].astype(bool)
    statuses = rows["status"].astype("string")
    known = statuses.notna() & statuses.ne("other")
    keep &= ~known | statuses.isin(view.status).fillna(False)
    years = rows["year"]
    if view.opened < latest_year and years.notna().any():
        keep &= years.le(view.opened).fillna(False).astype(bool)
    return replace(layer, rows=rows[keep.to_numpy()])


def drawn_rows(layer: UserLayer) -> gpd.GeoDataFrame:
    """The rows the map draws of a layer: all of them, but only the latest year of an indicator table with years.

    One outline per unit: the map shows an indicator table's units once, by
    its most recent values; the legend counts what is drawn.
    """
    rows = layer.rows
    if layer.kind == "indicators" and rows["year"].notna().any():
        return rows[rows["year"] == rows["year"].max()]
    return rows


def layer_geojson(layer: UserLayer) -> bytes:
    """The cleaned layer as a GeoJSON FeatureCollection (RFC 7946), with its name and source line."""
    return _feature_collection(layer.rows, name=COLLECTION, title=layer.name, source=layer.source)


def layer_csv(layer: UserLayer) -> bytes:
    """The cleaned layer as spreadsheet-safe CSV: every column, coordinates as longitude/latitude (WKT for areas)."""
    rows = layer.rows
    table = pd.DataFrame(rows.drop(columns=rows.geometry.name))
    if layer.kind == "sites":
        table["longitude"], table["latitude"] = rows.geometry.x.round(6), rows.geometry.y.round(6)
    else:
        table["wkt"] = rows.geometry.to_wkt(rounding_precision=6)
    table["source"] = table["source"].fillna(layer.source) if "source" in table else layer.source
    return table_csv(table)


def file_stem(layer: UserLayer) -> str:
    """A safe file name (no extension) for the layer's downloads, from the user's name for it."""
    stem = _UNSAFE_FILE_CHARACTERS.sub("-", layer.name).strip("-.")[:60]
    return stem or "layer"
