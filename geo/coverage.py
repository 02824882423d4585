"""Walking-distance coverage: how much of each borough, and roughly how many people, lie near an open site.

Method (also shown in the page, in the view's language, as :func:`method_text`):

* Reach is a straight-line circle of 800 m and 1,500 m (:data:`DISTANCES_M`;
  any distances can be passed) around every OPEN site that has coordinates.
  Sites that are under construction, announced or not located add nothing.
  Straight-line reach overstates what can be walked along streets.
* Circles are drawn in a metric CRS and merged, so ground near several sites
  counts once; only ground inside the 16 boroughs counts (circles crossing
  the city edge are clipped).
* Per borough: the area within reach, its share of the borough's area, and
  ESTIMATES of the people within reach by areal weighting: the 2020
  population (and the estimated people in poverty) times that share. This
  assumes people are spread evenly over the borough, which they are not
  (parks, the airport and the conservation land of the south are empty), so
  the figures are estimates and are labelled as such.

CRS: UTM zone 14N (EPSG:32614). Mexico City lies within 0.4° of its central
meridian (99° W), so its scale factor is 0.9996 everywhere in the city:
distances are off by under 0.05 % and areas by under 0.1 %. INEGI's Lambert
conformal conic (EPSG:6372) has a scale factor of 0.9969–0.9976 here (its
standard parallels are 17.5° and 29.5° N), so an "800 m" circle drawn in it
would have a radius of about 802 m on the ground and areas would come out
0.5–0.6 % small. ``test_metric_crs_distortion_is_negligible_over_mexico_city``
checks these figures.

Shares are ratios of two areas measured in the same CRS on the same
(shipped, simplified) borough geometry, so ``area_km2`` here differs from the
published ``area_km2`` (full-resolution, equal-area) by about 0.1 %.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import pandas as pd
import shapely
from pyproj import CRS

from geo.boundaries import ATTRIBUTION as BOUNDARIES_SOURCE
from geo.filters import HEADLINE_YEAR
from geo.formatting import format_count
from geo.i18n import t
from geo.indicators import REGISTRY, rows_for, shown_sources
from geo.vocabulary import BOROUGHS

METRIC_CRS = "EPSG:32614"
DISPLAY_CRS = "EPSG:4326"
DISTANCES_M = (800, 1500)
# Segments per quarter circle: a 128-gon is within 0.04 % of the circle's area
# (shapely's default of 8 gives a 32-gon, 0.6 % short).
QUAD_SEGS = 32
# The map draws the reach simplified to about 10 m and rounded to 5 decimals (~1 m).
DISPLAY_TOLERANCE_M = 10.0
DISPLAY_DECIMALS = 5


def method_text(lang: str = "en") -> str:
    """Return how the walking reach is estimated, in ``lang`` (``coverage.method``), with the constants used."""
    return t(
        "coverage.method",
        lang,
        n=format_count(len(BOROUGHS), lang),
        zone=CRS(METRIC_CRS).utm_zone,
        code=METRIC_CRS,
        year=HEADLINE_YEAR,
    )


def sites_source(lang: str = "en") -> str:
    """Return where the sites and their coordinates come from, in ``lang`` (``coverage.sites_source``)."""
    return t("coverage.sites_source", lang)


TABLE_COLUMNS = [
    "cvegeo",
    "name",
    "distance_m",
    "area_km2",
    "reach_km2",
    "share",
    "population",
    "people_within_est",
    "poor_est",
    "poor_within_est",
    "poor_beyond_est",
    "method",
    "sources",
]


def reachable_sites(sites: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the sites that count for coverage: open and with a point.

    A site without coordinates is never given a guessed position, so it
    cannot add coverage (the page says how many were left out).
    """
    located = sites.geometry.notna() & ~sites.geometry.is_empty
    return sites[(sites["status"] == "open") & located]


def reach_areas(
    sites: gpd.GeoDataFrame,
    distances_m: Sequence[float] = DISTANCES_M,
    crs: str = METRIC_CRS,
    *,
    clip_to: gpd.GeoDataFrame | None = None,
    lang: str = "en",
) -> gpd.GeoDataFrame:
    """Return one merged reach area per distance, computed in ``crs``, in EPSG:4326.

    Columns: ``distance_m``, ``sites`` (how many sites contributed),
    ``reach_km2``, ``method``, ``sources`` (both in ``lang``) and the geometry
    (empty when no site qualifies). With ``clip_to`` (the boroughs), the area
    is cut to the city, so the map shows only what the figures count.
    """
    if any(distance <= 0 for distance in distances_m):
        raise ValueError(f"distances must be positive, got {list(distances_m)}")
    points = reachable_sites(sites).geometry.to_crs(crs).to_numpy()
    city = clip_to.geometry.to_crs(crs).union_all() if clip_to is not None else None
    areas = []
    for distance in distances_m:
        area = shapely.union_all(shapely.buffer(points, distance, quad_segs=QUAD_SEGS))
        if city is not None:
            area = area.intersection(city)
        areas.append(area if not area.is_empty else shapely.Polygon())
    reach = gpd.GeoDataFrame(
        {
            "distance_m": list(distances_m),
            "sites": len(points),
            "reach_km2": [area.area / 1e6 for area in areas],
            "method": method_text(lang),
            "sources": sites_source(lang),
        },
        geometry=gpd.GeoSeries(areas, crs=crs),
    )
    return reach.to_crs(DISPLAY_CRS)


def need_inputs(
    indicators: pd.DataFrame, year: int = HEADLINE_YEAR, *, lang: str = "en"
) -> tuple[pd.Series, pd.Series, str]:
    """Return population, estimated people in poverty (both by ``cvegeo``) and their sources in ``lang``.

    Taken from the long indicator table (``population_total`` and the derived
    ``poverty_persons_est``) so the coverage figures cite the same sources as
    the rest of the page.
    """
    parts = []
    series = []
    for indicator in ("population_total", "poverty_persons_est"):
        rows = rows_for(indicators, indicator, year)
        series.append(rows.set_index("cvegeo")["value"].astype(float).rename(indicator))
        sources = "; ".join(sorted(set(shown_sources(indicators, rows, lang))))
        parts.append(
            t(
                "coverage.need_source",
                lang,
                indicator=REGISTRY[indicator].title(lang),
                year=year,
                sources=sources,
            )
        )
    return series[0], series[1], " | ".join(parts)


def coverage_by_borough(
    boroughs: gpd.GeoDataFrame,
    reach: gpd.GeoDataFrame,
    population: pd.Series,
    poverty_persons: pd.Series,
    *,
    sources: str = "",
    crs: str = METRIC_CRS,
) -> pd.DataFrame:
    """Return, per distance and borough, the area within reach and the people it holds (estimates).

    ``population`` and ``poverty_persons`` are indexed by ``cvegeo``; a
    borough missing from them gets missing estimates, never zero. Areas are
    measured in ``crs``; intersecting with each borough clips the reach to the
    city. ``sources`` (e.g. from :func:`need_inputs`) is added to the rows'
    sources.
    """
    metric = boroughs.to_crs(crs)
    borough_geoms = metric.geometry.to_numpy()
    area_km2 = shapely.area(borough_geoms) / 1e6
    codes = metric["cvegeo"].astype(str).to_numpy()
    people = population.reindex(codes).to_numpy(dtype=float)
    poor = poverty_persons.reindex(codes).to_numpy(dtype=float)
    tables = []
    for row, area in zip(reach.itertuples(), reach.geometry.to_crs(crs), strict=True):
        reach_km2 = shapely.area(shapely.intersection(borough_geoms, area)) / 1e6
        share = reach_km2 / area_km2
        row_sources = " | ".join(part for part in (row.sources, BOUNDARIES_SOURCE, sources) if part)
        tables.append(
            pd.DataFrame(
                {
                    "cvegeo": codes,
                    "name": metric["name"].to_numpy(),
                    "distance_m": row.distance_m,
                    "area_km2": area_km2,
                    "reach_km2": reach_km2,
                    "share": share,
                    "population": people,
                    "people_within_est": people * share,
                    "poor_est": poor,
                    "poor_within_est": poor * share,
                    "poor_beyond_est": poor - poor * share,
                    "method": row.method,
                    "sources": row_sources,
                }
            )
        )
    if not tables:
        return pd.DataFrame(columns=TABLE_COLUMNS)
    return pd.concat(tables, ignore_index=True)[TABLE_COLUMNS]


def city_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Return the boroughs in ``table`` summed per distance, with shares of area, people and poor.

    Sums of the per-borough estimates (areal weighting within each borough,
    not across the city). A missing borough figure makes the total missing
    rather than a partial sum.
    """
    summed = ["area_km2", "reach_km2", "population", "people_within_est", "poor_est", "poor_within_est"]
    rows = []
    for distance, group in table.groupby("distance_m", sort=False):
        totals = {column: group[column].sum(skipna=False) for column in summed}
        rows.append(
            {
                "distance_m": distance,
                "boroughs": len(group),
                **totals,
                "poor_beyond_est": totals["poor_est"] - totals["poor_within_est"],
                "share": totals["reach_km2"] / totals["area_km2"],
                "people_within_share": totals["people_within_est"] / totals["population"],
                "poor_within_share": totals["poor_within_est"] / totals["poor_est"],
                "method": "; ".join(group["method"].unique()),
                "sources": " | ".join(group["sources"].unique()),
            }
        )
    return pd.DataFrame(rows)


def display_reach(
    reach: gpd.GeoDataFrame,
    tolerance_m: float = DISPLAY_TOLERANCE_M,
    decimals: int = DISPLAY_DECIMALS,
    crs: str = METRIC_CRS,
) -> gpd.GeoDataFrame:
    """Return ``reach`` lightened for the map: simplified in metres, then rounded in degrees.

    The figures use the full geometry; this copy only has to look right, so
    ~10 m of simplification and 5 decimals (~1 m) keep the page small.
    """
    simplified = reach.geometry.to_crs(crs).simplify(tolerance_m).to_crs(DISPLAY_CRS)
    rounded = shapely.set_precision(simplified.to_numpy(), 10.0**-decimals)
    return reach.set_geometry(gpd.GeoSeries(rounded, index=reach.index, crs=DISPLAY_CRS))
