"""Read and validate the shipped data files.

One reader per dataset; each checks its file and raises
:class:`geo.errors.DataError` naming the file, what is wrong and the command
that rebuilds it, so a broken file produces a clear page and never a wrong map.
The readers take paths (not frames) so the page layer can cache on the path.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pandera.errors
import pyogrio
import shapely

from geo import paths, schemas
from geo.errors import DataError
from geo.indicators import REGISTRY, derive_indicators
from geo.vocabulary import BOROUGHS

REBUILD_BOUNDARIES = "python -m geo.build boundaries"
REBUILD_TABLES = "python -m geo.build tables"
# Mexico City with a margin of a few km: anything outside is not a CDMX feature.
CDMX_BBOX = (-99.40, 19.03, -98.90, 19.60)


@dataclass(frozen=True)
class Atlas:
    """Everything the pages draw, loaded and validated once."""

    boroughs: gpd.GeoDataFrame
    indicators: pd.DataFrame
    sites: gpd.GeoDataFrame
    pcmb: pd.DataFrame
    catalogue: dict

    @property
    def borough_names(self) -> dict[str, str]:
        """Return the official name of each borough, by code, in code order."""
        return dict(zip(self.boroughs["cvegeo"], self.boroughs["name"], strict=True))


def _schema_problems(error: pandera.errors.SchemaErrors) -> list[str]:
    cases = error.failure_cases
    problems = []
    for row in cases.head(20).itertuples():
        where = f"column {row.column!r}" if isinstance(row.column, str) else "table"
        index = "" if pd.isna(row.index) else f", row {int(row.index) + 2}"
        problems.append(f"{where}{index}: failed {row.check!s} (value {row.failure_case!r})")
    return problems


def _read_table(path: Path, schema: schemas.pa.DataFrameSchema, rebuild: str) -> pd.DataFrame:
    """Read a CSV as text, leaving empty numeric cells empty, then validate it."""
    if not path.is_file():
        raise DataError(path, ["the file is missing"], rebuild)
    numeric = [name for name, col in schema.columns.items() if str(col.dtype) in {"float64", "int64"}]
    text = {name: str for name in schema.columns if name not in numeric}
    try:
        frame = pd.read_csv(
            path, dtype=text, keep_default_na=False, na_values={n: [""] for n in numeric}, encoding="utf-8"
        )
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise DataError(path, [f"the file cannot be read as UTF-8 CSV ({exc})"], rebuild) from exc
    try:
        return schema.validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        raise DataError(path, _schema_problems(exc), rebuild) from exc


def _shape_problems(shapes: gpd.GeoSeries, labels: pd.Series, *, checked: list[str]) -> list[str]:
    """Invalid or non-polygonal shapes (named by ``labels``, at most ten), or shapes outside Mexico City.

    The extent is checked only when no problem was found before (``checked``):
    the bounds of a broken layer say nothing useful.
    """
    problems = []
    invalid = labels[~shapes.is_valid.to_numpy()].tolist()
    if invalid:
        problems.append(f"invalid geometry: {invalid[:10]}")
    not_polygons = labels[~shapes.geom_type.isin(["Polygon", "MultiPolygon"]).to_numpy()].tolist()
    if not_polygons:
        problems.append(f"not polygons: {not_polygons[:10]}")
    if not (checked or problems) and not shapely.box(*CDMX_BBOX).contains(shapely.box(*shapes.total_bounds)):
        problems.append(f"geometry outside Mexico City (bounds {shapes.total_bounds.round(3).tolist()})")
    return problems


def read_boroughs(path: Path = paths.BOUNDARIES) -> gpd.GeoDataFrame:
    """Read the 16 borough polygons (EPSG:4326) and check them."""
    if not path.is_file():
        raise DataError(path, ["the file is missing"], REBUILD_BOUNDARIES)
    try:
        frame = gpd.read_file(path, engine="pyogrio")
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, ValueError) as exc:
        raise DataError(
            path, [f"the file cannot be read as a vector dataset ({exc})"], REBUILD_BOUNDARIES
        ) from exc
    problems = []
    if frame.crs is None or frame.crs.to_epsg() != 4326:
        problems.append(f"expected longitude/latitude (EPSG:4326), found {frame.crs or 'no CRS'}")
    missing = {"cvegeo", "name", "area_km2"} - set(frame.columns)
    if missing:
        problems.append(f"missing columns: {sorted(missing)}")
        raise DataError(path, problems, REBUILD_BOUNDARIES)
    codes = tuple(sorted(frame["cvegeo"].astype(str)))
    if codes != BOROUGHS:
        problems.append(
            f"expected the {len(BOROUGHS)} codes {BOROUGHS[0]}–{BOROUGHS[-1]}, found {list(codes)}"
        )
    problems += _shape_problems(frame.geometry, frame["name"], checked=problems)
    if problems:
        raise DataError(path, problems, REBUILD_BOUNDARIES)
    frame["cvegeo"] = frame["cvegeo"].astype(str)
    return frame.sort_values("cvegeo").reset_index(drop=True)


def read_indicators(path: Path, boroughs: gpd.GeoDataFrame) -> pd.DataFrame:
    """Read the long indicator table, check it names known indicators, add derived rows."""
    table = _read_table(path, schemas.INDICATORS, REBUILD_TABLES)
    table["category"] = table["category"].fillna("")
    unknown = sorted(set(table["indicator"]) - set(REGISTRY))
    if unknown:
        raise DataError(
            path, [f"indicators missing from the registry (geo/indicators.py): {unknown}"], REBUILD_TABLES
        )
    areas = boroughs.set_index("cvegeo")["area_km2"]
    return pd.concat([table, derive_indicators(table, areas)], ignore_index=True)


def read_sites(path: Path, boroughs: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Read programme sites; attach borough codes and points where coordinates exist.

    A site with no coordinates keeps an empty geometry: it is listed and
    counted as "not on the map", never placed at a guessed point. A site in an
    unknown borough, or whose point lies outside Mexico City, fails the load.
    """
    table = _read_table(path, schemas.SITES, REBUILD_TABLES)
    codes = dict(zip(boroughs["name"], boroughs["cvegeo"], strict=True))
    unknown = sorted(set(table["borough"]) - set(codes))
    problems = [f"unknown borough {name!r} (expected one of the 16 alcaldías)" for name in unknown]
    table["cvegeo"] = table["borough"].map(codes)
    points = gpd.points_from_xy(table["lon"], table["lat"], crs="EPSG:4326")
    sites = gpd.GeoDataFrame(table, geometry=points)
    sites.loc[table["lat"].isna(), "geometry"] = None
    city = boroughs.union_all()
    located = sites[sites.geometry.notna()]
    inside = located.within(city)
    problems += [f"site {name!r} lies outside Mexico City" for name in located.loc[~inside, "name"]]
    polygons = boroughs.set_index("cvegeo").geometry
    for site in located[inside & located["cvegeo"].notna()].itertuples():
        if not polygons[site.cvegeo].intersects(site.geometry):
            problems.append(f"site {site.name!r} is listed in {site.borough} but its point lies outside it")
    if problems:
        raise DataError(path, problems, REBUILD_TABLES)
    return sites


def read_pcmb(path: Path = paths.PCMB) -> pd.DataFrame:
    """Read the PCMB programme figures (one row per reported figure)."""
    table = _read_table(path, schemas.PCMB, REBUILD_TABLES)
    return table.fillna({"projects_qualifier": "", "note": ""})


def read_catalogue(path: Path = paths.DATAPACKAGE) -> dict:
    """Read the data catalogue (Frictionless ``datapackage.json``)."""
    if not path.is_file():
        raise DataError(path, ["the file is missing"], "git checkout data/datapackage.json")
    try:
        catalogue = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(path, [f"not valid JSON ({exc})"], "git checkout data/datapackage.json") from exc
    if not isinstance(catalogue.get("resources"), list):
        raise DataError(path, ["no 'resources' list"], "git checkout data/datapackage.json")
    return catalogue


def load_atlas(data_dir: Path = paths.DATA_DIR) -> Atlas:
    """Load and validate every shipped dataset from ``data_dir``."""
    boroughs = read_boroughs(data_dir / paths.BOUNDARIES.name)
    return Atlas(
        boroughs=boroughs,
        indicators=read_indicators(data_dir / paths.INDICATORS.name, boroughs),
        sites=read_sites(data_dir / paths.SITES.name, boroughs),
        pcmb=read_pcmb(data_dir / paths.PCMB.name),
        catalogue=read_catalogue(data_dir / paths.DATAPACKAGE.name),
    )


REBUILD_NEIGHBOURHOODS = "python -m geo.build neighbourhoods"


def decode_topojson(source: Path | str) -> gpd.GeoDataFrame:
    """Read a TopoJSON file or text (GDAL's driver) in EPSG:4326, every shape valid.

    Rounding to the TopoJSON grid can pinch a narrow neck of a shape into a
    self-intersection; such shapes are repaired with ``make_valid`` (the build
    report lists them), so what is read is always valid.
    """
    frame = gpd.read_file(source, engine="pyogrio").set_crs("EPSG:4326", allow_override=True)
    invalid = ~frame.is_valid
    frame.loc[invalid, "geometry"] = shapely.make_valid(
        frame.geometry[invalid].to_numpy(), method="structure"
    )
    return frame


def _read_shapes(path: Path, keys: pd.Series) -> gpd.GeoSeries:
    """Read a shipped TopoJSON layer; return its shapes indexed by key, valid and inside the city."""
    if not path.is_file():
        raise DataError(path, ["the file is missing"], REBUILD_NEIGHBOURHOODS)
    try:
        frame = decode_topojson(path)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, ValueError) as exc:
        raise DataError(
            path, [f"the file cannot be read as TopoJSON ({exc})"], REBUILD_NEIGHBOURHOODS
        ) from exc
    problems = []
    if "id" not in frame.columns or frame["id"].duplicated().any():
        problems.append("every shape needs a unique id (its key)")
        raise DataError(path, problems, REBUILD_NEIGHBOURHOODS)
    invalid = ~frame.is_valid
    frame.loc[invalid, "geometry"] = shapely.make_valid(
        frame.geometry[invalid].to_numpy(), method="structure"
    )
    shapes = frame.set_index(frame["id"].astype(str)).geometry
    unknown = sorted(set(shapes.index) - set(keys))
    if unknown:
        problems.append(f"shapes whose key is not in the table: {unknown[:10]}")
    problems += _shape_problems(shapes, shapes.index.to_series(), checked=problems)
    if problems:
        raise DataError(path, problems, REBUILD_NEIGHBOURHOODS)
    return shapes


def read_agebs(table_path: Path = paths.AGEBS, shapes_path: Path = paths.AGEB_SHAPES) -> gpd.GeoDataFrame:
    """Read the AGEBs with CONAPO's index (EPSG:4326), one row per key of ``agebs.csv``.

    A key with no polygon (``on_map`` False) keeps an empty geometry; a polygon
    with no index row (``has_index`` False) keeps empty values: "no data".
    """
    table = _read_table(table_path, schemas.AGEBS, REBUILD_NEIGHBOURHOODS)
    for flag in ("on_map", "has_index"):
        table[flag] = table[flag] == "True"
    shapes = _read_shapes(shapes_path, table["cvegeo"])
    missing = sorted(set(table.loc[table["on_map"], "cvegeo"]) - set(shapes.index))
    if missing:
        raise DataError(
            shapes_path, [f"AGEBs on the map without a shape: {missing[:10]}"], REBUILD_NEIGHBOURHOODS
        )
    geometry = gpd.GeoSeries(table["cvegeo"].map(shapes), crs="EPSG:4326")
    return gpd.GeoDataFrame(table, geometry=geometry)


def read_ageb_fields(path: Path = paths.AGEB_FIELDS) -> pd.DataFrame:
    """Read the unit, year, source and need direction of each AGEB column, indexed by column."""
    return _read_table(path, schemas.AGEB_FIELDS, REBUILD_NEIGHBOURHOODS).set_index("column")


def read_colonias(
    table_path: Path = paths.COLONIAS, shapes_path: Path = paths.COLONIA_SHAPES
) -> gpd.GeoDataFrame:
    """Read the IECM colonias with borough code and estimated population (EPSG:4326)."""
    table = _read_table(table_path, schemas.COLONIAS, REBUILD_NEIGHBOURHOODS)
    table["borough"] = table["borough"].fillna("")
    shapes = _read_shapes(shapes_path, table["cveut"])
    missing = sorted(set(table["cveut"]) - set(shapes.index))
    if missing:
        raise DataError(shapes_path, [f"colonias without a shape: {missing[:10]}"], REBUILD_NEIGHBOURHOODS)
    return gpd.GeoDataFrame(table, geometry=gpd.GeoSeries(table["cveut"].map(shapes), crs="EPSG:4326"))


@dataclass(frozen=True, eq=False)
class NeighbourhoodLayers:
    """The AGEB and colonia layers: read when a view needs them, never for the borough map's first paint.

    ``*_topology`` are the shipped TopoJSON documents as read, which the map
    sends on (packed) without encoding the shapes again.
    """

    agebs: gpd.GeoDataFrame
    colonias: gpd.GeoDataFrame
    fields: pd.DataFrame
    report: dict
    ageb_topology: dict
    colonia_topology: dict

    @cached_property
    def ageb_positions(self) -> dict[str, int]:
        """Each AGEB key's position among the shapes of ``ageb_topology``."""
        return _positions(self.ageb_topology)

    @cached_property
    def colonia_positions(self) -> dict[str, int]:
        """Each colonia key's position among the shapes of ``colonia_topology``."""
        return _positions(self.colonia_topology)


def _positions(topology: dict) -> dict[str, int]:
    (collection,) = topology["objects"].values()
    return {str(shape["id"]): number for number, shape in enumerate(collection["geometries"])}


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(path, [f"the file cannot be read as JSON ({exc})"], REBUILD_NEIGHBOURHOODS) from exc


def load_neighbourhoods(data_dir: Path = paths.DATA_DIR) -> NeighbourhoodLayers:
    """Load and validate the neighbourhood layers of ``data_dir`` (AGEBs, colonias, their fields and report)."""
    return NeighbourhoodLayers(
        agebs=read_agebs(data_dir / paths.AGEBS.name, data_dir / paths.AGEB_SHAPES.name),
        colonias=read_colonias(data_dir / paths.COLONIAS.name, data_dir / paths.COLONIA_SHAPES.name),
        fields=read_ageb_fields(data_dir / paths.AGEB_FIELDS.name),
        report=_read_json(data_dir / paths.NEIGHBOURHOODS_REPORT.name),
        ageb_topology=_read_json(data_dir / paths.AGEB_SHAPES.name),
        colonia_topology=_read_json(data_dir / paths.COLONIA_SHAPES.name),
    )


def neighbourhood_keys(data_dir: Path = paths.DATA_DIR) -> tuple[frozenset[str], frozenset[str]]:
    """The colonia and AGEB keys a link may name, read from the tables alone (fast: no shapes).

    A data folder without the neighbourhood tables names none (the level then
    reports the missing files when it is opened).
    """
    if not (data_dir / paths.COLONIAS.name).is_file() or not (data_dir / paths.AGEBS.name).is_file():
        return frozenset(), frozenset()
    colonias = pd.read_csv(data_dir / paths.COLONIAS.name, usecols=["cveut"], dtype=str)["cveut"]
    agebs = pd.read_csv(data_dir / paths.AGEBS.name, usecols=["cvegeo", "on_map"], dtype=str)
    return frozenset(colonias), frozenset(agebs.loc[agebs["on_map"] == "True", "cvegeo"])
