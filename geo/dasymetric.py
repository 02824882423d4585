"""Walking reach counted in people: each AGEB's people spread over its own area (dasymetric).

Why: :mod:`geo.coverage` spreads a borough's people evenly over the whole
borough, so a circle over a park, the airport or the conservation land "holds"
as many people as one over dense housing. CONAPO publishes the 2020 census
population of every urban AGEB (a few blocks), so here each AGEB's people are
spread evenly over that AGEB only: a reach area holds ``population × share of
the AGEB's area within reach`` of every AGEB it touches
(:data:`AGEB_DASYMETRIC`). Still an estimate (people are not spread evenly
within an AGEB either), but at the scale of blocks rather than boroughs.

What the index does not hold, and how it is counted (never as zero, never guessed):

* People outside the urban AGEBs (rural localities, about 81,000 of 9.2
  million in 2020): a borough's 2020 population minus the AGEB populations
  keyed to it, spread evenly over the part of the borough that no AGEB polygon
  covers, the old areal method on the ground where those people live
  (:data:`BOROUGH_AREAL_RURAL`). Where no such ground is left they are not
  locatable.
* AGEB polygons without an index row: their people are unknown, so they form
  the group :data:`NO_DATA` and add no people to any sum.
* An index row without a polygon: its people exist but have no place, so they
  are "not locatable" (``people_not_located``), never within or beyond reach.

Every summed row names its method; the texts are ``reach.method.<id>`` in
``geo/locales/reach.toml``, looked up at display time (:func:`method_label`,
:func:`method_note`). An AGEB's people count in the borough of its key, even
where its polygon crosses a borough line. Reach is clipped to the city, so
the sliver of an AGEB outside the borough outlines is never within reach.
Areas are measured in :data:`geo.coverage.METRIC_CRS`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.areaweight import area_weighted_sum
from geo.coverage import DISPLAY_CRS, METRIC_CRS, display_reach
from geo.formatting import format_distances, join_list
from geo.i18n import t
from geo.vocabulary import HIGH_GRADES, MARGINALISATION_GRADES

AGEB_DASYMETRIC = "ageb_dasymetric"
BOROUGH_AREAL_RURAL = "borough_areal_rural"
COMBINED = "combined"
METHODS = (AGEB_DASYMETRIC, BOROUGH_AREAL_RURAL)
# The group of AGEB polygons that CONAPO's index has no row for: people unknown.
NO_DATA = "no_data"
GROUPS = (*MARGINALISATION_GRADES, NO_DATA)
# "Where a new centre would reach most people in need": these grades, beyond this distance.
NEED_GRADES = HIGH_GRADES
NEED_DISTANCE_M = 1500

UNIT_COLUMNS = [
    "distance_m",
    "cvegeo",
    "borough",
    "grade",
    "method",
    "located",
    "area_km2",
    "reach_km2",
    "share",
    "population",
    "people_within",
    "people_beyond",
]
SUMMARY_COLUMNS = [
    "method",
    "agebs",
    "no_data_agebs",
    "area_km2",
    "reach_km2",
    "population",
    "people_within",
    "people_beyond",
    "people_not_located",
    "people_within_share",
]
BEYOND_COLUMNS = [
    "cvegeo",
    "borough",
    "grade",
    "area_km2",
    "beyond_km2",
    "beyond_share",
    "population",
    "people_beyond",
    "geometry",
]


def method_label(method: str, lang: str = "en") -> str:
    """Return the short name of a method id (:data:`METHODS` or :data:`COMBINED`) in ``lang``."""
    return t(f"reach.method.{method}.label", lang)


def method_note(method: str, lang: str = "en") -> str:
    """Return how a method id estimates the people within reach, in ``lang``."""
    return t(f"reach.method.{method}.note", lang)


def need_note(
    lang: str = "en", distance_m: float = NEED_DISTANCE_M, grades: Sequence[str] = NEED_GRADES
) -> str:
    """Return how the people in need beyond reach are estimated (:func:`need_beyond`), in ``lang``."""
    return t(
        "reach.need.note",
        lang,
        grades=join_list(list(grades), lang),
        distance=format_distances([distance_m], lang),
    )


def _metric_shapes(frame: gpd.GeoDataFrame, crs: str) -> tuple[np.ndarray, np.ndarray]:
    """Return ``frame``'s shapes in ``crs`` and which of them exist (a missing or empty shape has no place)."""
    shapes = frame.geometry.to_crs(crs).to_numpy()
    return shapes, ~(shapely.is_missing(shapes) | shapely.is_empty(shapes))


def _share_within(shapes: np.ndarray, located: np.ndarray, within: shapely.Geometry) -> np.ndarray:
    """Return the share of each located shape's area that lies in ``within`` (NaN where there is no shape).

    ``within`` is split into its parts and only the pairs that touch are
    intersected: a merged reach of dozens of circles against every AGEB at
    once is several times slower. The parts of a union never overlap, which
    is what :func:`geo.areaweight.area_weighted_sum`'s coverage share assumes.
    """
    share = np.full(len(shapes), np.nan)
    parts = shapely.get_parts(within)
    _, share[located] = area_weighted_sum(parts, np.zeros(len(parts)), shapes[located])
    return share


def _unit_rows(
    reach: gpd.GeoDataFrame,
    crs: str,
    shapes: np.ndarray,
    located: np.ndarray,
    area_km2: np.ndarray,
    population: np.ndarray,
    **labels: object,
) -> pd.DataFrame:
    """Return per distance of ``reach`` each unit's share within reach and its people within and beyond.

    ``labels`` fill ``cvegeo``, ``borough``, ``grade`` and ``method``; the
    result has :data:`UNIT_COLUMNS`. A unit that is not ``located`` has no
    share, so its people are neither within nor beyond (NaN).
    """
    tables = []
    for distance, within in zip(reach["distance_m"], reach.geometry.to_crs(crs), strict=True):
        share = _share_within(shapes, located, within)
        tables.append(
            pd.DataFrame(
                {
                    "distance_m": distance,
                    **labels,
                    "located": located,
                    "area_km2": area_km2,
                    "reach_km2": share * area_km2,
                    "share": share,
                    "population": population,
                    "people_within": population * share,
                    "people_beyond": population * (1 - share),
                }
            )[UNIT_COLUMNS]
        )
    return pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=UNIT_COLUMNS)


def ageb_reach(agebs: gpd.GeoDataFrame, reach: gpd.GeoDataFrame, crs: str = METRIC_CRS) -> pd.DataFrame:
    """Return, per distance of ``reach`` and AGEB key, the share of the AGEB's own area within reach.

    ``people_within = population × share`` and ``people_beyond`` the rest:
    estimates that assume people spread evenly within the AGEB. A polygon
    without an index row has area and share but no people (NaN, group
    :data:`NO_DATA`); a key without a polygon (``located`` False) has people
    but no area or share, so it is neither within nor beyond (NaN).
    Columns: :data:`UNIT_COLUMNS`, method :data:`AGEB_DASYMETRIC`.
    """
    shapes, located = _metric_shapes(agebs, crs)
    area_km2 = np.where(located, shapely.area(shapes), np.nan) / 1e6
    population = agebs["pob_total"].to_numpy(dtype=float)
    grade = agebs["gm_2020"].where(agebs["gm_2020"].isin(MARGINALISATION_GRADES), NO_DATA).to_numpy()
    return _unit_rows(
        reach,
        crs,
        shapes,
        located,
        area_km2,
        population,
        cvegeo=agebs["cvegeo"].to_numpy(),
        borough=agebs["borough"].to_numpy(),
        grade=grade,
        method=AGEB_DASYMETRIC,
    )


def rural_reach(
    boroughs: gpd.GeoDataFrame,
    agebs: gpd.GeoDataFrame,
    reach: gpd.GeoDataFrame,
    population: pd.Series,
    crs: str = METRIC_CRS,
) -> pd.DataFrame:
    """Return, per distance and borough, the people beyond the AGEBs and how many are within reach.

    The remainder (the borough's ``population``, indexed by ``cvegeo``, minus
    the people of the AGEB keys of that borough) is spread evenly over the
    borough's ground that no AGEB polygon covers: areal weighting, kept off the
    urban AGEBs whose people are already counted. With no such ground the
    remainder is not locatable (``located`` False). Columns:
    :data:`UNIT_COLUMNS`, ``cvegeo`` = ``borough`` = the borough's code, no
    grade, method :data:`BOROUGH_AREAL_RURAL`.

    Raises ``ValueError`` when a borough has no population or fewer people
    than its AGEBs: the remainder would be meaningless.
    """
    codes = boroughs["cvegeo"].astype(str).to_numpy()
    people = population.reindex(codes).astype(float)
    if people.isna().any():
        raise ValueError(f"no population for boroughs {people.index[people.isna()].tolist()}")
    in_agebs = agebs.groupby("borough")["pob_total"].sum().reindex(codes, fill_value=0.0)
    remainder = people.to_numpy() - in_agebs.to_numpy()
    if (remainder < 0).any():
        raise ValueError(f"AGEBs hold more people than their borough in {codes[remainder < 0].tolist()}")
    shapes, placed = _metric_shapes(agebs, crs)
    ground = shapely.difference(boroughs.geometry.to_crs(crs).to_numpy(), shapely.union_all(shapes[placed]))
    area_km2 = shapely.area(ground) / 1e6
    located = area_km2 > 0
    return _unit_rows(
        reach,
        crs,
        ground,
        located,
        area_km2,
        remainder,
        cvegeo=codes,
        borough=codes,
        grade=None,
        method=BOROUGH_AREAL_RURAL,
    )


def _summarise(units: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """Sum unit rows (AGEBs, rural remainders) per ``keys``, with the people's shares.

    Known people only: a group whose people are all unknown stays unknown
    (NaN), never zero. The people of units with no place are summed apart in
    ``people_not_located``, so ``population = people_within + people_beyond +
    people_not_located`` in every row. Without ``method`` among ``keys`` the
    methods are added together and the rows say :data:`COMBINED`.
    Columns: ``keys`` then :data:`SUMMARY_COLUMNS`.
    """
    located = units["located"].astype(bool)
    is_ageb = units["method"].eq(AGEB_DASYMETRIC)
    parts = pd.DataFrame(
        {
            **{key: units[key] for key in keys},
            "agebs": is_ageb.astype(int),
            "no_data_agebs": (is_ageb & located & units["population"].isna()).astype(int),
            "area_km2": units["area_km2"].where(located, 0.0),
            "reach_km2": units["reach_km2"].where(located, 0.0),
            "population": units["population"],
            "people_within": units["people_within"].where(located, 0.0),
            "people_not_located": units["population"].where(~located, 0.0),
        }
    )
    summed = parts.groupby(list(keys), sort=False).sum(min_count=1).reset_index()
    summed["people_beyond"] = summed["population"] - summed["people_within"] - summed["people_not_located"]
    summed["people_within_share"] = summed["people_within"] / summed["population"]
    if "method" not in keys:
        summed["method"] = COMBINED
    return summed[[*keys, *(c for c in SUMMARY_COLUMNS if c not in keys)]]


def _ordered(table: pd.DataFrame, column: str, order: Sequence[str], keys: list[str]) -> pd.DataFrame:
    """Sort ``table`` by ``keys``, ``column`` in the given ``order`` rather than alphabetically."""
    rank = {value: n for n, value in enumerate(order)}
    return table.sort_values(
        keys, key=lambda values: values.map(rank) if values.name == column else values, kind="stable"
    ).reset_index(drop=True)


def people_by_borough(units: pd.DataFrame, boroughs: gpd.GeoDataFrame) -> pd.DataFrame:
    """Return per distance and borough one row per method and one :data:`COMBINED` row adding them.

    ``units`` is :func:`ageb_reach` and :func:`rural_reach` concatenated.
    Columns: ``distance_m``, ``cvegeo``, ``name``, then :data:`SUMMARY_COLUMNS`.
    """
    keys = ["distance_m", "borough"]
    table = pd.concat([_summarise(units, [*keys, "method"]), _summarise(units, keys)], ignore_index=True)
    table = table.rename(columns={"borough": "cvegeo"})
    table.insert(2, "name", table["cvegeo"].map(dict(zip(boroughs["cvegeo"], boroughs["name"], strict=True))))
    return _ordered(table, "method", (*METHODS, COMBINED), ["distance_m", "cvegeo", "method"])


def people_by_grade(ageb_units: pd.DataFrame) -> pd.DataFrame:
    """Return per distance and marginalisation grade (then :data:`NO_DATA`) the people within reach.

    AGEBs only (``ageb_units`` from :func:`ageb_reach`): the rural remainder
    has no grade. Columns: ``distance_m``, ``grade``, then :data:`SUMMARY_COLUMNS`.
    """
    table = _summarise(ageb_units, ["distance_m", "grade", "method"])
    return _ordered(table, "grade", GROUPS, ["distance_m", "grade"])


def city_totals(units: pd.DataFrame) -> pd.DataFrame:
    """Return per distance the city's people within reach: one row per method, then the two added.

    Columns: ``distance_m`` then :data:`SUMMARY_COLUMNS`.
    """
    table = pd.concat(
        [_summarise(units, ["distance_m", "method"]), _summarise(units, ["distance_m"])], ignore_index=True
    )
    return _ordered(table, "method", (*METHODS, COMBINED), ["distance_m", "method"])


@dataclass(frozen=True)
class ReachPeople:
    """The people within walking reach, per unit and summed; every row names its method."""

    units: pd.DataFrame
    by_borough: pd.DataFrame
    by_grade: pd.DataFrame
    city: pd.DataFrame


def reach_people(
    agebs: gpd.GeoDataFrame,
    reach: gpd.GeoDataFrame,
    boroughs: gpd.GeoDataFrame,
    population: pd.Series,
    crs: str = METRIC_CRS,
) -> ReachPeople:
    """Return every people-within-reach table at once, for the page to compute once and cache.

    ``agebs`` from :func:`geo.loaders.read_agebs`, ``reach`` from
    :func:`geo.coverage.reach_areas` (clipped to the boroughs), ``population``
    the boroughs' 2020 population by ``cvegeo`` (:func:`geo.coverage.need_inputs`).
    """
    ageb_units = ageb_reach(agebs, reach, crs)
    units = pd.concat([ageb_units, rural_reach(boroughs, agebs, reach, population, crs)], ignore_index=True)
    return ReachPeople(
        units=units,
        by_borough=people_by_borough(units, boroughs),
        by_grade=people_by_grade(ageb_units),
        city=city_totals(units),
    )


def need_beyond(
    agebs: gpd.GeoDataFrame,
    reach: gpd.GeoDataFrame,
    distance_m: float = NEED_DISTANCE_M,
    grades: Sequence[str] = NEED_GRADES,
    crs: str = METRIC_CRS,
) -> gpd.GeoDataFrame:
    """Return the part of each AGEB of ``grades`` beyond ``distance_m`` of every open site, and its people.

    Where a new centre would reach most people in need. ``people_beyond =
    population × beyond_share`` (even spread within the AGEB: an estimate).
    AGEBs wholly within reach are left out, and so is a key without a polygon
    (its people cannot be placed). Columns: :data:`BEYOND_COLUMNS`, geometry =
    the part beyond, in EPSG:4326; most people first. ``distance_m`` must be
    one of ``reach``'s distances.
    """
    rows = reach.loc[reach["distance_m"] == distance_m]
    if rows.empty:
        raise ValueError(f"no reach area at {distance_m} m (have {reach['distance_m'].tolist()})")
    chosen = agebs[agebs["gm_2020"].isin(grades)]
    shapes, located = _metric_shapes(chosen, crs)
    chosen, shapes = chosen[located], shapes[located]
    beyond = shapely.difference(shapes, rows.geometry.to_crs(crs).iloc[0])
    area_km2 = shapely.area(shapes) / 1e6
    beyond_km2 = shapely.area(beyond) / 1e6
    population = chosen["pob_total"].to_numpy(dtype=float)
    table = gpd.GeoDataFrame(
        {
            "cvegeo": chosen["cvegeo"].to_numpy(),
            "borough": chosen["borough"].to_numpy(),
            "grade": chosen["gm_2020"].to_numpy(),
            "area_km2": area_km2,
            "beyond_km2": beyond_km2,
            "beyond_share": beyond_km2 / area_km2,
            "population": population,
            "people_beyond": population * beyond_km2 / area_km2,
        },
        geometry=gpd.GeoSeries(beyond, crs=crs),
    )
    table = table[table["beyond_km2"] > 0].sort_values(["people_beyond", "cvegeo"], ascending=[False, True])
    return table.to_crs(DISPLAY_CRS).reset_index(drop=True)[BEYOND_COLUMNS]


def beyond_by_colonia(
    beyond: gpd.GeoDataFrame, colonias: gpd.GeoDataFrame, crs: str = METRIC_CRS
) -> pd.DataFrame:
    """Return the people of ``beyond`` (:func:`need_beyond`) by colonia, most first.

    Colonias cut across AGEBs, so each beyond-part's people are area-weighted
    into the colonias it overlaps (:func:`geo.areaweight.area_weighted_sum`):
    an estimate. Where colonia outlines overlap, the shared people count in
    each. Colonias with none are left out. Columns: ``cveut``, ``name``,
    ``borough``, ``people_beyond``.
    """
    people, _ = area_weighted_sum(
        beyond.geometry.to_crs(crs).to_numpy(),
        beyond["people_beyond"].to_numpy(dtype=float),
        colonias.geometry.to_crs(crs).to_numpy(),
    )
    table = pd.DataFrame(
        {
            "cveut": colonias["cveut"].to_numpy(),
            "name": colonias["name"].to_numpy(),
            "borough": colonias["borough"].to_numpy(),
            "people_beyond": people,
        }
    )
    table = table[table["people_beyond"] > 0]
    return table.sort_values(["people_beyond", "cveut"], ascending=[False, True]).reset_index(drop=True)


def beyond_layer(beyond: gpd.GeoDataFrame, by: Literal["ageb", "grade"] = "grade") -> gpd.GeoDataFrame:
    """Return ``beyond`` (:func:`need_beyond`) light enough to draw: one shape per AGEB or per grade.

    Per grade the parts are dissolved (columns ``grade``, ``agebs``,
    ``people_beyond``, geometry), from less to more need;
    per AGEB the rows stay as they are. Then simplified and rounded like the
    reach (:func:`geo.coverage.display_reach`); the figures come from the
    full shapes, and a part too small to survive simplification is not drawn.
    """
    if by == "grade":
        beyond = beyond.dissolve("grade", aggfunc={"cvegeo": "count", "people_beyond": "sum"}, sort=False)
        beyond = beyond.rename(columns={"cvegeo": "agebs"}).reset_index()
        beyond = _ordered(beyond, "grade", MARGINALISATION_GRADES, ["grade"])[
            ["grade", "agebs", "people_beyond", "geometry"]
        ]
    light = display_reach(beyond)
    return light[~light.geometry.is_empty].reset_index(drop=True)
