"""Find a colonia by name or by a point, and sum it up: people by grade and the nearest site.

Plain Python over the frame :func:`geo.loaders.read_colonias` returns (EPSG:4326,
one row per IECM unit, with the build's estimates). Every population figure
here is an area-weighted ESTIMATE (see :mod:`geo.areaweight`) and the page must
say so.

Search compares names as people type them: case, accents and punctuation are
ignored (:func:`search_key`). Literal matches come first (the whole name, then
names that start with the query, then names with a word that starts with it,
then names that merely contain it), then near misses for typos, scored with
rapidfuzz.

Distances are straight lines in :data:`geo.coverage.METRIC_CRS`, from the
colonia's shipped (simplified, within 30 m of the source) polygon to the site's
point: 0 when the site lies inside the colonia, since its people are already
next to it. Streets make the walk longer.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from rapidfuzz import fuzz

from geo.coverage import METRIC_CRS
from geo.names import normalise_name
from geo.schemas import PEOPLE_BY_GRADE

# Longer queries are not names: they find nothing (and cost nothing).
MAX_QUERY_CHARS = 100
# Near misses need this similarity (0–100) and a query of at least this many letters:
# below that, a short query "resembles" half the city.
FUZZY_CUTOFF = 85
FUZZY_MIN_CHARS = 4
# How a name matched the query, best first: results are ranked in this order.
MATCH_KINDS = ("exact", "prefix", "word", "substring", "fuzzy")
RESULT_COLUMNS = ("cveut", "name", "borough", "match", "score")

_NOT_ALPHANUMERIC = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True)
class NearestSite:
    """The site closest to a colonia and the straight-line distance to it (0 inside the colonia)."""

    site_id: str
    name: str
    distance_m: float


@dataclass(frozen=True)
class ColoniaSummary:
    """What a visitor wants to know about one colonia; every population is an estimate.

    ``people_by_grade`` maps each CONAPO grade (``MARGINALISATION_GRADES`` order)
    to the estimated people living in AGEBs of that grade; it is empty, and
    ``population_estimate`` and ``high_share`` are None, where no AGEB with data
    overlaps the colonia. ``high_share`` (people in Alto or Muy alto AGEBs over
    the estimate, as the csv rounds it to 3 decimals) is also None when the
    estimate is 0. ``nearest_site`` is None
    when no site given has coordinates.
    """

    cveut: str
    name: str
    borough: str
    population_estimate: int | None
    people_by_grade: dict[str, int]
    high_share: float | None
    urban_share: float
    nearest_site: NearestSite | None


def search_key(text: str) -> str:
    """Fold a name for searching: no case, accents or punctuation ("OBREGON_(FRACC)" → "obregon fracc")."""
    return " ".join(_NOT_ALPHANUMERIC.sub(" ", normalise_name(text)).split())


def _literal_match(query: str, key: str) -> str | None:
    """The kind of literal match of ``query`` in ``key`` (both search keys), or None."""
    if key == query:
        return "exact"
    if key.startswith(query):
        return "prefix"
    if f" {query}" in key:
        return "word"
    if query in key:
        return "substring"
    return None


def _similarity(query: str, key: str) -> float:
    """How closely ``query`` matches ``key`` or its best-aligned part (0–100): typos anywhere in a long name."""
    return fuzz.partial_ratio(query, key) if len(key) > len(query) else fuzz.ratio(query, key)


def search_colonias(colonias: pd.DataFrame, query: str, *, limit: int = 10) -> pd.DataFrame:
    """Find colonias by name, best first; at most ``limit`` rows.

    Returns
    -------
    DataFrame
        Columns ``cveut``, ``name``, ``borough`` (INEGI code, "" if unmatched),
        ``match`` (one of :data:`MATCH_KINDS`) and ``score`` (0–100: 100 for a
        literal match, the rapidfuzz similarity for a near miss). Ranked by
        match kind, then score, then name (so numbered sections come in order).
        Empty for a blank query, one longer than :data:`MAX_QUERY_CHARS`, or one
        with no letter or digit.
    """
    wanted = search_key(query) if len(query) <= MAX_QUERY_CHARS else ""
    if not wanted or limit < 1:
        return pd.DataFrame(columns=list(RESULT_COLUMNS))
    keys = colonias["name"].map(search_key)
    kinds = keys.map(lambda key: _literal_match(wanted, key))
    scores = keys.map(lambda key: _similarity(wanted, key))
    if len(wanted) >= FUZZY_MIN_CHARS:
        kinds = kinds.mask(kinds.isna() & (scores >= FUZZY_CUTOFF), "fuzzy")
    found = colonias.loc[kinds.notna(), ["cveut", "name", "borough"]].assign(
        match=kinds[kinds.notna()],
        score=scores[kinds.notna()].round(1),
        rank=kinds[kinds.notna()].map(MATCH_KINDS.index),
    )
    found = found.sort_values(["rank", "score", "name", "cveut"], ascending=[True, False, True, True])
    return found[list(RESULT_COLUMNS)].head(limit).reset_index(drop=True)


def _row(colonias: gpd.GeoDataFrame, cveut: str) -> pd.Series:
    """The colonia with key ``cveut``; KeyError if there is none."""
    rows = colonias[colonias["cveut"] == cveut]
    if rows.empty:
        raise KeyError(f"no colonia with key {cveut!r}")
    return rows.iloc[0]


def nearest_site(shape: shapely.Geometry, sites: gpd.GeoDataFrame) -> NearestSite | None:
    """The site nearest to ``shape`` (EPSG:4326) in a straight line; None if no site has a point.

    Ties go to the smaller ``site_id``, so the answer does not depend on row order.
    """
    located = sites[sites.geometry.notna() & ~sites.geometry.is_empty]
    if located.empty:
        return None
    target = gpd.GeoSeries([shape], crs="EPSG:4326").to_crs(METRIC_CRS).iloc[0]
    distances = located.geometry.to_crs(METRIC_CRS).distance(target).to_numpy()
    best = np.lexsort((located["site_id"].to_numpy(), distances))[0]
    return NearestSite(
        site_id=located["site_id"].iloc[best],
        name=located["name"].iloc[best],
        distance_m=float(distances[best]),
    )


def _whole(value: float) -> int | None:
    """A count read from the csv (a float, NaN when empty) as an int, or None."""
    return None if pd.isna(value) else int(value)


def colonia_summary(colonias: gpd.GeoDataFrame, cveut: str, sites: gpd.GeoDataFrame) -> ColoniaSummary:
    """Sum up colonia ``cveut``; ``sites`` are the sites the caller counts (e.g. open UTOPÍAS), EPSG:4326.

    Raises KeyError when no colonia has that key.
    """
    row = _row(colonias, cveut)
    estimate = _whole(row["population_estimate"])
    by_grade = {} if estimate is None else {g: int(row[c]) for g, c in PEOPLE_BY_GRADE.items()}
    return ColoniaSummary(
        cveut=row["cveut"],
        name=row["name"],
        borough=row["borough"],
        population_estimate=estimate,
        people_by_grade=by_grade,
        high_share=None if pd.isna(row["people_high_share"]) else float(row["people_high_share"]),
        urban_share=float(row["urban_share"]),
        nearest_site=nearest_site(row.geometry, sites),
    )


def colonia_at(colonias: gpd.GeoDataFrame, lat: float, lon: float) -> str | None:
    """Key of the colonia under the point (EPSG:4326); None outside every colonia or for a non-finite point.

    Some IECM units lie inside another and are drawn over it: the smallest unit
    under the point is the one the visitor sees and means.
    """
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    hits = colonias.sindex.query(shapely.Point(lon, lat), predicate="intersects")
    if not len(hits):
        return None
    under = colonias.iloc[hits]
    return under["cveut"].iloc[int(under.geometry.to_crs(METRIC_CRS).area.to_numpy().argmin())]


def bounds(colonias: gpd.GeoDataFrame, cveut: str) -> tuple[tuple[float, float], tuple[float, float]]:
    """Corners ``((south, west), (north, east))`` of colonia ``cveut``, as folium's ``fit_bounds`` takes them.

    Raises KeyError when no colonia has that key.
    """
    west, south, east, north = _row(colonias, cveut).geometry.bounds
    return (south, west), (north, east)
