"""A visitor's confirmed layers as data: what the check kept, named and sourced by the user, ready to draw.

A :class:`UserLayer` is made only from a :class:`~geo.importing.check.CheckedLayer`
the user confirmed. It lives in the visitor's session (``ui.userlayers``),
never on disk or in another session. The map model filters its sites with
the view (:func:`shown_layer`) and :mod:`geo.mapview` draws them; the page
offers the cleaned layer back as GeoJSON and as spreadsheet-safe CSV.

Every cell is the file's text: whoever shows one escapes it.
Plain Python: no Streamlit.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import geopandas as gpd
import pandas as pd
import shapely

from geo.deck import DeckLayer
from geo.exports import _feature_collection, table_csv
from geo.importing.check import BOUNDARY_COLUMNS, PRECISION, SITE_COLUMNS, CheckedLayer
from geo.importing.columns import Kind, guess_roles, year_columns
from geo.importing.crs import WGS84
from geo.importing.locate import LEVELS
from geo.importing.read import Upload, read_upload
from geo.importing.values import OTHER_PROGRAMME, OTHER_STATUS
from geo.state import ViewState
from geo.vocabulary import NO_PUBLISHED, PROGRAMMES, STATUSES

#: The columns a spatial file of points gets for the site check (its geometry's coordinates, as text).
POINT_COLUMNS = ("longitude", "latitude")
#: The geometry types a carried layer of each kind may hold.
_GEOMETRIES = {"sites": {"Point"}, "boundaries": {"Polygon", "MultiPolygon"}}
_COLUMNS = {"sites": SITE_COLUMNS, "boundaries": BOUNDARY_COLUMNS}
_LOCATED_BY = ("coordinates", *LEVELS)
#: The GeoJSON's ``name`` member of a downloaded layer: an identifier, not a translation.
COLLECTION = "cdmx-inclusion-atlas-your-layer"
_UNSAFE_FILE_CHARACTERS = re.compile(r"[^\w.-]+")


@dataclass(frozen=True, eq=False)
class UserLayer:
    """A confirmed layer: the checked rows (EPSG:4326), the user's name and source line for it, its kind.

    ``ident`` is unique in the session (widget keys and removal use it);
    ``file`` is the uploaded file's name, as given; ``from_deck``: restored
    from a deck file (:func:`from_deck`), not uploaded in this session;
    ``unit`` the user's unit of an indicator table's values ("" when not given).
    A published layer (``published`` > 0) is the team's, shown to every visitor.
    """

    ident: str
    kind: Kind
    name: str
    source: str
    file: str
    rows: gpd.GeoDataFrame
    from_deck: bool = False
    unit: str = ""
    #: What publishing records in the audit log (``geo.store``): the uploaded file's sha256, the
    #: check's finding counts by severity and the columns the user mapped (empty when not uploaded).
    sha256: str = ""
    checked: Mapping[str, int] = field(default_factory=dict)
    mapping: Mapping[str, str] = field(default_factory=dict)
    #: The version of a layer read from the team's store (0: the session's own layer).
    published: int = 0

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


def user_layer(
    checked: CheckedLayer,
    *,
    ident: str,
    name: str,
    source: str,
    file: str,
    unit: str = "",
    sha256: str = "",
    mapping: Mapping[str, str] | None = None,
) -> UserLayer:
    """The confirmed layer of a check: its usable rows only, under the user's name, source line and unit."""
    counts = Counter(finding.severity for finding in checked.findings)
    return UserLayer(
        ident=ident,
        kind=checked.kind,
        name=name,
        source=source,
        file=file,
        rows=checked.layer,
        unit=unit,
        sha256=sha256,
        checked=dict(counts),
        mapping=dict(mapping or {}),
    )


def shown_sites(layer: UserLayer, view: ViewState, latest_year: int) -> UserLayer:
    """The layer's sites the view's borough, status, programme and year filters keep (other kinds as they are).

    With a borough filter only the sites placed in those boroughs stay: a site
    kept as context outside the city is in none, so it is drawn only when no
    borough is filtered. The other filters apply only where the layer has the
    column: a site whose status (programme) is one of the Atlas's must be
    ticked; one with none or another stays. For a past year (``view.opened`` before
    ``latest_year``) a layer with years keeps the sites of that year or
    before, like the shipped ones.
    """
    if layer.kind != "sites":
        return layer
    rows = layer.rows
    keep = pd.Series(True, index=rows.index)
    if view.boro:
        keep &= rows["borough"].isin(view.boro) & ~rows["context"].astype(bool)
    for column, other, ticked in (
        ("status", OTHER_STATUS, view.status),
        ("programme", OTHER_PROGRAMME, view.prog),
    ):
        cells = rows[column].astype("string")
        known = cells.notna() & cells.ne(other)
        keep &= ~known | cells.isin(ticked).fillna(False)
    years = rows["year"]
    if view.opened < latest_year and years.notna().any():
        keep &= years.le(view.opened).fillna(False).astype(bool)
    return replace(layer, rows=rows[keep.to_numpy()])


def shown_areas(layer: UserLayer, view: ViewState, boroughs: gpd.GeoDataFrame) -> UserLayer:
    """A boundary layer's areas in the view's filtered boroughs (other kinds are returned as they are).

    An area is in a borough when they share more than a border line: an area
    across two boroughs shows with either. As for sites, an area kept as
    context outside the city is in none, so it is drawn only when no borough
    is filtered. ``boroughs``: the city's (``cvegeo``, geometry).
    """
    if layer.kind != "boundaries" or not view.boro:
        return layer
    rows = layer.rows
    chosen = shapely.union_all(boroughs.geometry[boroughs["cvegeo"].isin(view.boro)].to_numpy())
    shapely.prepare(chosen)
    shapes = rows.geometry.to_numpy()
    inside = shapely.intersects(chosen, shapes) & ~shapely.touches(chosen, shapes)
    return replace(layer, rows=rows[inside & ~rows["context"].astype(bool).to_numpy()])


def published_in_view(
    layers: Sequence[UserLayer], chosen: tuple[str, ...]
) -> tuple[tuple[UserLayer, ...], tuple[str, ...]]:
    """The layers a view draws, and the published ids it names that no published layer has.

    A session's own layers are always drawn; of the team's published ones,
    all when the view names none, none for ``("-",)``, else those named (a
    link or slide keeps naming a layer deleted since: it is reported, not drawn).
    """
    if not chosen:
        return tuple(layers), ()
    published = {layer.ident for layer in layers if layer.published}
    drawn = tuple(layer for layer in layers if not layer.published or layer.ident in chosen)
    missing = tuple(ident for ident in chosen if ident != NO_PUBLISHED and ident not in published)
    return drawn, missing


def shown_layer(layer: UserLayer, view: ViewState, latest_year: int, boroughs: gpd.GeoDataFrame) -> UserLayer:
    """What the map draws of a layer for ``view``: the sites its filters keep, the areas in its boroughs."""
    return shown_areas(shown_sites(layer, view, latest_year), view, boroughs)


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


def deck_layer(layer: UserLayer) -> DeckLayer:
    """The layer as a deck carries it: its cleaned GeoJSON, name, source and kind."""
    return DeckLayer(layer.name, layer.source, layer.kind, layer_geojson(layer).decode("utf-8"))


def from_deck(carried: DeckLayer, ident: str) -> UserLayer | None:
    """A layer a deck file carries, read again as a stranger's file; None if it is not a usable layer.

    The GeoJSON goes through the importer's reader (its size, row and vertex
    caps) and must hold only the kind's geometry type; only the kind's columns
    are kept, as text except the numbers and flags the Atlas computes with, and
    the values the Atlas looks up by key (how a row was located, its status
    and programme) must be ones it knows. The cells stay the file's text: whoever shows one escapes it.
    """
    upload = read_upload("deck-layer.geojson", carried.geojson.encode("utf-8"))
    frame = upload.frame
    if carried.kind not in _GEOMETRIES or not upload.usable or not isinstance(frame, gpd.GeoDataFrame):
        return None
    if frame.empty or not set(frame.geometry.geom_type.dropna()) <= _GEOMETRIES[carried.kind]:
        return None
    if frame.geometry.isna().any():
        return None
    frame = frame.reset_index(drop=True)
    columns = _COLUMNS[carried.kind]
    rows = pd.DataFrame({column: frame.get(column) for column in columns}, index=frame.index)
    # The reader reads a null cell as empty text: empty is None again, except the location keys' blank.
    rows = rows.astype(object).where(rows.notna() & rows.ne(""), None)
    keys = [column for column in ("borough", "colonia", "ageb") if column in columns]
    rows[keys] = rows[keys].fillna("")
    located = rows["located_by"].where(rows["located_by"].isin(_LOCATED_BY), "coordinates")
    numbers = {"year": "Int64", "amount": "float64", "value": "float64"}
    rows = rows.assign(
        row=range(1, len(rows) + 1),
        located_by=located,
        precision=PRECISION + "." + located,
        context=rows["context"].astype("string").str.lower().eq("true").fillna(False).astype(bool),
        **{
            column: pd.to_numeric(rows[column], errors="coerce").astype(dtype)
            for column, dtype in numbers.items()
            if column in columns
        },
    )
    for column, words, other in (
        ("status", STATUSES, OTHER_STATUS),
        ("programme", PROGRAMMES, OTHER_PROGRAMME),
    ):
        if column in columns:
            known = rows[column].isin((*words, other)) | rows[column].isna()
            rows[column] = rows[column].where(known, other)
    layer = gpd.GeoDataFrame(rows, geometry=frame.geometry.to_numpy(), crs=WGS84)
    return UserLayer(ident, carried.kind, carried.name, carried.source, "", layer, from_deck=True)
